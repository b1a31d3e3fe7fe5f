#!/bin/bash
# run.sh - builds tradebridge and runs the matching benchmarks (Debian
# python3-scipy, hence /usr/bin/python3):
#   bench.py     our generator: dense random/low-rank, sparse, stable matching
#   families.py  an independent generator: uniform, languages, low-rank,
#                forbidden pairs, rectangular, dense uniform - against SciPy
#   pool.py      a match run from a pool of 50,000 graduates x 5,000 positions
# --quick runs small sizes of all three; other arguments go to bench.py.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
ninja -C "$root/build" tradebridge >/dev/null
bin="$root/build/tradebridge"
quick=()
for a in "$@"; do [ "$a" = --quick ] && quick=(--quick); done
/usr/bin/python3 "$root/bench/match/bench.py" --bin "$bin" "$@"
echo
/usr/bin/python3 "$root/bench/match/families.py" --bin "$bin" "${quick[@]}"
echo
if [ ${#quick[@]} -gt 0 ]; then
    /usr/bin/python3 "$root/bench/match/pool.py" --bin "$bin" --graduates 5000 --positions 500 --repeat 1
else
    /usr/bin/python3 "$root/bench/match/pool.py" --bin "$bin"
fi
