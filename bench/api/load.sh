#!/bin/bash
# load.sh - load test of the API with wrk: CONNECTIONS (64) connections for
# SECONDS (60) of mixed authenticated reads (GET /api/v1/companies/ID, bearer
# token) and writes (POST /api/v1/companies, WRITE_PCT=20 percent) against
# `tradebridge serve` on a fresh demo database. Reports req/s, latency
# percentiles, non-2xx and socket errors, and the server's RSS before, in the
# middle of and after the load. Then the named peer in the same run: nginx
# (Debian) serving a JSON body of the same size from memory, same connections
# and duration (GETs only). Needs wrk and nginx: scripts/install-deps.sh bench.
#
#   bench/api/load.sh [SECONDS]      env: CONNECTIONS THREADS WRITE_PCT BUILD
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
conns=${CONNECTIONS:-64}
wthreads=${THREADS:-2}
export WRITE_PCT=${WRITE_PCT:-20}
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

"$bin" demo --db "$tmp/bench.db" --no-serve --force >/dev/null
"$bin" serve --db "$tmp/bench.db" --listen 127.0.0.1:0 --log-level warn --max-connections-per-address 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
spid=$!
for _ in $(seq 200); do
  port=$(sed -n 's/^tradebridge: listening on http:\/\/127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$tmp/serve.out")
  [ -n "$port" ] && break
  sleep 0.05
done
[ -n "$port" ] || { echo "load.sh: the server did not start:" >&2; cat "$tmp/serve.err" >&2; exit 1; }
base=http://127.0.0.1:$port

# A coordinator's bearer token and one company to read.
curl -sf -c "$tmp/jar" -o "$tmp/login.json" -H 'Content-Type: application/json' \
  -d '{"email":"coordinator@demo.tradebridge.org","password":"TradeBridge-demo-2026"}' "$base/api/v1/auth/login"
csrf=$(sed -n 's/.*"csrf_token": *"\([^"]*\)".*/\1/p' "$tmp/login.json")
TB_TOKEN=$(curl -sf -b "$tmp/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"name":"load test"}' "$base/api/v1/tokens" | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')
export TB_TOKEN
TB_COMPANY_ID=$(curl -sf -H "Authorization: Bearer $TB_TOKEN" -H 'Content-Type: application/json' \
  -d '{"legal_name":"Load Reference AB","country":"SE"}' "$base/api/v1/companies" | sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
export TB_COMPANY_ID
[ -n "$TB_TOKEN" ] && [ -n "$TB_COMPANY_ID" ] || { echo "load.sh: could not set up a token and a company" >&2; exit 1; }
curl -sf -H "Authorization: Bearer $TB_TOKEN" "$base/api/v1/companies/$TB_COMPANY_ID" >"$tmp/company.json"
size=$(stat -c %s "$tmp/company.json")

echo "TradeBridge $(git -C "$root" rev-parse --short HEAD) on $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'):" \
  "$conns connections, $secs s, $WRITE_PCT% writes, wrk with $wthreads threads;" \
  "server: $(sed -n 's/.*(\([0-9]* worker threads\).*/\1/p' "$tmp/serve.out")"
rss_start=$(rss_kib "$spid")
# RSS once a second while the load runs.
( while kill -0 "$spid" 2>/dev/null; do rss_kib "$spid" >>"$tmp/rss" || true; sleep 1; done ) &
sampler=$!
wrk -t"$wthreads" -c"$conns" -d"${secs}s" --timeout 10s -s "$root/bench/api/mixed.lua" "$base" >"$tmp/wrk.out" 2>"$tmp/wrk.err"
kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=""
rss_end=$(rss_kib "$spid")
n=$(wc -l <"$tmp/rss")
rss_mid=$(sed -n "$(( (n + 1) / 2 ))p" "$tmp/rss")
rss_max=$(sort -n "$tmp/rss" | tail -1)
tb=$(grep '^RESULT' "$tmp/wrk.out" | sed 's/^RESULT //')
echo "tradebridge  $tb"
echo "tradebridge  rss_kib start=$rss_start middle=$rss_mid end=$rss_end max=$rss_max, $n samples (GET body $size bytes)"
[ -s "$tmp/wrk.err" ] && sed 's/^/tradebridge  wrk: /' "$tmp/wrk.err" | head -5
kill -TERM "$spid"; wait "$spid" || { echo "load.sh: the server did not stop cleanly" >&2; exit 1; }
spid=""

# The peer: nginx returns a JSON body of the same size from memory.
nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
grep -q '[$]' "$tmp/company.json" && { echo "load.sh: the body has a \$, which nginx's return would expand" >&2; exit 1; }
body=$(sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g" "$tmp/company.json")
user=""; [ "$(id -u)" -eq 0 ] && user="user root;"
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx/nginx.conf" <<CONF
$user
worker_processes $(nproc);
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  server {
    listen 127.0.0.1:$nport;
    keepalive_requests 1000000;
    location = /company.json { default_type application/json; return 200 '$body'; }
  }
}
CONF
"$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" &
npid=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$nport/company.json" && break; sleep 0.05; done
psize=$(curl -sf "http://127.0.0.1:$nport/company.json" | wc -c)
TB_PATH=/company.json wrk -t"$wthreads" -c"$conns" -d"${secs}s" --timeout 10s -s "$root/bench/api/mixed.lua" \
  "http://127.0.0.1:$nport" >"$tmp/peer.out" 2>&1
peer=$(grep '^RESULT' "$tmp/peer.out" | sed 's/^RESULT //')
echo "nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///')  $peer (static body $psize bytes, $(nproc) workers)"
tb_rps=$(sed 's/.*req_per_s=\([0-9]*\).*/\1/' <<<"$tb")
peer_rps=$(sed 's/.*req_per_s=\([0-9]*\).*/\1/' <<<"$peer")
awk -v a="$tb_rps" -v b="$peer_rps" 'BEGIN { printf "ratio: tradebridge / nginx = %.1f%% of the peer'"'"'s req/s\n", 100 * a / b }'
# The load test passes only without a single error.
grep -q 'non2xx=0 socket_errors=0' <<<"$tb" || { echo "load.sh: tradebridge answered with errors" >&2; exit 1; }
