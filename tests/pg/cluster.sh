#!/bin/sh
# cluster.sh - a throw-away PostgreSQL cluster for the tests (issue 18).
#
#   tests/pg/cluster.sh start DIR   initdb + pg_ctl start in DIR on a free port;
#                                   prints the URL (postgresql://...) for TRADEBRIDGE_DB
#   tests/pg/cluster.sh stop DIR    stops it and removes DIR
#   tests/pg/cluster.sh run CMD...  starts one, runs CMD with TRADEBRIDGE_DB (the application's
#                                   URL) and TB_PG_ADMIN (the superuser's) set, stops it
#
# Uses Debian's server binaries (/usr/lib/postgresql/*/bin). PostgreSQL will
# not run as root: under root (CI's .ci/run) the cluster runs as `nobody`.
# The application connects as the role `tradebridge`, not a superuser, so
# row-level security applies to it (a superuser bypasses every policy).
set -eu
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "cluster.sh: no PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    dir=$1
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown nobody "$dir"
    port=$(free_port)
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
    as_owner "$bindir/psql" -h "$dir" -p "$port" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE tradebridge LOGIN" -c "CREATE DATABASE tradebridge OWNER tradebridge" >/dev/null
    echo "$port" >"$dir/port"
    echo "postgresql://tradebridge@127.0.0.1:$port/tradebridge"
}

stop() {
    dir=$1
    [ -d "$dir/data" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

case "${1:-}" in
start) start "$2" ;;
stop) stop "$2" ;;
run)
    shift
    dir=$(mktemp -d /tmp/tb-pg.XXXXXX)
    trap 'stop "$dir"' EXIT INT TERM
    TRADEBRIDGE_DB=$(start "$dir")
    TB_PG_ADMIN="postgresql://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
    export TRADEBRIDGE_DB TB_PG_ADMIN
    "$@"
    ;;
*) echo "usage: cluster.sh start DIR | stop DIR | run CMD..." >&2; exit 2 ;;
esac
