#!/bin/bash
# run.sh - builds tradebridge and runs the matching benchmark against SciPy
# (Debian python3-scipy, hence /usr/bin/python3). Extra arguments go to
# bench.py (--quick for a smoke run, --dir for the instance folder).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
ninja -C "$root/build" tradebridge >/dev/null
exec /usr/bin/python3 "$root/bench/match/bench.py" --bin "$root/build/tradebridge" "$@"
