#!/bin/bash
# test_cli.sh - `tradebridge trade` end to end on the real BACI extract in
# data/trade: every file in data/trade/checks/ reproduced exactly, .csv.gz and
# .zip import, both dictionary layouts, BACI quirks (BOM, CRLF, NA, dropped
# leading zero), and bad input (truncated, unknown code, mixed HS revision,
# absurd value) stopping with the line and leaving stored data untouched.
set -u
BIN=${TB_BINARY:?TB_BINARY not set}
D=${TB_SOURCE_DIR:?TB_SOURCE_DIR not set}/data/trade
C=$D/checks
BACI=$D/baci/BACI_HS12_Y2018_shrimp6.csv
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() {
    n=$((n + 1))
    echo "not ok $n - $1"
    failed=$((failed + 1))
}
# same NAME FILE_A FILE_B
same() { if diff "$2" "$3" >"$TMP/diff"; then ok "$1"; else bad "$1"; head -5 "$TMP/diff" | sed 's/^/#   /'; fi; }
# fails NAME WANT_EXIT WANT_STDERR -- command...
fails() {
    local name=$1 want_rc=$2 want_err=$3
    shift 4
    "$@" >"$TMP/out" 2>"$TMP/err"
    local rc=$?
    if [ "$rc" = "$want_rc" ] && [ "$(cat "$TMP/err")" = "$want_err" ]; then
        ok "$name"
    else
        bad "$name (exit $rc, want $want_rc)"
        sed 's/^/#   err: /' "$TMP/err" | head -3
    fi
}

DB=$TMP/t.db
T=(--db "$DB")
if "$BIN" trade import "${T[@]}" --quiet "$BACI" >"$TMP/sum"; then ok "import the BACI extract"; else bad "import"; fi
if grep -q "HS12 2018: 8750 flows, 220 countries, 6 products, 0 bad rows skipped" "$TMP/sum"; then
    ok "summary names revision, year, flows, countries, products"
else bad "summary: $(cat "$TMP/sum")"; fi
"$BIN" trade import-geo "${T[@]}" "$D/cepii/dist_cepii.csv.gz" >/dev/null &&
"$BIN" trade import-wdi "${T[@]}" --gdp "$D/worldbank/gdp.csv.gz" \
    --population "$D/worldbank/population.csv.gz" >/dev/null && ok "import GeoDist and World Bank" ||
    bad "import GeoDist and World Bank"

# --- checks/: BACI code 490 is Taiwan here (TWN), "N/A" in the checks --------
twn() { sed 's/,490,N\/A,/,490,TWN,/' "$1"; }
"$BIN" trade products "${T[@]}" >"$TMP/p"
same "checks/world_imports_by_hs6.csv" "$TMP/p" "$C/world_imports_by_hs6.csv"
"$BIN" trade top "${T[@]}" --product 030617 --side importers >"$TMP/ti"
same "checks/top_importers_030617.csv" "$TMP/ti" <(twn "$C/top_importers_030617.csv")
"$BIN" trade top "${T[@]}" --product 030617 --side exporters >"$TMP/te"
same "checks/top_exporters_030617.csv" "$TMP/te" <(twn "$C/top_exporters_030617.csv")
"$BIN" trade gdp "${T[@]}" --from 2018 --to 2023 VNM USA JPN CHN ESP FRA DEU SWE IND ECU >"$TMP/g"
same "checks/gdp_cagr_2018_2023.csv" "$TMP/g" "$C/gdp_cagr_2018_2023.csv"
MCOLS=rank,code,iso3,import_value,home_exports,home_share,suppliers,hhi,distw_km
"$BIN" trade rank "${T[@]}" --home VNM --product 030617 --sort import_value --columns $MCOLS >"$TMP/m"
twd=$(zcat "$D/cepii/dist_cepii.csv.gz" | grep '^VNM;TWN;' | cut -d';' -f13)
same "checks/markets_VNM_030617.csv" "$TMP/m" <(twn "$C/markets_VNM_030617.csv" | sed "s/^\(14,490,TWN,.*\),\$/\1,$twd/")
ECOLS=rank,code,iso3,hs6,import_value,actual,potential,untapped,ease
SIX=030616,030617,030626,030627,160521,160529
"$BIN" trade rank "${T[@]}" --home VNM --product $SIX --per-product --sort untapped --columns $ECOLS >"$TMP/e"
same "checks/epi_within_group_VNM.csv" "$TMP/e" <(twn "$C/epi_within_group_VNM.csv")
"$BIN" trade rank "${T[@]}" --home vn --product 30616,30617,30626,30627,160521,160529 --per-product \
    --sort untapped --columns $ECOLS >"$TMP/e2"
same "alpha-2 home and codes without the leading zero give the same" "$TMP/e" "$TMP/e2"

# --- the ranking itself --------------------------------------------------------
"$BIN" trade rank "${T[@]}" --home VNM --product 030617 >"$TMP/r"
head -1 "$TMP/r" >"$TMP/rh"
if [ "$(head -1 "$TMP/r")" = "rank,code,iso3,import_value,import_cagr,home_exports,home_share,suppliers,hhi,distw_km,gdp,gdp_pc_growth,unit_value,supply,demand,ease,ease_estimated,potential,untapped,reexport_hub,score,explanation" ] &&
    [ "$(wc -l <"$TMP/r")" = 212 ]; then ok "rank: all columns, one row per market (211)"; else bad "rank header/rows"; fi
if grep -q '^[0-9]*,842,USA,4669097.935,,265883.077,0.056945,62,0.249768,13715.75,20656516000000,' "$TMP/r" &&
    grep '^[0-9]*,842,USA,' "$TMP/r" | grep -q '"large demand, you already hold 5.7%'; then
    ok "USA row: raw figures and the explanation in words"
else bad "USA row: $(grep ',842,USA,' "$TMP/r")"; fi
if grep '^[0-9]*,344,HKG,' "$TMP/r" | grep -q ',1,[0-9.]*,".*re-export hub'; then ok "Hong Kong flagged as a re-export hub"; else bad "hub flag"; fi
"$BIN" trade rank "${T[@]}" --home VNM --product 0306 --format json --limit 3 >"$TMP/j"
if python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
m=d["markets"]
assert d["home"]=="VNM" and d["revision"]=="HS12" and len(m)==3
assert [x["rank"] for x in m]==[1,2,3] and m[0]["score"]>=m[1]["score"]>=m[2]["score"]
assert m[0]["import_cagr"] is None and isinstance(m[0]["explanation"], str)
' "$TMP/j"; then ok "--format json, HS4 product, --limit"; else bad "json: $(head -c 300 "$TMP/j")"; fi
"$BIN" trade rank "${T[@]}" --home VNM --product 030617 --weights size=1,growth=0,untapped=0,share=0,distance=0,concentration=0,gdp_growth=0 \
    --columns iso3 --limit 3 >"$TMP/w"
if [ "$(tr '\n' ' ' <"$TMP/w")" = "iso3 USA CHN JPN " ]; then ok "--weights size only ranks by import value"; else bad "weights: $(cat "$TMP/w")"; fi

"$BIN" trade rank "${T[@]}" --home VNM --product 030617 --ease gravity --columns iso3,home_exports,ease,ease_estimated,explanation >"$TMP/gr"
est=$(awk -F, '$4 == 1 && $2 == "0.000" && $3 > 0' "$TMP/gr" | wc -l)
if [ "$est" -gt 10 ] && [ "$(awk -F, '$4 == 1 && $2 != "0.000"' "$TMP/gr" | wc -l)" = 0 ] &&
    grep -q '^USA,265883.077,0.614886,0,' "$TMP/gr" && grep -q 'ease of trade estimated from distance' "$TMP/gr"; then
    ok "--ease gravity estimates ease only where home sells nothing ($est markets), and says so"
else bad "--ease gravity"; fi

# --- formats: gzip, zip with its own dictionary, the old dictionary layout ------
gzip -c "$BACI" >"$TMP/BACI_HS12_Y2018_g.csv.gz"
"$BIN" trade import --db "$TMP/gz.db" --quiet "$TMP/BACI_HS12_Y2018_g.csv.gz" >/dev/null &&
    "$BIN" trade products --db "$TMP/gz.db" >"$TMP/pg" && same ".csv.gz import" "$TMP/pg" "$TMP/p" || bad ".csv.gz import"
python3 - "$TMP/BACI_HS12_V202201.zip" "$BACI" "$D/baci/country_codes_V202201.csv" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.write(sys.argv[2], "BACI_HS12_Y2018_V202201.csv")
    z.write(sys.argv[3], "country_codes_V202201.csv")
EOF
"$BIN" trade import --db "$TMP/zip.db" --quiet "$TMP/BACI_HS12_V202201.zip" >"$TMP/zs" &&
    "$BIN" trade products --db "$TMP/zip.db" >"$TMP/pz" && same ".zip import (CEPII layout)" "$TMP/pz" "$TMP/p" || bad ".zip import"
"$BIN" trade import --db "$TMP/d1.db" --quiet --countries "$D/baci/country_codes_V202201.csv" "$BACI" >/dev/null &&
    "$BIN" trade top --db "$TMP/d1.db" --product 030617 --side importers >"$TMP/td" &&
    same "--countries with the V202201 layout (BOM, CRLF)" "$TMP/td" "$TMP/ti" || bad "--countries"
# BOM, CRLF, a dropped leading zero and NA/empty/blank quantities
awk -F, 'BEGIN{OFS=","} NR==1{print "\xEF\xBB\xBF" $0 "\r"; next}
    {sub(/^0/, "", $4); if (NR%3==0) $6="NA"; else if (NR%3==1) $6=""; else $6="  "; print $0 "\r"}' "$BACI" >"$TMP/BACI_HS12_Y2018_q.csv"
"$BIN" trade import --db "$TMP/q.db" --quiet "$TMP/BACI_HS12_Y2018_q.csv" >/dev/null &&
    "$BIN" trade products --db "$TMP/q.db" >"$TMP/pq" && same "BOM, CRLF, NA quantities, dropped leading zero" "$TMP/pq" "$TMP/p" ||
    bad "quirks import"

# --- bad input: stops with the line, stored data untouched ----------------------
sum_before=$(md5sum "$DB.trade/HS12_2018.tbt")
sed '5000s/^2018,[0-9]*,/2018,999,/' "$BACI" >"$TMP/BACI_HS12_Y2018_u.csv"
fails "unknown country code: exit 1 with the line" 1 \
    "tradebridge trade: $TMP/BACI_HS12_Y2018_u.csv:5000: unknown exporter code 999 (not in the country dictionary) (nothing was stored; --skip-bad skips such rows)" -- \
    "$BIN" trade import "${T[@]}" --quiet "$TMP/BACI_HS12_Y2018_u.csv"
if "$BIN" trade import --db "$TMP/u.db" --quiet --skip-bad "$TMP/BACI_HS12_Y2018_u.csv" >"$TMP/us" &&
    grep -q "8749 flows.*1 bad rows skipped" "$TMP/us" && grep -q "first bad row: line 5000: unknown exporter code 999" "$TMP/us" &&
    grep -qx "unknown country codes: code 999 (1 row) - not in the country dictionary, not imported" "$TMP/us"; then
    ok "--skip-bad counts the row, names it and lists the unknown codes"
else bad "--skip-bad: $(cat "$TMP/us")"; fi
sed '7s/,[0-9.]*,\([0-9.NA]*\)$/,2000000000,\1/' "$BACI" >"$TMP/BACI_HS12_Y2018_a.csv"
fails "absurd value" 1 \
    "tradebridge trade: $TMP/BACI_HS12_Y2018_a.csv:7: value 2000000000.000 thousand USD is absurd for one flow (nothing was stored; --skip-bad skips such rows)" -- \
    "$BIN" trade import "${T[@]}" --quiet "$TMP/BACI_HS12_Y2018_a.csv"
head -c 150000 "$BACI" >"$TMP/BACI_HS12_Y2018_t.csv"
last=$(wc -l <"$TMP/BACI_HS12_Y2018_t.csv")
"$BIN" trade import "${T[@]}" --quiet "$TMP/BACI_HS12_Y2018_t.csv" >/dev/null 2>"$TMP/err"
rc=$?
if [ $rc = 1 ] && grep -q "BACI_HS12_Y2018_t.csv:$((last + 1)): column" "$TMP/err"; then ok "truncated CSV: the cut line is named"; else bad "truncated csv (rc $rc): $(cat "$TMP/err")"; fi
head -c 40000 "$TMP/BACI_HS12_Y2018_g.csv.gz" >"$TMP/BACI_HS12_Y2018_tg.csv.gz"
"$BIN" trade import "${T[@]}" --quiet "$TMP/BACI_HS12_Y2018_tg.csv.gz" >/dev/null 2>"$TMP/err"
rc=$?
if [ $rc = 1 ] && grep -q "truncated" "$TMP/err"; then ok "truncated .csv.gz"; else bad "truncated gz (rc $rc): $(cat "$TMP/err")"; fi
sed 's/^2018,/2019,/; 1s/.*/t,i,j,k,v,q/' "$BACI" >"$TMP/BACI_HS17_Y2019_x.csv"
fails "a year in another HS revision" 1 \
    "tradebridge trade: $TMP/BACI_HS17_Y2019_x.csv: HS17 differs from the stored years' HS12 (year 2018): every year must use one HS revision" -- \
    "$BIN" trade import "${T[@]}" --quiet "$TMP/BACI_HS17_Y2019_x.csv"
printf 'year,exporter\n2018,4\n' >"$TMP/BACI_HS12_Y2018_h.csv"
fails "not a BACI header" 1 \
    "tradebridge trade: $TMP/BACI_HS12_Y2018_h.csv:1: not a BACI file: the header must be t,i,j,k,v,q" -- \
    "$BIN" trade import "${T[@]}" --quiet "$TMP/BACI_HS12_Y2018_h.csv"
fails "no revision in the name" 1 \
    "tradebridge trade: $TMP/p: cannot tell the HS revision from the file name; give --revision HSnn" -- \
    "$BIN" trade import "${T[@]}" --quiet "$TMP/p"
if [ "$(md5sum "$DB.trade/HS12_2018.tbt")" = "$sum_before" ] && [ -z "$(ls -A "$DB.trade" | grep -v '^HS12_2018.tbt$\|^geo.tbg$\|^wdi.tbw$')" ]; then
    ok "after every failed import the stored year is unchanged, no temp files left"
else bad "stored data changed"; fi

# --- importing a year again replaces it -------------------------------------------
sed '2s/,2.281,/,1002.281,/' "$BACI" >"$TMP/BACI_HS12_Y2018_r.csv"
"$BIN" trade import "${T[@]}" --quiet "$TMP/BACI_HS12_Y2018_r.csv" >/dev/null
if "$BIN" trade products "${T[@]}" | grep -q '^030627,1389,171,113,908710.841$'; then ok "re-import replaces the year"; else bad "re-import"; fi
"$BIN" trade import "${T[@]}" --quiet "$BACI" >/dev/null
"$BIN" trade products "${T[@]}" >"$TMP/p2"
same "and back" "$TMP/p2" "$TMP/p"

# --- several years: averages and import CAGR --------------------------------------
awk -F, 'BEGIN{OFS=","} NR==1{print; next} {$1=2019; $5=sprintf("%.3f", $5*1.1); print}' "$BACI" >"$TMP/BACI_HS12_Y2019_s.csv"
"$BIN" trade import "${T[@]}" --quiet "$TMP/BACI_HS12_Y2019_s.csv" >/dev/null
"$BIN" trade rank "${T[@]}" --home VNM --product 030617 --sort import_value --columns iso3,import_value,import_cagr --limit 1 >"$TMP/y2"
"$BIN" trade rank "${T[@]}" --home VNM --product 030617 --years 2018 --sort import_value --columns iso3,import_value,import_cagr --limit 1 >"$TMP/y1"
if [ "$(tail -1 "$TMP/y2")" = "USA,4902552.832,0.100000" ] && [ "$(tail -1 "$TMP/y1")" = "USA,4669097.935," ] &&
    "$BIN" trade years "${T[@]}" | grep -q '^HS12,2019,8750,220,6$'; then
    ok "two years: average import value, CAGR 10 %, --years picks one"
else bad "years: $(cat "$TMP/y2" "$TMP/y1")"; fi

# --- a product dictionary rejects codes outside it ------------------------------------
printf 'code,description\n030616,a\n030617,b\n030626,c\n030627,d\n160521,e\n' >"$TMP/products.csv"
line=$(grep -n ',160529,' "$BACI" | head -1 | cut -d: -f1)
fails "--products: a code outside the dictionary names the line" 1 \
    "tradebridge trade: $BACI:$line: product 160529 is not an HS12 code of the product dictionary (nothing was stored; --skip-bad skips such rows)" -- \
    "$BIN" trade import --db "$TMP/pd.db" --quiet --products "$TMP/products.csv" "$BACI"

cp "$TMP/products.csv" "$TMP/product_codes_HS17_V202501.csv"
fails "--products of another HS revision" 1 \
    "tradebridge trade: $BACI: the file is HS12 but the product dictionary is HS17" -- \
    "$BIN" trade import --db "$TMP/pd.db" --quiet --products "$TMP/product_codes_HS17_V202501.csv" "$BACI"

# --- usage -------------------------------------------------------------------------
fails "rank without --home" 2 "tradebridge trade: rank needs --home CC and --product HS (see 'tradebridge trade --help')" -- \
    "$BIN" trade rank "${T[@]}" --product 030617
fails "bad product code" 2 "tradebridge trade: --product wants HS codes of 2, 4 or 6 digits, not '03061x' (see 'tradebridge trade --help')" -- \
    "$BIN" trade rank "${T[@]}" --home VNM --product 03061x
fails "home without trade" 1 "tradebridge trade: home country ZZZ has no trade in the stored years" -- \
    "$BIN" trade rank "${T[@]}" --home ZZZ --product 030617
fails "unknown weight" 2 "tradebridge trade: unknown weight in 'colour=1' (use size, growth, untapped, share, distance, concentration, gdp_growth) (see 'tradebridge trade --help')" -- \
    "$BIN" trade rank "${T[@]}" --home VNM --product 030617 --weights colour=1

echo "1..$n"
[ $failed = 0 ]
