#!/usr/bin/env bash
# stream_10m: ten million rows (by default) read once by each contender, each in its own process
# so that its peak memory is its own, on one backend, and a Markdown table of the results:
# seconds, rows/s, peak RSS (VmHWM) and its growth over the RSS before the statement ran.
#
#   bench/stream_10m.sh <url> [rows] [--build DIR] [--buffered] [--no-orm]
#
# url        sqlite:////abs/file.db, postgresql://user:pw@host:port/db or mysql://... (a throwaway
#            database: the table stream_rows is made there by bench/stream_10m_generate, from a
#            seed, and kept for the next run).
# --build    the build directory configured with -Dbench=true (default build-bench/).
# --buffered also the buffered contenders (reflorm without stream_results, libpq/Connector/C
#            buffered): they hold the whole result in memory, about 2.5 GB at 10M rows.
# --no-orm   leave out the ORM contenders: reflorm's session and SQLAlchemy's ORM (yield_per).
#
# Contenders: reflorm (Core: execute() iterated, stream_results on the servers; ORM: session
# scalars() with yield_per, implying stream_results); the raw client
# (sqlite3; libpq single-row mode and a server-side cursor; Connector/C unbuffered and a
# server-side cursor); SQLAlchemy Core (stream_results + yield_per) and ORM (yield_per). The runner
# checks that every contender read the same rows (their checksums agree).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

url=""
rows=10000000
build=$reflorm_root/build-bench
buffered=false
orm=true
while (($#)); do
    case $1 in
    --build) build=${2:?--build needs a directory}; shift 2 ;;
    --buffered) buffered=true; shift ;;
    --no-orm) orm=false; shift ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) if [[ -z $url ]]; then url=$1; else rows=$1; fi; shift ;;
    esac
done
[[ -n $url ]] || reflorm_die "usage: bench/stream_10m.sh <url> [rows] (see --help)"
[[ $rows =~ ^[1-9][0-9]*$ ]] || reflorm_die "rows takes a positive number, not '$rows'"
bin=$build/bench
[[ -x $bin/stream_10m_reflorm ]] || reflorm_die "$bin/stream_10m_reflorm is missing: configure $build with -Dbench=true and build it"

"$bin/stream_10m_generate" "$url" "$rows"

runs=(reflorm)
$buffered && runs+=("reflorm buffered")
$orm && runs+=("reflorm orm")
case $url in
sqlite*) runs+=(sqlite3) ;;
postgresql*) runs+=("libpq single_row" "libpq cursor"); $buffered && runs+=("libpq buffered") ;;
mysql*) runs+=("mariadb unbuffered" "mariadb cursor"); $buffered && runs+=("mariadb buffered") ;;
*) reflorm_die "unknown backend in '$url'" ;;
esac
runs+=("sqlalchemy core")
$orm && runs+=("sqlalchemy orm")

results=$(mktemp)
checks=$(mktemp)
trap 'rm -f "$results" "$checks"' EXIT
for run in "${runs[@]}"; do
    read -r program mode <<<"$run"
    if [[ $program == sqlalchemy ]]; then
        /usr/bin/python3 "$reflorm_root/bench/stream_10m_sqlalchemy.py" "$url" "$mode" >>"$results" 2>>"$checks"
    else
        # shellcheck disable=SC2086
        "$bin/stream_10m_$program" "$url" $mode >>"$results" 2>>"$checks"
    fi
done

[[ $(grep -c . "$checks") == "${#runs[@]}" && $(awk '{ print $4 }' "$checks" | sort -u | wc -l) == 1 ]] ||
    reflorm_die "the contenders read different rows: $(tr '\n' ';' <"$checks")"
echo "stream_10m: $rows rows on ${url%%:*} (checksum $(awk 'NR == 1 { print $4 }' "$checks"))"
echo
echo "| contender | seconds | rows/s | peak RSS MB | growth MB |"
echo "|---|---:|---:|---:|---:|"
awk '{ printf "| %s | %.2f | %.0f | %.1f | %.1f |\n", $2, $3, $6 / $3, $4 / 1024, ($4 - $5) / 1024 }' "$results"
