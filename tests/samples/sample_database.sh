# Sourced by the sample test scripts: sample_database BACKEND WORKDIR FILE sets the array
# `target` to the sample's database arguments on that backend.
# SQLite: <work dir>/FILE. A server: a fresh database (reflorm_sample_<pid>) on the server of
# REFLORM_TEST_POSTGRESQL_URL or REFLORM_TEST_MYSQL_URL, made with the server's own client and
# dropped when the script exits; skips the test (exit 77) when that variable is unset.
sample_database() {
    local backend=$1 work=$2 file=$3
    mkdir -p "$work"
    case $backend in
    sqlite)
        target=("$work/$file")
        ;;
    postgresql | mysql)
        local variable=REFLORM_TEST_${backend^^}_URL
        sample_server_url=${!variable:-}
        if [[ -z $sample_server_url ]]; then
            echo "SKIPPED on $backend: $variable is not set (scripts/test starts a server; see docs/backends.md)"
            exit 77
        fi
        sample_backend=$backend sample_database_name=reflorm_sample_$$
        [[ $sample_server_url =~ ^[a-z]+://([^:]+):([^@]+)@([^:/?]+):([0-9]+)/[^?]*$ ]] ||
            { echo "error: $variable is not of the form scheme://user:pw@host:port/db" >&2; exit 1; }
        sample_user=${BASH_REMATCH[1]} sample_password=${BASH_REMATCH[2]}
        sample_host=${BASH_REMATCH[3]} sample_port=${BASH_REMATCH[4]}
        sample_server_sql "CREATE DATABASE $sample_database_name"
        if [[ $backend == postgresql ]]; then
            trap 'sample_server_sql "DROP DATABASE IF EXISTS $sample_database_name WITH (FORCE)"' EXIT
        else
            trap 'sample_server_sql "DROP DATABASE IF EXISTS $sample_database_name"' EXIT
        fi
        target=(--url "${sample_server_url%/*}/$sample_database_name")
        ;;
    *)
        echo "unknown backend $backend (sqlite, postgresql or mysql)" >&2
        exit 2
        ;;
    esac
}

# Runs one SQL statement on the server's own database with the server's client.
sample_server_sql() {
    if [[ $sample_backend == postgresql ]]; then
        PGPASSWORD=$sample_password psql -q -X -v ON_ERROR_STOP=1 -h "$sample_host" -p "$sample_port" -U "$sample_user" \
            -d "${sample_server_url##*/}" -c "$1"
    else
        MYSQL_PWD=$sample_password mariadb -h "$sample_host" -P "$sample_port" -u "$sample_user" -e "$1"
    fi
}
