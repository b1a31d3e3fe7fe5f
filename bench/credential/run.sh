#!/bin/sh
# run.sh - builds (against build/libtbcore.a if the meson target is not wired)
# and runs the credential benchmark. Usage: bench/credential/run.sh [SECONDS]
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
exe=$root/build/bench/credential/bench_credential
if [ ! -x "$exe" ]; then
    ninja -C "$root/build" libtbcore.a >/dev/null
    exe=$root/build/bench_credential
    ${CC:-cc} -std=c17 -O2 -D_GNU_SOURCE -I"$root/src" "$root/bench/credential/bench_credential.c" \
        "$root/build/libtbcore.a" $(pkg-config --libs jansson libsodium libcrypto zlib) -lm -lpthread -o "$exe"
fi
exec "$exe" "$@"
