#!/bin/bash
# test_install.sh - `meson install` puts the binary, the man page, the systemd
# unit and the docs where Debian expects them, the man page lists every
# server option, and systemd accepts the unit.
set -u
BUILD=${1:?build dir}
SRC=${TB_SOURCE_DIR:?TB_SOURCE_DIR not set}
DEST=$(mktemp -d)
trap 'rm -rf "$DEST"' EXIT
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { local name=$1; shift; if "$@" >/dev/null 2>&1; then ok "$name"; else bad "$name"; fi; }

PREFIX=$(meson introspect "$BUILD" --buildoptions | python3 -c \
  'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')
if meson install -C "$BUILD" --destdir "$DEST" --no-rebuild --quiet >"$DEST.log" 2>&1; then
  ok "meson install succeeds"
else
  bad "meson install succeeds"; sed 's/^/#   /' "$DEST.log" | tail -5
fi
rm -f "$DEST.log"
R=$DEST$PREFIX
check "binary in bin/" test -x "$R/bin/tradebridge"
MAN=$(find "$R/share/man/man1" -name 'tradebridge.1*' 2>/dev/null | head -1)
check "man page in share/man/man1" test -n "$MAN"
check "unit in lib/systemd/system" test -f "$R/lib/systemd/system/tradebridge.service"
check "README in share/doc/tradebridge" test -f "$R/share/doc/tradebridge/README.md"
check "docs in share/doc/tradebridge/docs" test -f "$R/share/doc/tradebridge/docs/matching.md"

# The page lists every flag and environment variable of `serve --help`.
missing=""
for opt in $("$R/bin/tradebridge" serve --help | grep -oE -- '--[a-z-]+|TRADEBRIDGE_[A-Z_]+' | sort -u); do
  grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" "$MAN" 2>/dev/null || missing="$missing $opt"
done
if [ -z "$missing" ] && [ -n "$MAN" ]; then ok "man page lists every server option"; else bad "man page lacks:$missing"; fi
for cmd in $("$R/bin/tradebridge" --help | awk '/^commands:/{f=1;next} f&&!NF{exit} f{print $1}'); do
  grep -q "^\.B $cmd\$" "$MAN" 2>/dev/null || missing="$missing $cmd"
done
if [ -z "$missing" ]; then ok "man page lists every command"; else bad "man page lacks commands:$missing"; fi
if command -v man >/dev/null; then
  check "man renders the page without warnings" sh -c "test -z \"\$(MANWIDTH=80 man --warnings -l '$MAN' 2>&1 >/dev/null)\""
else
  echo "ok $((n += 1)) - man renders the page # SKIP man not installed"
fi

UNIT=$R/lib/systemd/system/tradebridge.service
for d in DynamicUser=yes StateDirectory=tradebridge NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes; do
  check "unit sets $d" grep -qx "$d" "$UNIT"
done
if command -v systemd-analyze >/dev/null; then
  # verify resolves ExecStart: point it at the installed binary.
  sed "s#^ExecStart=/usr/bin/tradebridge#ExecStart=$R/bin/tradebridge#" "$UNIT" >"$DEST/tradebridge.service"
  out=$(systemd-analyze verify --man=no "$DEST/tradebridge.service" 2>&1 | grep -v -e 'Failed to .* bus' -e 'D-Bus' -e '^$')
  if [ -z "$out" ]; then ok "systemd-analyze verify accepts the unit"; else bad "systemd-analyze verify"; echo "$out" | sed 's/^/#   /' | head -5; fi
else
  echo "ok $((n += 1)) - systemd-analyze verify # SKIP systemd not installed"
fi
echo "1..$n"
[ "$failed" = 0 ]
