#!/bin/sh
# bench/network/run.sh - introduction paths against a recursive SQL query in
# SQLite on the same generated network. Usage: run.sh [PEOPLE [RELS [QUERIES [SQL_QUERIES]]]]
# (default 1,000,000 people, 10,000,000 relationships, 1000 and 10 queries).
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$root/build/build.ninja" ] || meson setup "$root/build" -Dbuildtype=debugoptimized >/dev/null
ninja -C "$root/build" libtbcore.a >/dev/null
exe=$root/build/bench_network_paths
${CC:-cc} -std=c17 -O2 -D_GNU_SOURCE -I"$root/src" "$root/bench/network/bench_paths.c" "$root/build/libtbcore.a" \
    $(pkg-config --libs sqlite3 jansson) -lm -lpthread -o "$exe"
exec "$exe" "$@"
