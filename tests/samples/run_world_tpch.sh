#!/usr/bin/env bash
# The flagship sample as a test on one backend:
#   run_world_tpch.sh sqlite|postgresql|mysql <world_tpch executable> <data dir> <work dir>
# SQLite: a file in <work dir>. A server: a fresh database (reflorm_sample_<pid>) on the server
# of REFLORM_TEST_POSTGRESQL_URL or REFLORM_TEST_MYSQL_URL, made and dropped with the server's
# own client; skipped (exit 77) when that variable is unset. The sample runs twice on the same
# database: the second run must start over (drop_all) and print the same report, timings aside.
set -euo pipefail
backend=$1 sample=$2 data=$3 work=$4
mkdir -p "$work"

case $backend in
sqlite)
    target=("$work/flagship_sample.db")
    ;;
postgresql | mysql)
    variable=REFLORM_TEST_${backend^^}_URL
    server_url=${!variable:-}
    if [[ -z $server_url ]]; then
        echo "SKIPPED on $backend: $variable is not set (scripts/test starts a server; see docs/backends.md)"
        exit 77
    fi
    database=reflorm_sample_$$
    [[ $server_url =~ ^[a-z]+://([^:]+):([^@]+)@([^:/?]+):([0-9]+)/[^?]*$ ]] ||
        { echo "error: $variable is not of the form scheme://user:pw@host:port/db" >&2; exit 1; }
    user=${BASH_REMATCH[1]} password=${BASH_REMATCH[2]} host=${BASH_REMATCH[3]} port=${BASH_REMATCH[4]}
    server_sql() {
        if [[ $backend == postgresql ]]; then
            PGPASSWORD=$password psql -q -X -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U "$user" -d "${server_url##*/}" -c "$1"
        else
            MYSQL_PWD=$password mariadb -h "$host" -P "$port" -u "$user" -e "$1"
        fi
    }
    server_sql "CREATE DATABASE $database"
    if [[ $backend == postgresql ]]; then
        trap 'server_sql "DROP DATABASE IF EXISTS $database WITH (FORCE)"' EXIT
    else
        trap 'server_sql "DROP DATABASE IF EXISTS $database"' EXIT
    fi
    target=(--url "${server_url%/*}/$database")
    ;;
*)
    echo "usage: $0 sqlite|postgresql|mysql <world_tpch> <data dir> <work dir>" >&2
    exit 2
    ;;
esac

first=$work/report-$backend-1.txt second=$work/report-$backend-2.txt
"$sample" "$data" "${target[@]}" | tee "$first"
"$sample" "$data" "${target[@]}" >"$second"
# The timings line differs from run to run; everything else must not.
if ! diff <(grep -v '^parsed the dumps' "$first") <(grep -v '^parsed the dumps' "$second"); then
    echo "error: a second run on the same database printed another report (diff above)" >&2
    exit 1
fi
echo "==> a second run on the same database printed the same report"
