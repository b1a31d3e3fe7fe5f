#!/bin/bash
# load.sh - the API under wrk beside nginx, in one run. Serves a fresh demo
# database with `tradebridge serve` and, on another port, nginx (Debian)
# answering the same JSON body from memory; then, ROUNDS (2) times, each phase
# of PHASES for SECONDS (10) with CONNECTIONS (64) connections and THREADS (2)
# wrk threads:
#   reads   GET /api/v1/companies/1 with a coordinator's bearer token
#   nginx   the same body, same size, from nginx's memory (`return 200`)
#   list    GET /api/v1/companies?limit=LIST_LIMIT (10), same token: a page of records
#   nginx-list  that page's body as a static file from nginx
#   writes  POST /api/v1/companies (create a company, audited)
#   mixed   WRITE_PCT (20) percent writes, the rest reads
# Reports req/s, latency percentiles, non-2xx and socket errors per phase,
# reads as a share of nginx per round, and the server's RSS over its phases.
# Exits 1 if TradeBridge answered any request with an error. Needs wrk and
# nginx: scripts/install-deps.sh bench.
#
#   bench/api/load.sh [SECONDS]   env: ROUNDS PHASES CONNECTIONS THREADS WRITE_PCT BUILD LIST_LIMIT
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=bench/api/common.sh
. "$root/bench/api/common.sh"
secs=${1:-10}
rounds=${ROUNDS:-2}
phases=${PHASES:-reads nginx writes}
conns=${CONNECTIONS:-64}
wthreads=${THREADS:-2}
build=${BUILD:-$root/build}
bin=$build/tradebridge
nginx=$(command -v nginx || echo /usr/sbin/nginx)
command -v wrk >/dev/null || { echo "load.sh: wrk is missing (scripts/install-deps.sh bench)" >&2; exit 1; }
[ -x "$nginx" ] || { echo "load.sh: nginx is missing (scripts/install-deps.sh bench)" >&2; exit 1; }
ninja -C "$build" tradebridge >/dev/null

tmp=$(mktemp -d /tmp/tb-load-XXXXXX)
spid="" npid="" sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  [ -n "$spid" ] && kill -TERM "$spid" 2>/dev/null && wait "$spid" 2>/dev/null || true
  [ -n "$npid" ] && kill -QUIT "$npid" 2>/dev/null && wait "$npid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$bin" demo --db "$tmp/bench.db" --no-serve --force >/dev/null
"$bin" serve --db "$tmp/bench.db" --listen 127.0.0.1:0 --log-level warn --max-connections-per-address 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
spid=$!
port=$(listening_port "$tmp/serve.out")
[ -n "$port" ] || { echo "load.sh: the server did not start:" >&2; cat "$tmp/serve.err" >&2; exit 1; }
base=http://127.0.0.1:$port

# A coordinator's bearer token; the demo's first company is in their scope.
curl -sf -c "$tmp/jar" -o "$tmp/login.json" -H 'Content-Type: application/json' \
  -d '{"email":"coordinator@demo.tradebridge.org","password":"TradeBridge-demo-2026"}' "$base/api/v1/auth/login"
csrf=$(sed -n 's/.*"csrf_token": *"\([^"]*\)".*/\1/p' "$tmp/login.json")
TB_TOKEN=$(curl -sf -b "$tmp/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"name":"load test"}' "$base/api/v1/tokens" | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')
export TB_TOKEN TB_COMPANY_ID=${TB_COMPANY_ID:-1}
[ -n "$TB_TOKEN" ] || { echo "load.sh: could not make a token" >&2; exit 1; }
curl -sf -H "Authorization: Bearer $TB_TOKEN" "$base/api/v1/companies/$TB_COMPANY_ID" >"$tmp/company.json" ||
  { echo "load.sh: the token cannot read company $TB_COMPANY_ID" >&2; exit 1; }
size=$(stat -c %s "$tmp/company.json")
list_path="/api/v1/companies?limit=${LIST_LIMIT:-10}"
curl -sf -H "Authorization: Bearer $TB_TOKEN" "$base$list_path" >"$tmp/list.json" ||
  { echo "load.sh: the token cannot list companies" >&2; exit 1; }
list_size=$(stat -c %s "$tmp/list.json")

# The peer: nginx returns the same JSON body from memory.
nport=$(free_port)
grep -q '[$]' "$tmp/company.json" && { echo "load.sh: the body has a \$, which nginx's return would expand" >&2; exit 1; }
body=$(sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g" "$tmp/company.json")
# The page is longer than a configuration parameter may be: nginx serves it
# as a static file (from the page cache, with its descriptor cached).
mkdir -p "$tmp/www" && cp "$tmp/list.json" "$tmp/www/list.json"
mkdir -p "$tmp/nginx" && nginx_head "$tmp/nginx" >"$tmp/nginx/nginx.conf"
cat >>"$tmp/nginx/nginx.conf" <<CONF
  server {
    listen 127.0.0.1:$nport;
    keepalive_requests 1000000;
    location = /company.json { default_type application/json; return 200 '$body'; }
    location = /list.json { default_type application/json; root $tmp/www; open_file_cache max=16; etag off; }
  }
}
CONF
"$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" &
npid=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$nport/company.json" && break; sleep 0.05; done
psize=$(curl -sf "http://127.0.0.1:$nport/company.json" | wc -c)
[ "$psize" -eq "$size" ] || { echo "load.sh: nginx answers $psize bytes, TradeBridge $size" >&2; exit 1; }
psize=$(curl -sf "http://127.0.0.1:$nport/list.json" | wc -c)
[ "$psize" -eq "$list_size" ] || { echo "load.sh: nginx answers $psize bytes for the list, TradeBridge $list_size" >&2; exit 1; }

echo "TradeBridge $(git -C "$root" rev-parse --short HEAD) on $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg): $conns connections, $secs s per phase, $rounds rounds," \
  "wrk with $wthreads threads on the same cores; server: $(sed -n 's/.*(\([0-9]* worker threads\).*/\1/p' "$tmp/serve.out");" \
  "nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///'), $(nproc) workers; body $size bytes (list: $list_size)"
rss_start=$(rss_kib "$spid")
# Server RSS once a second while the load runs.
( while kill -0 "$spid" 2>/dev/null; do rss_kib "$spid" >>"$tmp/rss" || true; sleep 1; done ) &
sampler=$!

# CPU time (user + system, clock ticks) of the given processes so far.
cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
hz=$(getconf CLK_TCK)
nworkers=$(pgrep -P "$npid" | tr '\n' ' ')

# run NAME URL WRITE_PCT [TB_PATH]: one wrk phase; prints its RESULT line
# and the server's CPU time per request (less sensitive than req/s to other
# load on a shared machine).
run() {
  local out="$tmp/$1.out" pids=$spid
  case $1 in nginx*) pids=$nworkers ;; esac
  # shellcheck disable=SC2086
  local c0; c0=$(cpu_ticks $pids)
  WRITE_PCT=$3 TB_PATH=${4:-} TB_READ_PATH=${5:-} wrk -t"$wthreads" -c"$conns" -d"${secs}s" --timeout 10s \
    -s "$root/bench/api/mixed.lua" "$2" >"$out" 2>"$tmp/$1.err"
  # shellcheck disable=SC2086
  local c1; c1=$(cpu_ticks $pids)
  local res; res=$(grep '^RESULT' "$out" | sed 's/^RESULT //')
  local n; n=$(sed 's/^requests=\([0-9]*\).*/\1/' <<<"$res")
  res="$res cpu_us_per_req=$(awk -v t=$((c1 - c0)) -v hz="$hz" -v n="$n" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')"
  printf '%-7s %s\n' "$1" "$res"
  [ -s "$tmp/$1.err" ] && sed "s/^/$1 wrk: /" "$tmp/$1.err" | head -3
  case $1 in nginx*) ;; *) grep -q 'non2xx=0 socket_errors=0' <<<"$res" || echo "$1" >>"$tmp/failed" ;; esac
  sed 's/.*req_per_s=\([0-9]*\).*/\1/' <<<"$res" >"$tmp/$1.rps"
  sed 's/.*cpu_us_per_req=\([0-9.]*\).*/\1/' <<<"$res" >"$tmp/$1.cpu"
}
for r in $(seq "$rounds"); do
  echo "round $r"
  for p in $phases; do
    case $p in
      reads) run reads "$base" 0 ;;
      writes) run writes "$base" 100 ;;
      mixed) run mixed "$base" "${WRITE_PCT:-20}" ;;
      nginx) run nginx "http://127.0.0.1:$nport" 0 /company.json ;;
      list) run list "$base" 0 "" "$list_path" ;;
      nginx-list) run nginx-list "http://127.0.0.1:$nport" 0 /list.json ;;
      *) echo "load.sh: unknown phase $p" >&2; exit 1 ;;
    esac
  done
  if [ -s "$tmp/reads.rps" ] && [ -s "$tmp/nginx.rps" ]; then
    awk -v a="$(cat "$tmp/reads.rps")" -v b="$(cat "$tmp/nginx.rps")" \
      'BEGIN { printf "ratio   reads / nginx = %.2f (req/s)", a / b }'
    awk -v a="$(cat "$tmp/reads.cpu")" -v b="$(cat "$tmp/nginx.cpu")" \
      'BEGIN { printf ", nginx / reads = %.2f (CPU time per request)\n", b / a }'
  fi
  if [ -s "$tmp/list.rps" ] && [ -s "$tmp/nginx-list.rps" ]; then
    awk -v a="$(cat "$tmp/list.rps")" -v b="$(cat "$tmp/nginx-list.rps")" \
      'BEGIN { printf "ratio   list / nginx-list = %.2f (req/s)", a / b }'
    awk -v a="$(cat "$tmp/list.cpu")" -v b="$(cat "$tmp/nginx-list.cpu")" \
      'BEGIN { printf ", nginx / list = %.2f (CPU time per request)\n", b / a }'
  fi
done

kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=""
rss_end=$(rss_kib "$spid")
n=$(wc -l <"$tmp/rss")
rss_mid=$(sed -n "$(( (n + 1) / 2 ))p" "$tmp/rss")
rss_max=$(sort -n "$tmp/rss" | tail -1)
echo "server  rss_kib start=$rss_start middle=$rss_mid end=$rss_end max=$rss_max, $n samples"
kill -TERM "$spid"; wait "$spid" || { echo "load.sh: the server did not stop cleanly" >&2; exit 1; }
spid=""
# The load test passes only without a single error.
[ -s "$tmp/failed" ] && { echo "load.sh: tradebridge answered with errors in: $(sort -u "$tmp/failed" | tr '\n' ' ')" >&2; exit 1; }
exit 0
