#!/usr/bin/env bash
# The migrations sample as a test on one backend:
#   run_migrations.sh sqlite|postgresql|mysql <migrations executable> <data dir> <work dir>
# SQLite: a file in <work dir>; a server: a fresh database of its own, dropped at the end
# (sample_database.sh). The sample's exit status is the test's: 1 when a check fails.
set -euo pipefail
backend=$1 sample=$2 data=$3 work=$4
source "$(dirname "${BASH_SOURCE[0]}")/sample_database.sh"
sample_database "$backend" "$work" migrations_sample.db
"$sample" "$data" "${target[@]}"
