#!/bin/sh
# bench/training/run.sh - the cohort progress grid (1,000 trainees x 12
# modules) from the API, against the same query run directly on SQLite
# (Python's sqlite3) in the same run. Builds first; extra arguments go to
# bench.py (--requests N, --trainees N, --modules N).
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$root/build/build.ninja" ] || meson setup "$root/build" -Dbuildtype=debugoptimized >/dev/null
ninja -C "$root/build" tradebridge >/dev/null
exec /usr/bin/python3 "$root/bench/training/bench.py" --bin "$root/build/tradebridge" "$@"
