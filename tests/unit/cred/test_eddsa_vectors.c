/*
 * test_eddsa_vectors.c - the W3C vc-di-eddsa test vectors reproduced byte for
 * byte for eddsa-rdfc-2022 and eddsa-jcs-2022: key encodings, canonical
 * document, canonical proof configuration, both hashes, combined hash,
 * signature (hex and proofValue), the signed credential, and its verification;
 * plus the proof set and proof chain vectors.
 */
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "core/cred/dataint.h"
#include "core/cred/hash.h"
#include "core/cred/jsonld.h"
#include "core/cred/keys.h"
#include "core/cred/verify.h"
#include "tap.h"

static char dir[900];

static char *vec(const char *name)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *s = tap_slurp(path, NULL);
    if (!s) {
        printf("Bail out! cannot read %s\n", path);
        exit(1);
    }
    return s;
}

static json_t *vecj(const char *name)
{
    char *s = vec(name);
    json_t *j = json_loads(s, 0, NULL);
    free(s);
    return j;
}

/* Vector text files have no trailing newline except the N-Quads ones. */
static int same_text(const char *got, const char *file)
{
    char *want = vec(file);
    int ok = got && !strcmp(got, want);
    free(want);
    return ok;
}

static int same_hex(const unsigned char *p, size_t n, const char *file)
{
    char hex[300];
    cred_hex(p, n, hex);
    char *want = vec(file);
    size_t wl = strlen(want);
    while (wl && (want[wl - 1] == '\n' || want[wl - 1] == ' '))
        want[--wl] = 0;
    int ok = !strcmp(hex, want);
    free(want);
    return ok;
}

static void suite(const char *name, enum di_suite s, const char *sub, const char *tag,
                  const struct cred_keypair *key, struct jsonld_loader *l)
{
    char f[10][128];
    const char *base[] = {"canonDoc", "proofCanon", "docHash", "proofHash", "combinedHash",
                          "sigHex", "sigBTC58", "signed", "proofConfig"};
    for (int i = 0; i < 9; i++)
        snprintf(f[i], sizeof f[i], "%s/%s%s.%s", sub, base[i], tag, i >= 7 ? "json" : "txt");
    json_t *unsigned_doc = vecj("unsigned.json");
    json_t *proof_config = vecj(f[8]);
    struct arena *a = arena_new(0);
    struct tb_err err = {0};
    struct di_options o = {.suite = s, .loader = l,
                           .created = json_string_value(json_object_get(proof_config, "created"))};
    struct di_trace t;
    json_t *signed_doc = NULL;
    int rc = di_sign(unsigned_doc, key, &o, a, &signed_doc, &t, &err);
    tap_ok(rc == 0, "%s: sign%s%s", name, rc ? ": " : "", rc ? err.message : "");
    if (rc) {
        memset(&t, 0, sizeof t);
        t.canon_doc = t.canon_proof = "";
    }
    tap_ok(same_text(t.canon_doc, f[0]), "%s: canonical document", name);
    tap_ok(same_text(t.canon_proof, f[1]), "%s: canonical proof configuration", name);
    tap_ok(same_hex(t.doc_hash, 32, f[2]), "%s: document hash", name);
    tap_ok(same_hex(t.proof_hash, 32, f[3]), "%s: proof configuration hash", name);
    unsigned char combined[64];
    memcpy(combined, t.proof_hash, 32);
    memcpy(combined + 32, t.doc_hash, 32);
    tap_ok(same_hex(combined, 64, f[4]), "%s: combined hash (proofHash || docHash)", name);
    tap_ok(same_hex(t.sig, 64, f[5]), "%s: signature (hex)", name);
    json_t *want = vecj(f[7]);
    const json_t *proof = json_object_get(signed_doc, "proof");
    const char *pv = json_string_value(json_object_get(proof, "proofValue"));
    char *want_pv = vec(f[6]);
    tap_ok(pv && !strcmp(pv, want_pv), "%s: proofValue (base58btc)", name);
    free(want_pv);
    tap_ok(signed_doc && json_equal(signed_doc, want), "%s: signed credential equals the vector", name);
    /* Member order follows the vector too, so the CLI's output (2-space
     * indent) is the vector file byte for byte. */
    char *got_text = signed_doc ? json_dumps(signed_doc, JSON_INDENT(2)) : NULL;
    char *want_text = vec(f[7]);
    tap_ok(got_text && want_text && !strcmp(got_text, want_text),
           "%s: signed credential is the vector file byte for byte", name);
    free(got_text);
    free(want_text);

    /* The vector verifies, with trace equal to the published values. */
    struct di_trace vt;
    struct tb_err e2 = {0};
    rc = di_verify_proof(want, json_object_get(want, "proof"), key->pk, l, NULL, a, &vt, &e2);
    tap_ok(rc == 0, "%s: published signed credential verifies%s%s", name, rc ? ": " : "",
           rc ? e2.message : "");
    tap_ok(rc == 0 && same_text(vt.canon_doc, f[0]) && same_text(vt.canon_proof, f[1]),
           "%s: verifier recomputes the same canonical forms", name);
    struct verify_options vo = {.loader = l, .no_issuer_binding = 1};
    struct verify_report rep;
    credential_verify(want, &vo, &rep, a, &e2);
    tap_ok(rep.verified, "%s: credential_verify accepts it (issuer binding off)", name);
    vo.no_issuer_binding = 0;
    credential_verify(want, &vo, &rep, a, &e2);
    tap_ok(!rep.verified && rep.signature.state == CHECK_PASSED && rep.issuer.state == CHECK_FAILED,
           "%s: with issuer binding it is refused: key controller is not the issuer", name);
    json_decref(want);
    json_decref(signed_doc);
    json_decref(unsigned_doc);
    json_decref(proof_config);
    arena_free(a);
}

/* proof-set-chain/: two proofs in a set, then two chained proofs
 * (previousProof), each signed file reproduced byte for byte and verified. */
static void sets_and_chains(struct jsonld_loader *l)
{
    static const struct {
        const char *key, *config, *input, *want, *prev[2];
    } steps[] = {
        {"keyPair1", "proofSetConfig1.json", "unsigned.json", "signedProofSet1.json", {NULL, NULL}},
        {"keyPair2", "proofSetConfig2.json", "signedProofSet1.json", "signedProofSet2.json", {NULL, NULL}},
        {"keyPair3", "proofChainConfig1.json", "signedProofSet2.json", "signedProofChain1.json",
         {"urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544", "urn:uuid:8cc9022b-6b14-4cf3-8571-74972c5feb54"}},
        {"keyPair4", "proofChainConfig2.json", "signedProofChain1.json", "signedProofChain2.json",
         {"urn:uuid:d94f792a-c546-4d06-b38a-da070ab56c23", NULL}},
    };
    json_t *keys = vecj("proof-set-chain/multiKeyPairs.json");
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        char f[256];
        struct arena *a = arena_new(0);
        struct tb_err err = {0};
        struct cred_keypair k;
        cred_keypair_from_json(json_object_get(keys, steps[i].key), 1, &k, &err);
        snprintf(f, sizeof f, "proof-set-chain/%s", steps[i].config);
        json_t *cfg = vecj(f);
        snprintf(f, sizeof f, "proof-set-chain/%s", steps[i].input);
        json_t *in = vecj(f);
        json_t *prev = NULL;
        if (steps[i].prev[1])
            prev = json_pack("[s,s]", steps[i].prev[0], steps[i].prev[1]);
        else if (steps[i].prev[0])
            prev = json_string(steps[i].prev[0]);
        struct di_options o = {.suite = DI_EDDSA_RDFC_2022, .loader = l, .previous_proof = prev,
                               .created = json_string_value(json_object_get(cfg, "created")),
                               .proof_id = json_string_value(json_object_get(cfg, "id"))};
        json_t *out = NULL;
        int rc = di_sign(in, &k, &o, a, &out, NULL, &err);
        char *got = out ? json_dumps(out, JSON_INDENT(2)) : NULL;
        snprintf(f, sizeof f, "proof-set-chain/%s", steps[i].want);
        char *want = vec(f);
        tap_ok(rc == 0 && got && !strcmp(got, want), "%s reproduced byte for byte%s%s", steps[i].want,
               rc ? ": " : "", rc ? err.message : "");
        json_t *wj = json_loads(want, 0, NULL);
        struct verify_options vo = {.loader = l, .no_issuer_binding = 1};
        struct verify_report rep;
        credential_verify(wj, &vo, &rep, a, &err);
        tap_ok(rep.verified, "%s verifies (every proof of the set/chain)", steps[i].want);
        free(got);
        free(want);
        json_decref(wj);
        json_decref(out);
        json_decref(prev);
        json_decref(in);
        json_decref(cfg);
        arena_free(a);
    }
    /* a chain whose previous proof was removed no longer verifies */
    json_t *chain = vecj("proof-set-chain/signedProofChain1.json");
    json_array_remove(json_object_get(chain, "proof"), 0);
    struct arena *a = arena_new(0);
    struct verify_options vo = {.loader = l, .no_issuer_binding = 1};
    struct verify_report rep;
    struct tb_err err = {0};
    credential_verify(chain, &vo, &rep, a, &err);
    tap_ok(!rep.verified, "chain with a referenced proof removed is refused (%s)",
           rep.nerrors ? rep.errors[0] : "verified");
    arena_free(a);
    json_decref(chain);
    json_decref(keys);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    snprintf(dir, sizeof dir, "%s/vc-di-eddsa-test-vectors", tap_vendor());
    json_t *kp = vecj("keyPair.json");
    struct cred_keypair key;
    struct tb_err err = {0};
    int rc = cred_keypair_from_json(kp, 1, &key, &err);
    tap_ok(rc == 0, "keyPair.json loads (privateKeyMultibase accepted)%s%s", rc ? ": " : "",
           rc ? err.message : "");
    char hex[65];
    cred_hex(key.seed, 32, hex);
    tap_ok(!strcmp(hex, "c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6"),
           "secret key multibase decodes to the published seed");
    cred_hex(key.pk, 32, hex);
    tap_ok(!strcmp(hex, "b00d8d938e7f773d51565aad36a623f5344f7f5d1960f9cf3e8e12620ea2810f"),
           "public key multibase decodes to the published key");
    struct arena *a = arena_new(0);
    const char *pub = multikey_encode_public(a, key.pk), *sec = multikey_encode_secret(a, key.seed);
    tap_ok(!strcmp(pub, json_string_value(json_object_get(kp, "publicKeyMultibase"))),
           "publicKeyMultibase re-encodes byte for byte");
    tap_ok(!strcmp(sec, json_string_value(json_object_get(kp, "privateKeyMultibase"))),
           "secretKeyMultibase re-encodes byte for byte");
    tap_ok(!strcmp(did_key_vm_from_public(a, key.pk),
                   "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#"
                   "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"),
           "did:key verification method of the vector key");

    char ctx[1200];
    snprintf(ctx, sizeof ctx, "%s/standards/contexts/credentials-examples-v2.json", tap_vendor());
    struct jsonld_loader *l = jsonld_loader_new();
    rc = l ? jsonld_loader_add_file(l, "https://www.w3.org/ns/credentials/examples/v2", ctx, &err) : -1;
    tap_ok(rc == 0, "examples context added to a loader");
    suite("eddsa-rdfc-2022", DI_EDDSA_RDFC_2022, "eddsa-rdfc-2022", "DataInt", &key, l);
    suite("eddsa-jcs-2022", DI_EDDSA_JCS_2022, "eddsa-jcs-2022", "JCS", &key, l);
    sets_and_chains(l);
    jsonld_loader_free(l);
    json_decref(kp);
    arena_free(a);
    return tap_done();
}
