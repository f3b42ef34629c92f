# shellcheck shell=bash
# Throwaway PostgreSQL 15 and MariaDB 10.11 servers for the tests; sourced by scripts/lib.sh.
#
# Both run from one temporary directory (data, unix sockets, logs), listen on 127.0.0.1 on free
# ports, and never touch the system's own services, ports or /var/run. Root runs them as
# $reflorm_server_user (postgres refuses to run as root); anyone else runs them as themselves.
# Each server gets a user "reflorm" with a random password and a database "reflorm"; the test
# user may create databases (PostgreSQL: CREATEDB; MariaDB: every database named reflorm%).
#
#   reflorm_servers_start [DIR]   start both (DIR: a new mktemp directory when empty) and set
#                                 REFLORM_TEST_POSTGRESQL_URL, REFLORM_TEST_MYSQL_URL and
#                                 REFLORM_TEST_SERVERS_DIR (not exported: the caller decides)
#   reflorm_servers_stop DIR      stop both and remove DIR; safe to call twice
#   reflorm_test_servers          for scripts/test: start both unless the URLs are already set,
#                                 export the URLs and stop the servers when the script exits

reflorm_server_user=${REFLORM_SERVER_USER:-nobody}
reflorm_server_timeout=${REFLORM_SERVER_TIMEOUT:-60}  # seconds a server may take to answer
reflorm_pg_bin=/usr/lib/postgresql/15/bin

# Prints a port that is free on 127.0.0.1 right now. Another process may take it before the
# server binds it: reflorm_server_start_retrying starts again on a new port then.
reflorm_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Runs "$@" as the server user when root, as is otherwise.
reflorm_unprivileged() {
    if [[ $(id -u) -eq 0 ]]; then
        setpriv --reuid="$reflorm_server_user" --regid="$(id -g "$reflorm_server_user")" --init-groups -- "$@"
    else
        "$@"
    fi
}

# True while process PID runs. A zombie counts as gone: the servers are reparented to init,
# which may reap them late.
reflorm_alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat:0:1} != Z ]]
}

# Seconds since the epoch with milliseconds, for the start times.
reflorm_now() { date +%s.%N; }
reflorm_elapsed() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.2f}")' "$1" "$(reflorm_now)"; }

reflorm_server_fail() {  # NAME LOG MESSAGE...
    local name=$1 log=$2
    shift 2
    echo "error: $name: $*" >&2
    if [[ -f $log ]]; then
        echo "---- last lines of $log ----" >&2
        tail -n 25 "$log" >&2
        echo "----" >&2
    fi
    return 1
}

# reflorm_server_wait NAME PID LOG CHECK...: runs CHECK every 0.1 s until it succeeds, failing
# when the server process PID has exited or after $reflorm_server_timeout seconds.
reflorm_server_wait() {
    local name=$1 pid=$2 log=$3 deadline=$((SECONDS + reflorm_server_timeout))
    shift 3
    until "$@" >/dev/null 2>&1; do
        if ! reflorm_alive "$pid"; then
            reflorm_server_fail "$name" "$log" "the server exited before it answered"
            return 1
        fi
        if ((SECONDS >= deadline)); then
            reflorm_server_fail "$name" "$log" "no answer within ${reflorm_server_timeout}s" \
                "(REFLORM_SERVER_TIMEOUT raises the limit)"
            return 1
        fi
        sleep 0.1
    done
}

# reflorm_server_launch PIDFILE LOG COMMAND...: starts COMMAND unprivileged in a session (and so a
# process group) of its own, detached from the terminal and from the caller's stdout, so that
# Ctrl-C reaches the caller's trap first and `eval "$(scripts/servers start)"` does not wait for it.
reflorm_server_launch() {
    local pidfile=$1 log=$2
    shift 2
    if [[ $(id -u) -eq 0 ]]; then
        setsid setpriv --reuid="$reflorm_server_user" --regid="$(id -g "$reflorm_server_user")" \
            --init-groups -- "$@" >>"$log" 2>&1 </dev/null &
    else
        setsid "$@" >>"$log" 2>&1 </dev/null &
    fi
    echo "$!" >"$pidfile"
}

# reflorm_server_stop NAME PIDFILE SIGNAL: asks the server to shut down with SIGNAL, then kills
# its process group after 15 s. PostgreSQL's backends leave the postmaster's group (they call
# setsid) but exit on their own when the postmaster is gone.
reflorm_server_stop() {
    local name=$1 pidfile=$2 signal=$3 pid deadline
    [[ -f $pidfile ]] || return 0
    pid=$(<"$pidfile")
    [[ $pid =~ ^[0-9]+$ ]] || return 0
    if reflorm_alive "$pid"; then
        kill -s "$signal" "$pid" 2>/dev/null || true
        deadline=$((SECONDS + 15))
        while reflorm_alive "$pid" && ((SECONDS < deadline)); do sleep 0.05; done
        if reflorm_alive "$pid"; then
            echo "warning: $name (pid $pid) ignored $signal for 15s; killing its process group" >&2
            kill -s KILL -- "-$pid" 2>/dev/null || true
        fi
    fi
    kill -s KILL -- "-$pid" 2>/dev/null || true  # anything left in its group
    rm -f "$pidfile"
}

# reflorm_postgresql_launch DIR PORT: starts the PostgreSQL whose cluster is DIR/data (DIR is
# DIR/postgresql of reflorm_postgresql_start) on 127.0.0.1:PORT and waits until it answers; also
# what starts it again after reflorm_server_stop (scripts/server_instance). Durability is off
# (fsync, full pages, synchronous commit): the data is thrown away.
reflorm_postgresql_launch() {
    local dir=$1 port=$2
    (cd "$dir" && reflorm_server_launch "$dir/postgres.pid" "$dir/postgresql.log" "$reflorm_pg_bin/postgres" -D "$dir/data" \
        -h 127.0.0.1 -p "$port" -k "$dir" -c fsync=off -c full_page_writes=off \
        -c synchronous_commit=off -c max_connections=200)
    reflorm_server_wait postgresql "$(<"$dir/postgres.pid")" "$dir/postgresql.log" \
        "$reflorm_pg_bin/pg_isready" -q -h "$dir" -p "$port"
}

# reflorm_postgresql_start DIR PASSWORD: initdb and start PostgreSQL 15 in DIR/postgresql; sets
# reflorm_postgresql_url. Collation C: byte order, as SQLite's BINARY.
reflorm_postgresql_start() {
    local dir=$1/postgresql password=$2 port attempt start
    local log=$dir/postgresql.log
    start=$(reflorm_now)
    mkdir -p "$dir"
    [[ $(id -u) -ne 0 ]] || chown "$reflorm_server_user:" "$dir"
    [[ -x $reflorm_pg_bin/postgres ]] || reflorm_die "PostgreSQL 15 is not installed ($reflorm_pg_bin/postgres)"
    if ! (cd "$dir" && reflorm_unprivileged "$reflorm_pg_bin/initdb" -D "$dir/data" -U postgres -N \
            -E UTF8 --locale=C --auth-local=trust --auth-host=scram-sha-256) >"$dir/initdb.log" 2>&1; then
        reflorm_server_fail postgresql "$dir/initdb.log" "initdb failed"
        return 1
    fi
    for attempt in 1 2 3; do
        port=$(reflorm_free_port)
        if reflorm_postgresql_launch "$dir" "$port"; then break; fi
        reflorm_server_stop postgresql "$dir/postgres.pid" INT
        if ((attempt == 3)) || ! grep -q 'could not bind\|already in use' "$log"; then return 1; fi
        echo "==> postgresql: port $port was taken; retrying on another" >&2
    done
    echo "$port" >"$dir/port"
    # Trust on the unix socket: only the server's user (and root) can enter DIR.
    # pg_signal_backend: the tests drop their databases WITH (FORCE), which must also end an
    # autovacuum worker busy in that database, and refuses to without it.
    if ! psql -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres \
            -c "CREATE ROLE reflorm LOGIN CREATEDB PASSWORD '$password'" \
            -c "GRANT pg_signal_backend TO reflorm" \
            -c "CREATE DATABASE reflorm OWNER reflorm" >>"$log" 2>&1; then
        reflorm_server_fail postgresql "$log" "could not create the test user and database"
        return 1
    fi
    reflorm_postgresql_url="postgresql://reflorm:$password@127.0.0.1:$port/reflorm"
    # The same path as the tests: TCP with the password.
    if ! PGPASSWORD=$password psql -X -q -tA -h 127.0.0.1 -p "$port" -U reflorm -d reflorm \
            -c 'SELECT 1' >/dev/null 2>>"$log"; then
        reflorm_server_fail postgresql "$log" "the test user cannot log in over TCP"
        return 1
    fi
    echo "==> postgresql 15 ready on 127.0.0.1:$port in $(reflorm_elapsed "$start")s (initdb included)" >&2
}

# No doublewrite buffer and no fsync (the data is thrown away).
reflorm_mysql_innodb=(--innodb-log-file-size=8M --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=0
    --innodb-doublewrite=0 --innodb-flush-method=nosync)

# reflorm_mysql_launch DIR PORT: starts the MariaDB whose data is DIR/data (DIR is DIR/mariadb of
# reflorm_mysql_start) on 127.0.0.1:PORT and waits until it answers; also what starts it again
# after reflorm_server_stop (scripts/server_instance). utf8mb4 with utf8mb4_general_ci, as
# Debian's server configuration; no binary log.
reflorm_mysql_launch() {
    local dir=$1 port=$2
    (cd "$dir" && reflorm_server_launch "$dir/mariadbd.pid" "$dir/mariadb.log" mariadbd --no-defaults \
        --datadir="$dir/data" --socket="$dir/mariadb.sock" --port="$port" --bind-address=127.0.0.1 \
        --pid-file="$dir/data/mariadbd.pid" --tmpdir="$dir/tmp" --skip-name-resolve \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci --max-connections=200 \
        "${reflorm_mysql_innodb[@]}")
    reflorm_server_wait mariadb "$(<"$dir/mariadbd.pid")" "$dir/mariadb.log" \
        mariadb --no-defaults --socket="$dir/mariadb.sock" -u root -e 'SELECT 1'
}

# reflorm_mysql_start DIR PASSWORD: mariadb-install-db and start MariaDB in DIR/mariadb; sets
# reflorm_mysql_url.
reflorm_mysql_start() {
    local dir=$1/mariadb password=$2 port attempt start
    local log=$dir/mariadb.log socket=$dir/mariadb.sock
    start=$(reflorm_now)
    mkdir -p "$dir/tmp"
    [[ $(id -u) -ne 0 ]] || chown -R "$reflorm_server_user:" "$dir"
    command -v mariadbd >/dev/null || reflorm_die "MariaDB is not installed (mariadbd)"
    # --tmpdir: the bootstrap server's own. At startup mariadbd deletes every #sql* file in its
    # tmpdir as left over, so two installs sharing /tmp (the restart test's server while another
    # scripts/test starts its servers) deleted each other's temporary tables: ERROR 1051.
    if ! (cd "$dir" && reflorm_unprivileged mariadb-install-db --no-defaults --datadir="$dir/data" \
            --tmpdir="$dir/tmp" --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
            "${reflorm_mysql_innodb[@]}") >"$dir/install-db.log" 2>&1; then
        reflorm_server_fail mariadb "$dir/install-db.log" "mariadb-install-db failed"
        return 1
    fi
    for attempt in 1 2 3; do
        port=$(reflorm_free_port)
        if reflorm_mysql_launch "$dir" "$port"; then break; fi
        reflorm_server_stop mariadb "$dir/mariadbd.pid" TERM
        if ((attempt == 3)) || ! grep -q 'Bind on TCP/IP port\|already in use' "$log"; then return 1; fi
        echo "==> mariadb: port $port was taken; retrying on another" >&2
    done
    echo "$port" >"$dir/port"
    # root@localhost has no password and is reachable only through the socket inside DIR.
    if ! mariadb --no-defaults --socket="$socket" -u root -e "
            CREATE USER 'reflorm'@'%' IDENTIFIED BY '$password';
            CREATE USER 'reflorm'@'localhost' IDENTIFIED BY '$password';
            GRANT ALL PRIVILEGES ON \`reflorm%\`.* TO 'reflorm'@'%';
            GRANT ALL PRIVILEGES ON \`reflorm%\`.* TO 'reflorm'@'localhost';
            CREATE DATABASE reflorm;" >>"$log" 2>&1; then
        reflorm_server_fail mariadb "$log" "could not create the test user and database"
        return 1
    fi
    reflorm_mysql_url="mysql://reflorm:$password@127.0.0.1:$port/reflorm"
    if ! MYSQL_PWD=$password mariadb --no-defaults -h 127.0.0.1 -P "$port" -u reflorm reflorm \
            -e 'SELECT 1' >/dev/null 2>>"$log"; then
        reflorm_server_fail mariadb "$log" "the test user cannot log in over TCP"
        return 1
    fi
    echo "==> mariadb $(mariadbd --version | sed -n 's/.*Ver \([0-9.]*\).*/\1/p') ready on 127.0.0.1:$port" \
        "in $(reflorm_elapsed "$start")s (mariadb-install-db included)" >&2
}

# reflorm_servers_dir DIR: creates DIR (a new mktemp directory /tmp/reflorm-servers.* when empty)
# for servers, reachable by the server user only; sets reflorm_servers_dir.
reflorm_servers_dir() {
    local dir=${1:-}
    if [[ -z $dir ]]; then
        # Not $TMPDIR: the server user must be able to reach the directory.
        dir=$(mktemp -d /tmp/reflorm-servers.XXXXXX)
    else
        mkdir -p "$dir"
    fi
    [[ $(id -u) -ne 0 ]] || chown "$reflorm_server_user:" "$dir"
    chmod 700 "$dir"
    reflorm_servers_dir=$dir
}

# A new random password for the test user. Hex only: safe inside SQL string literals and URLs
# without escaping.
reflorm_new_password() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }

reflorm_servers_start() {
    local dir password
    reflorm_servers_dir "${1:-}"
    dir=$reflorm_servers_dir
    REFLORM_TEST_SERVERS_DIR=$dir
    password=$(reflorm_new_password)
    if ! reflorm_postgresql_start "$dir" "$password" || ! reflorm_mysql_start "$dir" "$password"; then
        reflorm_servers_stop "$dir"
        return 1
    fi
    REFLORM_TEST_POSTGRESQL_URL=$reflorm_postgresql_url
    REFLORM_TEST_MYSQL_URL=$reflorm_mysql_url
}

reflorm_servers_stop() {
    local dir=${1:?reflorm_servers_stop needs the servers directory}
    [[ -d $dir ]] || return 0
    [[ -f $dir/watchdog.pid ]] && kill "$(<"$dir/watchdog.pid")" 2>/dev/null
    local stopping=()
    reflorm_server_stop postgresql "$dir/postgresql/postgres.pid" INT &  # fast shutdown
    stopping+=($!)
    reflorm_server_stop mariadb "$dir/mariadb/mariadbd.pid" TERM &
    stopping+=($!)
    wait "${stopping[@]}"
    rm -rf "$dir"
}

# reflorm_servers_watch OWNER_PID DIR: stops the servers in DIR once OWNER_PID is gone, for an
# owner killed without running its traps (SIGKILL). Runs detached; scripts/servers starts it.
reflorm_servers_watch() {
    local owner=$1 dir=$2
    while kill -0 "$owner" 2>/dev/null && [[ -d $dir ]]; do sleep 2; done
    rm -f "$dir/watchdog.pid"
    reflorm_servers_stop "$dir"
}

# For scripts/test: servers for the tests, unless the caller points at its own with both URLs.
reflorm_test_servers() {
    if [[ -n ${REFLORM_TEST_POSTGRESQL_URL:-} && -n ${REFLORM_TEST_MYSQL_URL:-} ]]; then
        echo "==> test servers: using REFLORM_TEST_POSTGRESQL_URL and REFLORM_TEST_MYSQL_URL as given"
        export REFLORM_TEST_POSTGRESQL_URL REFLORM_TEST_MYSQL_URL
        return 0
    fi
    local given_pg=${REFLORM_TEST_POSTGRESQL_URL:-} given_mysql=${REFLORM_TEST_MYSQL_URL:-}
    echo "==> starting throwaway PostgreSQL and MariaDB servers"
    local start=$SECONDS
    reflorm_servers_start || reflorm_die "the test servers did not start (see above)"
    reflorm_test_servers_dir=$REFLORM_TEST_SERVERS_DIR
    trap 'reflorm_servers_stop "$reflorm_test_servers_dir"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    setsid "$reflorm_root/scripts/servers" watch "$$" "$reflorm_test_servers_dir" >/dev/null 2>&1 </dev/null &
    echo "$!" >"$reflorm_test_servers_dir/watchdog.pid"
    # A URL the caller gave wins over the server started for the other backend.
    export REFLORM_TEST_POSTGRESQL_URL=${given_pg:-$REFLORM_TEST_POSTGRESQL_URL}
    export REFLORM_TEST_MYSQL_URL=${given_mysql:-$REFLORM_TEST_MYSQL_URL}
    echo "==> test servers up in $((SECONDS - start))s (in $reflorm_test_servers_dir)"
}
