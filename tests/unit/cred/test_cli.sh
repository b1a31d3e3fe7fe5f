#!/bin/sh
# test_cli.sh - `tradebridge credential` end to end: exit codes (0/1/2), one
# JSON line from verify, sign -> verify round trips for both suites, canon of
# N-Quads with SHA-384, the work-limit refusal, keygen, --help everywhere.
B=${TB_BINARY:?}
S=${TB_VENDOR_DIR:?}
SRC=${TB_SOURCE_DIR:?}
V=$S/vc-di-eddsa-test-vectors
EX="--context https://www.w3.org/ns/credentials/examples/v2=$S/standards/contexts/credentials-examples-v2.json"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0 pass=0
check() { # check NAME WANT_RC CMD...
    name=$1 want=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"; rc=$?
    n=$((n + 1))
    if [ "$rc" = "$want" ]; then pass=$((pass + 1)); echo "ok $n - $name"
    else echo "not ok $n - $name (exit $rc, want $want: $(head -c 300 "$T/err"))"; fi
}
checkout() { # checkout NAME GREP-PATTERN: last command's stdout matches
    n=$((n + 1))
    if grep -q -- "$2" "$T/out"; then pass=$((pass + 1)); echo "ok $n - $1"
    else echo "not ok $n - $1"; fi
}
lines() { n=$((n + 1)); c=$(wc -l <"$T/err"); if [ "$c" -le 1 ]; then pass=$((pass + 1)); echo "ok $n - $1"; else echo "not ok $n - $1 ($c lines)"; fi; }

for c in "" sign verify canon keygen status-list; do
    check "credential $c --help" 0 $B credential $c --help
done
check "no subcommand is a usage error" 2 $B credential
check "unknown subcommand" 2 $B credential frobnicate
check "verify without FILE" 2 $B credential verify
check "verify unknown option" 2 $B credential verify x.json --bogus
check "verify unreadable file" 2 $B credential verify "$T/missing.json"
lines "one-line reason on stderr"
echo '{"a":' >"$T/bad.json"
check "verify non-JSON" 2 $B credential verify "$T/bad.json"
printf '{"a":1,"a":2}' >"$T/dup.json"
check "duplicate member names are bad input" 2 $B credential verify "$T/dup.json"
printf '{"a":"x\\u0000y"}' >"$T/nul.json"
check "U+0000 in a string is bad input" 2 $B credential canon --jcs "$T/nul.json"
check "verify bad --now" 2 $B credential verify "$V/eddsa-rdfc-2022/signedDataInt.json" --now yesterday
check "sign without --key" 2 $B credential sign "$V/unsigned.json"
check "sign unknown suite" 2 $B credential sign --key "$V/keyPair.json" --suite rsa "$V/unsigned.json"
check "canon without mode" 2 $B credential canon "$V/unsigned.json"
check "canon bad hash algorithm" 2 $B credential canon --nquads --hash-algorithm MD5 x.nq

check "verify W3C rdfc vector (no issuer binding)" 0 $B credential verify "$V/eddsa-rdfc-2022/signedDataInt.json" $EX --no-issuer-binding
checkout "verify prints verified:true" '^{"verified":true,"errors":\[\],"checks":{'
check "verify W3C jcs vector (no issuer binding)" 0 $B credential verify "$V/eddsa-jcs-2022/signedJCS.json" $EX --no-issuer-binding
check "W3C vector with issuer binding: not verified" 1 $B credential verify "$V/eddsa-rdfc-2022/signedDataInt.json" $EX
checkout "verify prints verified:false" '"verified":false'
lines "one-line reason when not verified"
check "vector needs the examples context (unknown context = not verified)" 1 $B credential verify "$V/eddsa-rdfc-2022/signedDataInt.json" --no-issuer-binding
printf '{"@context":{"@vocab":"https://other.example/#"}}' >"$T/other-ctx.json"
check "one context URL given two different documents is bad input" 2 $B credential verify "$V/eddsa-rdfc-2022/signedDataInt.json" $EX --context "https://www.w3.org/ns/credentials/examples/v2=$T/other-ctx.json" --no-issuer-binding
check "the same context document twice is fine" 0 $B credential verify "$V/eddsa-rdfc-2022/signedDataInt.json" $EX $EX --no-issuer-binding

check "sign the vector (rdfc)" 0 $B credential sign --key "$V/keyPair.json" --created 2023-02-24T23:36:38Z $EX "$V/unsigned.json"
checkout "rdfc proofValue equals the vector" "$(cat "$V/eddsa-rdfc-2022/sigBTC58DataInt.txt")"
check "sign the vector (jcs)" 0 $B credential sign --key "$V/keyPair.json" --suite eddsa-jcs-2022 --created 2023-02-24T23:36:38Z $EX "$V/unsigned.json"
checkout "jcs proofValue equals the vector" "$(cat "$V/eddsa-jcs-2022/sigBTC58JCS.txt")"

check "keygen" 0 $B credential keygen
cp "$T/out" "$T/key.json"
checkout "keygen prints secretKeyMultibase" '"secretKeyMultibase": "z3u2'
did=$(sed -n 's/.*"controller": "\(did:key:[^"]*\)".*/\1/p' "$T/key.json")
sed "s|did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2|$did|" "$SRC/tests/unit/cred/data/ob3-unsigned.json" >"$T/ob3.json"
for suite in eddsa-rdfc-2022 eddsa-jcs-2022; do
    check "sign OB3 with $suite" 0 $B credential sign --key "$T/key.json" --suite $suite "$T/ob3.json"
    cp "$T/out" "$T/signed.json"
    check "verify OB3 $suite" 0 $B credential verify "$T/signed.json" --expect-issuer "$did" --now 2027-01-01T00:00:00Z
    check "verify OB3 $suite after validUntil" 1 $B credential verify "$T/signed.json" --now 2032-01-01T00:00:00Z
    sed 's/Export Readiness Certificate/Export Readiness Diploma/' "$T/signed.json" >"$T/tampered.json"
    check "tampered OB3 $suite not verified" 1 $B credential verify "$T/tampered.json" --now 2027-01-01T00:00:00Z
    check "verify OB3 $suite wrong --expect-issuer" 1 $B credential verify "$T/signed.json" --expect-issuer did:web:else.example --now 2027-01-01T00:00:00Z
done
# status lists: create, revoke 94567 (the sample's index), sign, verify against it
L=https://academy.tradebridge.example/status/1
check "status-list new" 0 $B credential status-list new --id $L --issuer "$did" --valid-from 2026-01-01T00:00:00Z
cp "$T/out" "$T/list0.json"
check "status-list set 94567" 0 $B credential status-list set "$T/list0.json" 94567
cp "$T/out" "$T/list1.json"
check "status-list get 94567" 0 $B credential status-list get "$T/list1.json" 94567
checkout "entry 94567 is set" '^1$'
check "status-list index out of range" 2 $B credential status-list get "$T/list1.json" 131072
check "sign the revocation list" 0 $B credential sign --key "$T/key.json" "$T/list1.json"
cp "$T/out" "$T/list1s.json"
check "revoked credential not verified" 1 $B credential verify "$T/signed.json" --status-list "$T/list1s.json" --now 2027-01-01T00:00:00Z
checkout "status check says revoked" '"status":{"result":"failed","message":"credential has been revoked by its issuer"}'
check "status-list clear 94567 (re-sign needed)" 0 $B credential status-list clear "$T/list1s.json" 94567
cp "$T/out" "$T/list2.json"
check "unsigned list is not trusted" 1 $B credential verify "$T/signed.json" --status-list "$T/list2.json" --now 2027-01-01T00:00:00Z
check "sign the cleared list" 0 $B credential sign --key "$T/key.json" "$T/list2.json"
cp "$T/out" "$T/list2s.json"
check "reinstated credential verified" 0 $B credential verify "$T/signed.json" --status-list "$T/list2s.json" --require-status --now 2027-01-01T00:00:00Z
checkout "status check passed" '"status":{"result":"passed"'
check "--require-status without list" 1 $B credential verify "$T/signed.json" --require-status --now 2027-01-01T00:00:00Z

# a feature-rich OB3 badge (images, alignment, result descriptions, evidence) passes safe mode
sed "s|did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2|$did|" "$SRC/tests/unit/cred/data/ob3-rich-unsigned.json" >"$T/rich.json"
check "sign a feature-rich OB3 badge" 0 $B credential sign --key "$T/key.json" "$T/rich.json"
cp "$T/out" "$T/rich-signed.json"
check "verify the feature-rich OB3 badge" 0 $B credential verify "$T/rich-signed.json"

# proof set: the issuer signs, a co-signer (another key, other suite) adds a proof
check "keygen (co-signer)" 0 $B credential keygen
cp "$T/out" "$T/key2.json"
check "co-sign the rich badge" 0 $B credential sign --key "$T/key2.json" --suite eddsa-jcs-2022 "$T/rich-signed.json"
cp "$T/out" "$T/cosigned.json"
check "proof set verifies (one proof is the issuer's)" 0 $B credential verify "$T/cosigned.json"
sed 's/"proofPurpose": "assertionMethod",\(.*\)/"proofPurpose": "assertionMethod",\1/' "$T/cosigned.json" | \
    awk '/"created":/ && !done { sub(/"created": "[^"]*"/, "\"created\": \"2020-01-01T00:00:00Z\""); done=1 } { print }' >"$T/cosigned-bad.json"
check "proof set with one altered proof fails" 1 $B credential verify "$T/cosigned-bad.json"

# JSON-LD safe mode: an undefined term would go unsigned with RDFC
sed 's/"name": "Export Readiness Certificate",/"name": "Export Readiness Certificate", "unsignedExtra": "x",/' "$T/ob3.json" >"$T/extra.json"
check "sign refuses an undefined term (safe mode)" 2 $B credential sign --key "$T/key.json" "$T/extra.json"
grep -q "'unsignedExtra' is not defined" "$T/err"; n=$((n + 1)); if [ $? = 0 ]; then pass=$((pass + 1)); echo "ok $n - safe-mode reason names the key"; else echo "not ok $n - safe-mode reason names the key"; fi
check "eddsa-jcs-2022 signs it (JCS signs every byte)" 0 $B credential sign --key "$T/key.json" --suite eddsa-jcs-2022 "$T/extra.json"

check "sign with an empty key file refused" 2 $B credential sign --key /dev/null "$T/ob3.json"

check "canon --jcs of the vector" 0 $B credential canon --jcs "$V/unsigned.json"
n=$((n + 1)); if cmp -s "$T/out" "$V/eddsa-jcs-2022/canonDocJCS.txt"; then pass=$((pass + 1)); echo "ok $n - JCS output byte for byte"; else echo "not ok $n - JCS output byte for byte"; fi
check "canon --rdfc of the vector" 0 $B credential canon --rdfc $EX "$V/unsigned.json"
n=$((n + 1)); if cmp -s "$T/out" "$V/eddsa-rdfc-2022/canonDocDataInt.txt"; then pass=$((pass + 1)); echo "ok $n - RDFC output byte for byte"; else echo "not ok $n - RDFC output byte for byte"; fi
R=$S/standards/rdf-canon/rdfc10
check "canon --nquads SHA384 (test075)" 0 $B credential canon --nquads --hash-algorithm SHA384 "$R/test075-in.nq"
n=$((n + 1)); if cmp -s "$T/out" "$R/test075-rdfc10.nq"; then pass=$((pass + 1)); echo "ok $n - SHA-384 canonical output"; else echo "not ok $n - SHA-384 canonical output"; fi
check "canon --nquads poison clique refused (work limit)" 1 $B credential canon --nquads "$R/test074-in.nq"

grep -q "work limit" "$T/err"; n=$((n + 1)); if [ $? = 0 ]; then pass=$((pass + 1)); echo "ok $n - work limit named in the reason"; else echo "not ok $n - work limit named in the reason"; fi
printf '<urn:a> <urn:b> "x .\n' >"$T/bad.nq"
check "canon --nquads syntax error is bad input" 2 $B credential canon --nquads "$T/bad.nq"
grep -q "line 1" "$T/err"; n=$((n + 1)); if [ $? = 0 ]; then pass=$((pass + 1)); echo "ok $n - syntax error names the line"; else echo "not ok $n - syntax error names the line"; fi

echo "1..$n"
echo "# passed $pass of $n"
[ "$pass" = "$n" ]
