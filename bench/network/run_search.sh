#!/bin/sh
# bench/network/run_search.sh - directory search: full text (FTS5) against a
# LIKE scan over the same generated contacts. Usage: run_search.sh [N [QUERIES [LIKE_QUERIES]]]
# (default 1,000,000 contacts, 1000 and 20 queries). BENCH_DB=FILE keeps the
# generated contacts in FILE for the next run.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
exe=${TMPDIR:-/tmp}/bench_network_search
${CC:-cc} -std=c17 -O2 -D_GNU_SOURCE "$root/bench/network/bench_search.c" $(pkg-config --cflags --libs sqlite3) -o "$exe"
cat "$root/sql/sqlite/0050_network.sql" "$root/sql/sqlite/0053_contact_search_facets.sql" > "$exe.sql"
exec "$exe" "$exe.sql" "$@"
