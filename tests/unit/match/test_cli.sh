#!/bin/bash
# test_cli.sh - `tradebridge match` end to end: stdout, stderr and exit codes on
# the small files in data/, gzip and stdin input, usage and malformed input.
set -u
BIN=${TB_BINARY:?TB_BINARY not set}
DATA=${TB_SOURCE_DIR:?TB_SOURCE_DIR not set}/tests/unit/match/data
VENDOR=${TB_VENDOR_DIR:-}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
failed=0

# check NAME WANT_EXIT WANT_STDOUT -- command...
check() {
    local name=$1 want_rc=$2 want_out=$3
    shift 4
    local out rc
    out=$("$@" 2>"$TMP/err")
    rc=$?
    n=$((n + 1))
    if [ "$rc" = "$want_rc" ] && { [ "$want_out" = "*" ] || [ "$out" = "$want_out" ]; }; then
        echo "ok $n - $name"
    else
        echo "not ok $n - $name (exit $rc, want $want_rc)"
        echo "$out" | sed 's/^/#   out: /' | head -20
        sed 's/^/#   err: /' "$TMP/err" | head -5
        failed=$((failed + 1))
    fi
}

# check_err NAME WANT_EXIT WANT_STDERR_LINE -- command...
check_err() {
    local name=$1 want_rc=$2 want_err=$3
    shift 4
    "$@" >"$TMP/out" 2>"$TMP/err"
    local rc=$?
    n=$((n + 1))
    if [ "$rc" = "$want_rc" ] && [ "$(cat "$TMP/err")" = "$want_err" ] && [ ! -s "$TMP/out" ]; then
        echo "ok $n - $name"
    else
        echo "not ok $n - $name (exit $rc, want $want_rc)"
        sed 's/^/#   err: /' "$TMP/err" | head -5
        failed=$((failed + 1))
    fi
}

check "dense max, full" 0 $'0 0\n1 1\n2 2\ntotal 24' -- "$BIN" match assign "$DATA/small_dense.txt"
check "partial with threshold 8 leaves row 0 out" 0 $'0 -\n1 1\n2 2\ntotal 17' -- \
    "$BIN" match assign "$DATA/small_dense.txt" --mode partial --threshold 8
check "maxcard with threshold 8" 0 $'0 -\n1 1\n2 2\ntotal 17' -- \
    "$BIN" match assign --mode maxcard --threshold 8 "$DATA/small_dense.txt"
check_err "full with threshold 8 is infeasible (exit 1)" 1 \
    "match: infeasible: no assignment covers all 3 rows" -- \
    "$BIN" match assign "$DATA/small_dense.txt" --threshold 8
check_err "rectangular infeasible (exit 1)" 1 \
    "match: infeasible: no assignment covers all 2 columns" -- \
    "$BIN" match assign "$DATA/infeasible.txt"
check "sparse min" 0 $'0 1\n1 0\n2 2\ntotal 6' -- "$BIN" match assign "$DATA/small_sparse.txt"
check "float values, exact decimal total" 0 $'0 1\n1 0\ntotal 3.25' -- \
    "$BIN" match assign "$DATA/small_float.txt"
gzip -c "$DATA/small_dense.txt" >"$TMP/d.txt.gz"
check "gzip input" 0 $'0 0\n1 1\n2 2\ntotal 24' -- "$BIN" match assign "$TMP/d.txt.gz"
check "stdin input" 0 $'0 1\n1 0\n2 2\ntotal 6' -- \
    bash -c "\"$BIN\" match assign - < \"$DATA/small_sparse.txt\""
check "gzip on stdin" 0 $'0 0\n1 1\n2 2\ntotal 24' -- \
    bash -c "\"$BIN\" match assign - < \"$TMP/d.txt.gz\""

out=$("$BIN" match assign "$DATA/small_dense.txt" --json)
n=$((n + 1))
if python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["total"]==24 and d["assigned"]==3 and d["unassigned"]==0 and d["mode"]=="full" and d["assignment"]==[0,1,2] and d["solve_seconds"]>=0 and d["parse_seconds"]>=0' "$out"; then
    echo "ok $n - --json summary is valid JSON with total, counts, mode and timings"
else
    echo "not ok $n - --json summary: $out"
    failed=$((failed + 1))
fi

check "stable, candidates proposing" 0 \
    $'0 0\n1 1\n2 -\n3 -\n4 -\nmatched 2 unmatched 3 blocking_pairs 0' -- \
    "$BIN" match stable "$DATA/small_hr.txt"
check "stable, positions proposing" 0 \
    $'0 0\n1 1\n2 -\n3 -\n4 -\nmatched 2 unmatched 3 blocking_pairs 0' -- \
    "$BIN" match stable "$DATA/small_hr.txt" --proposing positions
check "--explain 2" 0 "You are not matched; the positions you listed:
Position 1 (your 1st choice) filled its 1 place; you ranked 1st there, equal with graduate 1, and the tie was decided by id (lower first).
Position 0 (your 2nd choice) filled its 1 place with graduates it ranked higher; you ranked 3rd there." -- \
    "$BIN" match stable "$DATA/small_hr.txt" --explain 2
out=$("$BIN" match stable "$DATA/small_hr.txt" --tie-break lottery:7 --explain 2 --json)
n=$((n + 1))
if python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["blocking_pairs"]==0 and d["tie_break"]=="lottery:7" and d["explanation"]["candidate"]==2 and d["explanation"]["items"][0]["kind"] in ("lost_tie","matched") and "text" in d["explanation"]' "$out"; then
    echo "ok $n - stable --json with lottery and explanation"
else
    echo "not ok $n - stable --json: $out"
    failed=$((failed + 1))
fi

check_err "malformed row: line and expectation, exit 2" 2 \
    "match: line 3: expected 5 values, got 4" -- "$BIN" match assign "$DATA/bad_short_row.txt"
check_err "malformed hr list, exit 2" 2 "match: line 2: missing ')'" -- \
    "$BIN" match stable "$DATA/bad_paren.txt"
check_err "unknown mode, exit 2" 2 \
    "match: --mode must be full, partial or maxcard, not 'best' (see --help)" -- \
    "$BIN" match assign "$DATA/small_dense.txt" --mode best
check_err "missing file argument, exit 2" 2 "match: missing input FILE (see --help)" -- \
    "$BIN" match assign
check_err "unknown option, exit 2" 2 "match: unknown option '--fast' (see --help)" -- \
    "$BIN" match stable "$DATA/small_hr.txt" --fast
check_err "hr file given to assign, exit 2" 2 \
    "match: an 'hr' file is for 'match stable', not 'match assign'" -- \
    "$BIN" match assign "$DATA/small_hr.txt"
check_err "bad lottery seed, exit 2" 2 "match: bad lottery seed in 'lottery:x' (see --help)" -- \
    "$BIN" match stable "$DATA/small_hr.txt" --tie-break lottery:x
check_err "explain unknown candidate, exit 2" 2 "match: --explain 9: no such candidate (0..4)" -- \
    "$BIN" match stable "$DATA/small_hr.txt" --explain 9
check_err "fractional threshold on int file, exit 2" 2 \
    "match: --threshold must be an integer for int files, not '2.5' (see --help)" -- \
    "$BIN" match assign "$DATA/small_dense.txt" --threshold 2.5
"$BIN" match assign "$TMP/does-not-exist" >/dev/null 2>"$TMP/err"
rc=$?
n=$((n + 1))
if [ $rc = 2 ] && grep -q "^match: cannot open" "$TMP/err"; then
    echo "ok $n - missing file, exit 2"
else
    echo "not ok $n - missing file (exit $rc)"
    failed=$((failed + 1))
fi
check "assign --help" 0 "*" -- "$BIN" match assign --help
check "stable --help" 0 "*" -- "$BIN" match stable --help
if [ -n "$VENDOR" ] && [ -r "$VENDOR/orlib-assign/assign100.txt" ]; then
    out=$("$BIN" match assign "$VENDOR/orlib-assign/assign100.txt" | tail -1)
    n=$((n + 1))
    if [ "$out" = "total 305" ]; then echo "ok $n - OR-Library assign100 through the CLI: 305"
    else echo "not ok $n - assign100: $out"; failed=$((failed + 1)); fi
fi
echo "1..$n"
[ $failed = 0 ]
