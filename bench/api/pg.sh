#!/bin/bash
# pg.sh - issue 18's benchmark, in one run: the API on PostgreSQL against the
# SQLite backend, and two servers behind nginx on one PostgreSQL against one.
# Builds the demo on SQLite, copies it into a throw-away PostgreSQL cluster
# (tests/pg/cluster.sh, `tradebridge db copy`), serves the SQLite database, the
# PostgreSQL one with one server and with two more servers behind nginx (an
# upstream of the two, keep-alive connections), then for each phase of PHASES
# runs wrk (mixed.lua, CONNECTIONS (64) connections, THREADS (2) threads) for
# SECONDS (6) against each target in turn:
#   reads   GET /api/v1/companies/1 with a coordinator's bearer token
#   writes  POST /api/v1/companies (create a company, audited)
#   mixed   WRITE_PCT (20) percent writes, the rest reads
# Prints req/s, p50/p99, non-2xx and socket errors per phase and target, the
# ratios PostgreSQL / SQLite and two servers / one server, and the goals
# (PostgreSQL at 0.8 of SQLite or more, p99 under 5 ms). Exits 1 if any
# server answered a request with an error. Needs wrk, nginx and PostgreSQL's
# server: scripts/install-deps.sh bench, apt-get install postgresql.
#
#   bench/api/pg.sh [SECONDS]   env: PHASES CONNECTIONS THREADS WRITE_PCT BUILD BIN
#                               SERVER_THREADS (serve --threads) WARMUP (1 s, per target)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=bench/api/common.sh
. "$root/bench/api/common.sh"
secs=${1:-6}
phases=${PHASES:-reads writes mixed}
conns=${CONNECTIONS:-64}
wthreads=${THREADS:-2}
build=${BUILD:-$root/build}
bin=${BIN:-$build/tradebridge}   # BIN: a binary built elsewhere (no ninja)
cluster=$root/tests/pg/cluster.sh
nginx=$(command -v nginx || echo /usr/sbin/nginx)
command -v wrk >/dev/null || { echo "pg.sh: wrk is missing (scripts/install-deps.sh bench)" >&2; exit 1; }
[ -x "$nginx" ] || { echo "pg.sh: nginx is missing (scripts/install-deps.sh bench)" >&2; exit 1; }
[ -n "${BIN:-}" ] || ninja -C "$build" tradebridge >/dev/null

tmp=$(mktemp -d /tmp/tb-pgbench-XXXXXX)
pgdir=$(mktemp -d /tmp/tb-pgbench-pg.XXXXXX)   # its own: cluster.sh hands it to nobody under root
spids="" npid=""
cleanup() {
  local p
  for p in $spids; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  [ -n "$npid" ] && kill -QUIT "$npid" 2>/dev/null && wait "$npid" 2>/dev/null || true
  "$cluster" stop "$pgdir" || true
  rm -rf "$tmp"
}
trap cleanup EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The demo on SQLite, copied as it is into PostgreSQL (the demo itself takes
# minutes there: one round trip per statement).
export TRADEBRIDGE_TRADE_DIR=$tmp/trade
mkdir -p "$TRADEBRIDGE_TRADE_DIR"
"$bin" demo --db "$tmp/bench.db" --no-serve --force >/dev/null
pgurl=$("$cluster" start "$pgdir")
"$bin" db copy --from "sqlite:$tmp/bench.db" --to "$pgurl" >"$tmp/copy.out" 2>&1 ||
  { echo "pg.sh: db copy failed:" >&2; tail -5 "$tmp/copy.out" >&2; exit 1; }
# Planner statistics and the visibility map, as after a restore (the copy
# analyzes, it does not vacuum), so autovacuum does not run into the measurements.
psql "${pgurl/tradebridge@/postgres@}" -qAt -v ON_ERROR_STOP=1 -c "VACUUM ANALYZE" >/dev/null

# serve NAME DB: starts a server on a free port, sets port[NAME].
declare -A port
serve() {
  "$bin" serve --db "$2" --listen 127.0.0.1:0 --log-level warn --max-connections-per-address 0 \
    ${SERVER_THREADS:+--threads "$SERVER_THREADS"} \
    >"$tmp/$1.out" 2>"$tmp/$1.err" &
  spids="$spids $!"
  local p; p=$(listening_port "$tmp/$1.out")
  [ -n "$p" ] || { echo "pg.sh: the $1 server did not start:" >&2; cat "$tmp/$1.err" >&2; exit 1; }
  port[$1]=$p
}
serve sqlite "$tmp/bench.db"
serve pg "$pgurl"
serve pga "$pgurl"
serve pgb "$pgurl"

# Two servers behind nginx: an upstream with keep-alive connections to both.
nport=$(free_port)
mkdir -p "$tmp/nginx" && nginx_head "$tmp/nginx" >"$tmp/nginx/nginx.conf"
cat >>"$tmp/nginx/nginx.conf" <<CONF
  upstream tradebridge {
    server 127.0.0.1:${port[pga]};
    server 127.0.0.1:${port[pgb]};
    keepalive $conns;
  }
  server {
    listen 127.0.0.1:$nport;
    keepalive_requests 1000000;
    location / {
      proxy_pass http://tradebridge;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_buffering off;
    }
  }
}
CONF
"$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" &
npid=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$nport/healthz" && break; sleep 0.05; done

# token BASE: a coordinator's bearer token (the demo's first company is in their scope).
token() {
  curl -sf -c "$tmp/jar" -o "$tmp/login.json" -H 'Content-Type: application/json' \
    -d '{"email":"coordinator@demo.tradebridge.org","password":"TradeBridge-demo-2026"}' "$1/api/v1/auth/login"
  local csrf; csrf=$(sed -n 's/.*"csrf_token": *"\([^"]*\)".*/\1/p' "$tmp/login.json")
  curl -sf -b "$tmp/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d '{"name":"load test"}' "$1/api/v1/tokens" | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p'
}
export TB_COMPANY_ID=${TB_COMPANY_ID:-1}
declare -A base=([sqlite]=http://127.0.0.1:${port[sqlite]} [pg]=http://127.0.0.1:${port[pg]} [pg2]=http://127.0.0.1:$nport)
declare -A tok
tok[sqlite]=$(token "${base[sqlite]}")
tok[pg]=$(token "${base[pg]}")
tok[pg2]=${tok[pg]}   # the same database
for t in sqlite pg pg2; do
  [ -n "${tok[$t]}" ] && curl -sf -o /dev/null -H "Authorization: Bearer ${tok[$t]}" "${base[$t]}/api/v1/companies/$TB_COMPANY_ID" ||
    { echo "pg.sh: $t: no token that reads company $TB_COMPANY_ID" >&2; exit 1; }
done

echo "TradeBridge $(git -C "$root" rev-parse --short HEAD) on $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')," \
  "load average $(load): $conns connections, $secs s per phase, wrk with $wthreads threads on the same cores;" \
  "each server $(sed -n 's/.*(\([0-9]* worker threads\).*/\1/p' "$tmp/sqlite.out");" \
  "PostgreSQL $("$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/postgres" -V | awk '{print $3}');" \
  "nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///'), $(nproc) workers, in front of two servers (pg2)"

# Warm-up, not reported: each server's connections, caches and prepared statements.
for t in sqlite pg pg2; do
  TB_TOKEN=${tok[$t]} WRITE_PCT=0 wrk -t"$wthreads" -c"$conns" -d"${WARMUP:-1}s" \
    -s "$root/bench/api/mixed.lua" "${base[$t]}" >/dev/null 2>&1
done

# run PHASE TARGET WRITE_PCT: one wrk run; prints its RESULT line.
declare -A rps p99
run() {
  local out="$tmp/$1-$2.out"
  TB_TOKEN=${tok[$2]} WRITE_PCT=$3 wrk -t"$wthreads" -c"$conns" -d"${secs}s" --timeout 10s \
    -s "$root/bench/api/mixed.lua" "${base[$2]}" >"$out" 2>"$tmp/$1-$2.err"
  local res; res=$(grep '^RESULT' "$out" | sed 's/^RESULT //')
  printf '%-7s %-7s %s\n' "$1" "$2" "$res"
  [ -s "$tmp/$1-$2.err" ] && sed "s/^/$1 $2 wrk: /" "$tmp/$1-$2.err" | head -3
  grep -q 'non2xx=0 socket_errors=0' <<<"$res" || echo "$1 $2" >>"$tmp/failed"
  rps[$1-$2]=$(sed 's/.*req_per_s=\([0-9]*\).*/\1/' <<<"$res")
  p99[$1-$2]=$(sed 's/.*p99_ms=\([0-9.]*\).*/\1/' <<<"$res")
}
for p in $phases; do
  case $p in
    reads) pct=0 ;;
    writes) pct=100 ;;
    mixed) pct=${WRITE_PCT:-20} ;;
    *) echo "pg.sh: unknown phase $p" >&2; exit 1 ;;
  esac
  for t in sqlite pg pg2; do run "$p" "$t" "$pct"; done
  awk -v s="${rps[$p-sqlite]}" -v a="${rps[$p-pg]}" -v b="${rps[$p-pg2]}" -v q="${p99[$p-pg]}" -v p="$p" \
    'BEGIN { printf "ratio   %-7s pg / sqlite = %.2f (goal 0.8: %s), pg2 / pg = %.2f (req/s); pg p99 %.2f ms (goal 5: %s)\n",
             p, a / s, (a / s >= 0.8 ? "met" : "not met"), b / a, q, (q < 5 ? "met" : "not met") }'
done
echo "load average at the end $(load)"

for p in $spids; do kill -TERM "$p"; wait "$p" || { echo "pg.sh: a server did not stop cleanly" >&2; exit 1; }; done
spids=""
[ -s "$tmp/failed" ] && { echo "pg.sh: errors in: $(sort -u "$tmp/failed" | tr '\n' ' ')" >&2; exit 1; }
exit 0
