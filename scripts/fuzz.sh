#!/usr/bin/env bash
# fuzz.sh - runs a libFuzzer target of tests/fuzz for a while (docs/fuzzing.md).
#
#   scripts/fuzz.sh                 list the targets
#   scripts/fuzz.sh NAME [MINUTES]  build with clang (-Dfuzz=true, ASan+UBSan) in build-fuzz/
#                                   and fuzz NAME for MINUTES (default 10), one process
#   scripts/fuzz.sh all [MINUTES]   every target in turn, MINUTES each
#   scripts/fuzz.sh --merge NAME    fold what the runs found into tests/fuzz/corpus/NAME
#                                   (libFuzzer -merge=1: only inputs that reach new edges)
#
# New inputs go to build-fuzz/fuzz-work/NAME, crashes to build-fuzz/fuzz-crashes/
# (reproduce one with: build-fuzz/tests/fuzz/fuzz_NAME FILE). The committed
# corpus is only read. Extra libFuzzer flags: FUZZ_FLAGS="-dict=... -jobs=2".
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD_FUZZ:-build-fuzz}
names() { sed -n "s/^  '\([a-z_]*\)' : \[.*/\1/p" tests/fuzz/meson.build; }

if [ $# -eq 0 ]; then
  echo "usage: scripts/fuzz.sh NAME|all [MINUTES] | --merge NAME   (targets: $(names | tr '\n' ' '))"
  exit 2
fi

scripts/install-deps.sh fuzz
if [ ! -f "$B/build.ninja" ]; then
  CC=clang meson setup "$B" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debugoptimized -Dapi_tests=false -De2e_tests=false >/dev/null
fi

merge=0
if [ "$1" = --merge ]; then merge=1; shift; fi
name=${1:?target name}
minutes=${2:-10}
if [ "$name" = all ]; then
  for n in $(names); do "$0" "$n" "$minutes"; done
  exit 0
fi
names | grep -qx "$name" || { echo "fuzz.sh: no target '$name' (targets: $(names | tr '\n' ' '))" >&2; exit 2; }

ninja -C "$B" "tests/fuzz/fuzz_$name" >/dev/null
bin=$B/tests/fuzz/fuzz_$name
corpus=tests/fuzz/corpus/$name
work=$B/fuzz-work/$name
mkdir -p "$work" "$B/fuzz-crashes" "$corpus"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if [ $merge = 1 ]; then
  "$bin" -merge=1 -use_counters=0 -rss_limit_mb=2048 -timeout=10 "$corpus" "$work"
  echo "fuzz.sh: $corpus now holds $(ls "$corpus" | wc -l) inputs ($(du -sh "$corpus" | cut -f1))"
  exit 0
fi

echo "fuzz.sh: fuzzing $name for $minutes min (corpus $corpus, new inputs in $work)"
# shellcheck disable=SC2086
"$bin" -max_total_time=$((minutes * 60)) -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$B/fuzz-crashes/$name-" ${FUZZ_FLAGS:-} "$work" "$corpus"
