#!/usr/bin/env bash
# The flagship sample as a test on one backend:
#   run_world_tpch.sh sqlite|postgresql|mysql <world_tpch executable> <data dir> <work dir>
# SQLite: a file in <work dir>; a server: a fresh database of its own (sample_database.sh). The
# sample runs twice on the same database: the second run must start over (drop_all) and print
# the same report, timings aside.
set -euo pipefail
backend=$1 sample=$2 data=$3 work=$4
source "$(dirname "${BASH_SOURCE[0]}")/sample_database.sh"
sample_database "$backend" "$work" flagship_sample.db

first=$work/report-$backend-1.txt second=$work/report-$backend-2.txt
"$sample" "$data" "${target[@]}" | tee "$first"
"$sample" "$data" "${target[@]}" >"$second"
# The timings line differs from run to run; everything else must not.
if ! diff <(grep -v '^parsed the dumps' "$first") <(grep -v '^parsed the dumps' "$second"); then
    echo "error: a second run on the same database printed another report (diff above)" >&2
    exit 1
fi
echo "==> a second run on the same database printed the same report"
