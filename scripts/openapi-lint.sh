#!/bin/sh
# openapi-lint.sh BINARY - lints the OpenAPI document the binary generates
# (`tradebridge openapi`) with Redocly CLI (npm devDependency) and the rules in
# redocly.yaml. Offline: no telemetry, no update check, no remote rulesets.
set -eu
bin=$1
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" openapi > "$tmp/openapi.json"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1
cd "$root"
exec node_modules/.bin/redocly lint "$tmp/openapi.json" --config redocly.yaml --max-problems 50
