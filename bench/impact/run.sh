#!/bin/sh
# bench/impact/run.sh - impact estimators against NumPy/statsmodels (Debian's
# python3-statsmodels, hence /usr/bin/python3). Builds first; extra arguments
# go to bench.py (--repeat N, --firms N); report.py times the full impact report.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$root/build/build.ninja" ] || meson setup "$root/build" -Dbuildtype=debugoptimized >/dev/null
ninja -C "$root/build" tradebridge >/dev/null
/usr/bin/python3 "$root/bench/impact/bench.py" --bin "$root/build/tradebridge" "$@"
# The full report over 1,000,000 baseline export-sales rows (issue 14).
exec /usr/bin/python3 "$root/bench/impact/report.py" --bin "$root/build/tradebridge"
