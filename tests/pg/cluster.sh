#!/bin/sh
# cluster.sh - a throw-away PostgreSQL cluster for the tests (issue 18).
#
#   tests/pg/cluster.sh start DIR   initdb + pg_ctl start in DIR on a free port;
#                                   prints the URL (postgresql://...) for TRADEBRIDGE_DB
#   tests/pg/cluster.sh stop DIR    stops it and removes DIR
#   tests/pg/cluster.sh down DIR    stops the server at once (as a crash would), keeps the data
#   tests/pg/cluster.sh up DIR      starts it again on the same port
#   tests/pg/cluster.sh run CMD...  starts one, runs CMD with TRADEBRIDGE_DB (the application's
#                                   URL), TB_PG_ADMIN (the superuser's), TRADEBRIDGE_TRADE_DIR
#                                   (a folder for trade data files) and TB_PG_DIR (DIR) set, stops it
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
    echo "$port" >"$dir/port"
    up "$dir"
    as_owner "$bindir/psql" -h "$dir" -p "$port" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE tradebridge LOGIN" -c "CREATE DATABASE tradebridge OWNER tradebridge" >/dev/null
    echo "postgresql://tradebridge@127.0.0.1:$port/tradebridge"
}

up() {
    as_owner "$bindir/pg_ctl" -D "$1/data" -l "$1/server.log" -w \
        -o "-p $(cat "$1/port") -k $1 -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
}

down() {
    as_owner "$bindir/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null
}

stop() {
    dir=$1
    [ -d "$dir/data" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    # A server process may still be writing as it exits: one more try, and
    # never let the clean-up turn the tests' own exit status into a failure.
    rm -rf "$dir" 2>/dev/null || { sleep 1; rm -rf "$dir"; } || true
}

case "${1:-}" in
start) start "$2" ;;
stop) stop "$2" ;;
up) up "$2" ;;
down) down "$2" ;;
run)
    shift
    dir=$(mktemp -d /tmp/tb-pg.XXXXXX)
    trap 'stop "$dir"' EXIT INT TERM
    TRADEBRIDGE_DB=$(start "$dir")
    TB_PG_ADMIN="postgresql://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
    TRADEBRIDGE_TRADE_DIR=$dir/trade   # trade data files, DATABASE.trade inside
    TB_PG_DIR=$dir                     # for `cluster.sh down/up` in a test
    export TRADEBRIDGE_DB TB_PG_ADMIN TRADEBRIDGE_TRADE_DIR TB_PG_DIR
    set +e
    "$@"
    rc=$?
    trap - EXIT INT TERM
    stop "$dir"
    exit $rc
    ;;
*) echo "usage: cluster.sh start DIR | stop DIR | run CMD..." >&2; exit 2 ;;
esac
