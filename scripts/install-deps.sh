#!/usr/bin/env bash
# Installs what building and testing TradeBridge needs on Debian 12, only
# what is missing: Debian packages (as root, or through sudo) and the npm
# packages pinned by package-lock.json. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

want_build=(meson ninja-build pkg-config gcc clang libmicrohttpd-dev libjansson-dev libsqlite3-dev
  libsodium-dev libssl-dev libcurl4-openssl-dev zlib1g-dev libcmocka-dev libcsv-dev libxlsxwriter-dev
  libmagic-dev libqrencode-dev libgsl-dev libzip-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core fonts-wqy-microhei nodejs npm sqlite3)
want_test=(python3 python3-scipy python3-openpyxl python3-statsmodels python3-pandas chromium curl nginx openssl
  poppler-utils)
# PostgreSQL backend (issue 18): libpq to build; the server (initdb, pg_ctl) for the api-pg tests.
want_build+=(libpq-dev)
want_test+=(postgresql)
want_bench=(wrk nginx python3)
# issue 17: the to-do calendar feed (RFC 5545) is written with libical.
want_build+=(libical-dev)
# XLSX import (issue 17): expat parses the workbook's XML (src/core/xlsx_read.c)
want_build+=(libexpat1-dev)

# scripts/fuzz.sh only: clang with its libFuzzer runtime (the corpus replay tests need neither).
want_fuzz=(clang libclang-rt-14-dev)

mode=${1:-build}
pkgs=("${want_build[@]}")
[ "$mode" = test ] && pkgs+=("${want_test[@]}")
[ "$mode" = bench ] && pkgs+=("${want_bench[@]}")
[ "$mode" = fuzz ] && pkgs+=("${want_fuzz[@]}")

missing=()
for p in "${pkgs[@]}"; do
  # nodejs/npm may come from elsewhere (e.g. NodeSource): a working command is enough.
  case $p in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages: the JSON-LD contexts the credential engine embeds, the
# browser-test driver. Reinstalled only when package-lock.json changed.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install-deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
