/*
 * test_tamper.c - credential_verify must fail when anything signed changes:
 * every field of an OB3 credential, every field of the proof, the key, the
 * dates; and it must report status (revoked/suspended, list authenticity),
 * did:web keys from supplied DID documents, and the accreditation hook.
 * Run for both cryptosuites.
 */
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "core/cred/dataint.h"
#include "core/cred/keys.h"
#include "core/cred/statuslist.h"
#include "core/cred/verify.h"
#include "tap.h"

#define NOW 1800000000LL   /* 2027-01-15: inside the sample's validity */

static struct cred_keypair key, other;
static const char *issuer_did;
static struct arena *ga;
static char lasterr[512];

static int verified(const json_t *vc, const struct verify_options *o, struct verify_report *rep)
{
    struct arena *a = arena_new(0);
    struct tb_err e = {0};
    struct verify_report local;
    if (!rep)
        rep = &local;
    int rc = credential_verify(vc, o, rep, a, &e);
    int ok = rc == 0 && rep->verified;
    /* Messages live in the arena: keep the first error in a static buffer
     * (callers pass `lasterr`, whose contents are read after this call). */
    snprintf(lasterr, sizeof lasterr, "%s", rep->nerrors ? rep->errors[0] : "");
    for (size_t i = 0; i < rep->nerrors; i++)
        rep->errors[i] = lasterr;
    rep->signature.message = rep->issuer.message = rep->status.message = rep->validity.message =
        rep->accreditation.message = NULL;
    rep->issuer_id = rep->verification_method = rep->cryptosuite = NULL;
    arena_free(a);
    return ok;
}

static json_t *sign_with(const json_t *doc, const struct cred_keypair *k, enum di_suite s,
                         const char *created, const char *vm)
{
    struct arena *a = arena_new(0);
    struct tb_err e = {0};
    struct di_options o = {.suite = s, .created = created ? created : "2026-01-15T09:00:00Z",
                           .verification_method = vm};
    json_t *out = NULL;
    if (di_sign(doc, k, &o, a, &out, NULL, &e))
        printf("# sign failed: %s\n", e.message);
    arena_free(a);
    return out;
}

/* Mutates every leaf below v (not descending into "proof" at the top). */
static int mutate_leaves(json_t *root, json_t *v, const char *path, const struct verify_options *o,
                         const char *suite)
{
    int all = 1;
    if (json_is_object(v)) {
        const char *k;
        json_t *c;
        void *it;
        json_object_foreach_safe(v, it, k, c) {
            if (v == root && !strcmp(k, "proof"))
                continue;
            char p[256];
            snprintf(p, sizeof p, "%s.%s", path, k);
            all &= mutate_leaves(root, c, p, o, suite);
        }
        return all;
    }
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            char p[256];
            snprintf(p, sizeof p, "%s[%zu]", path, i);
            all &= mutate_leaves(root, json_array_get(v, i), p, o, suite);
        }
        return all;
    }
    if (json_is_string(v)) {
        char *old = strdup(json_string_value(v));
        size_t n = strlen(old);
        char *nw = malloc(n + 2);
        memcpy(nw, old, n + 1);
        /* flip the last character, keeping dates and IRIs well-formed-ish */
        if (n) nw[n - 1] = nw[n - 1] == '0' ? '1' : nw[n - 1] == 'Z' ? 'Z' : (char)(nw[n - 1] ^ 1);
        if (n && nw[n - 1] == 'Z' && n > 2) nw[n - 2] = nw[n - 2] == '0' ? '1' : '0';
        json_string_set(v, nw);
        int ok = !verified(root, o, NULL);
        tap_ok(ok, "%s: changing %s (\"%s\" -> \"%s\") breaks verification", suite, path, old, nw);
        json_string_set(v, old);
        free(old);
        free(nw);
        return ok;
    }
    return 1;
}

static void suite_tests(const json_t *unsigned_doc, enum di_suite s, const json_t *list_signed)
{
    const char *name = di_suite_name(s);
    json_t *vc = sign_with(unsigned_doc, &key, s, NULL, NULL);
    struct verify_options o = {.has_now = 1, .now = NOW};
    struct verify_report rep;
    tap_ok(vc && verified(vc, &o, &rep), "%s: signed OB3 credential verifies", name);
    tap_ok(rep.status.state == CHECK_SKIPPED, "%s: status reported as not checked without a list", name);

    /* every signed field */
    json_t *copy = json_deep_copy(vc);
    mutate_leaves(copy, copy, "", &o, name);
    json_decref(copy);
    /* removing any top-level member */
    const char *k;
    json_t *val;
    json_object_foreach(vc, k, val) {
        if (!strcmp(k, "proof"))
            continue;
        copy = json_deep_copy(vc);
        json_object_del(copy, k);
        tap_ok(!verified(copy, &o, NULL), "%s: removing %s breaks verification", name, k);
        json_decref(copy);
    }
    /* adding a member */
    copy = json_deep_copy(vc);
    json_object_set_new(copy, "description", json_string("added later"));
    tap_ok(!verified(copy, &o, NULL), "%s: adding a description breaks verification", name);
    json_decref(copy);
    /* adding a member no context defines: RDFC would drop it, so it would go
     * unsigned; JSON-LD safe mode must refuse it (JCS signs it anyway) */
    const char *where[] = {"", "credentialSubject", "credentialSubject.achievement", "issuer",
                           "credentialStatus"};
    for (int w = 0; w < 5; w++) {
        copy = json_deep_copy(vc);
        json_t *at = copy;
        if (w == 1 || w == 2) at = json_object_get(copy, "credentialSubject");
        if (w == 2) at = json_object_get(at, "achievement");
        if (w == 3) at = json_object_get(copy, "issuer");
        if (w == 4) at = json_object_get(copy, "credentialStatus");
        json_object_set_new(at, "undefinedTerm", json_string("added later"));
        int refused = !verified(copy, &o, NULL);
        if (s == DI_EDDSA_JCS_2022)
            tap_ok(refused, "%s: adding an undefined term at %s breaks verification", name,
                   *where[w] ? where[w] : "top level");
        else
            tap_todo(refused, "needs JSON-LD safe mode (undefined terms are dropped by toRdf)",
                     "%s: adding an undefined term at %s breaks verification", name,
                     *where[w] ? where[w] : "top level");
        json_decref(copy);
    }

    /* the proof */
    const char *pf[] = {"type", "cryptosuite", "created", "verificationMethod", "proofPurpose", "proofValue"};
    const char *bad[] = {"Ed25519Signature2020", s == DI_EDDSA_RDFC_2022 ? "eddsa-jcs-2022" : "eddsa-rdfc-2022",
                         "2026-01-15T09:00:01Z", NULL, "authentication", NULL};
    for (int i = 0; i < 6; i++) {
        copy = json_deep_copy(vc);
        json_t *p = json_object_get(copy, "proof");
        if (i == 3) {
            json_object_set_new(p, pf[i], json_string(did_key_vm_from_public(ga, other.pk)));
        } else if (i == 5) {
            char *pv = strdup(json_string_value(json_object_get(p, "proofValue")));
            pv[10] = pv[10] == 'a' ? 'b' : 'a';
            json_object_set_new(p, pf[i], json_string(pv));
            free(pv);
        } else {
            json_object_set_new(p, pf[i], json_string(bad[i]));
        }
        tap_ok(!verified(copy, &o, &rep), "%s: proof.%s changed: refused (%s)", name, pf[i], lasterr);
        json_object_del(p, pf[i]);
        tap_ok(!verified(copy, &o, &rep), "%s: proof.%s removed: refused (%s)", name, pf[i], lasterr);
        json_decref(copy);
    }
    const char *extra[] = {"nonce", "extraUndefinedField"};
    for (int i = 0; i < 2; i++) {
        copy = json_deep_copy(vc);
        json_object_set_new(json_object_get(copy, "proof"), extra[i], json_string("added"));
        tap_ok(!verified(copy, &o, &rep), "%s: proof.%s added: refused (%s)", name, extra[i], lasterr);
        json_decref(copy);
    }
    copy = json_deep_copy(vc);
    json_object_del(copy, "proof");
    tap_ok(!verified(copy, &o, &rep), "%s: no proof: refused (%s)", name, lasterr);
    json_decref(copy);

    /* the key: same document signed by another key that claims to be the issuer's */
    json_t *forged = sign_with(unsigned_doc, &other, s, NULL, did_key_vm_from_public(ga, key.pk));
    tap_ok(forged && !verified(forged, &o, &rep), "%s: signed with another key under the issuer's key id: refused (%s)",
           name, lasterr);
    json_decref(forged);
    forged = sign_with(unsigned_doc, &other, s, NULL, NULL);
    tap_ok(forged && !verified(forged, &o, &rep) && rep.signature.state == CHECK_PASSED &&
           rep.issuer.state == CHECK_FAILED,
           "%s: signed with another (own) key: signature fine, issuer check fails (%s)", name, lasterr);
    json_decref(forged);
    struct verify_options oe = o;
    oe.expected_issuer = "did:example:someone-else";
    tap_ok(!verified(vc, &oe, &rep) && rep.issuer.state == CHECK_FAILED,
           "%s: --expect-issuer mismatch refused (%s)", name, lasterr);

    /* dates */
    struct verify_options od = o;
    cred_parse_time("2026-01-15T08:59:59Z", &od.now);
    tap_ok(!verified(vc, &od, &rep) && rep.validity.state == CHECK_FAILED, "%s: before validFrom: refused (%s)",
           name, lasterr);
    cred_parse_time("2031-01-15T09:00:01Z", &od.now);
    tap_ok(!verified(vc, &od, &rep) && rep.validity.state == CHECK_FAILED, "%s: after validUntil: refused (%s)",
           name, lasterr);
    json_t *future = sign_with(unsigned_doc, &key, s, "2027-06-01T00:00:00Z", NULL);
    tap_ok(!verified(future, &o, &rep) && rep.signature.state == CHECK_FAILED,
           "%s: proof created after 'now': refused (%s)", name, lasterr);
    json_decref(future);

    /* status */
    struct verify_options os = o;
    os.status_lists = list_signed;
    tap_ok(!verified(vc, &os, &rep) && rep.revoked && rep.status.state == CHECK_FAILED,
           "%s: index 94567 set in the signed revocation list: revoked (%s)", name, lasterr);
    json_t *vc2 = json_deep_copy(unsigned_doc);
    json_object_set_new(json_object_get(vc2, "credentialStatus"), "statusListIndex", json_string("94568"));
    json_t *vc2s = sign_with(vc2, &key, s, NULL, NULL);
    tap_ok(verified(vc2s, &os, &rep) && rep.status.state == CHECK_PASSED,
           "%s: index 94568 not set: verified, status passed", name);
    json_t *lt = json_deep_copy(list_signed);
    json_t *subj = json_object_get(lt, "credentialSubject");
    struct arena *a = arena_new(0);
    struct status_list empty;
    char *enc;
    status_list_new(&empty, 0, a, NULL);
    status_list_encode(&empty, a, &enc, NULL);
    json_object_set_new(subj, "encodedList", json_string(enc));
    arena_free(a);
    os.status_lists = lt;
    tap_ok(!verified(vc, &os, &rep) && rep.status.state == CHECK_FAILED,
           "%s: a list whose bits were altered after signing is refused (%s)", name, lasterr);
    json_decref(lt);
    os.status_lists = NULL;
    os.require_status = 1;
    tap_ok(!verified(vc2s, &os, &rep) && rep.status.state == CHECK_FAILED,
           "%s: --require-status without the list: refused (%s)", name, lasterr);
    json_decref(vc2);
    json_decref(vc2s);

    /* accreditation hook */
    json_decref(vc);
}

static int accredit_no(void *u, const char *issuer, long long at, const char **msg)
{
    (void)u; (void)issuer; (void)at;
    *msg = "issuer not in the trade-promotion registry";
    return 0;
}

static int accredit_yes(void *u, const char *issuer, long long at, const char **msg)
{
    (void)u; (void)msg;
    return !strcmp(issuer, issuer_did) && at == 1768467600LL;   /* validFrom */
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    unsigned char seed[32];
    memset(seed, 7, sizeof seed);
    cred_keypair_from_seed(&key, seed);
    memset(seed, 9, sizeof seed);
    cred_keypair_from_seed(&other, seed);
    struct arena *ka = arena_new(0);
    ga = ka;
    issuer_did = did_key_from_public(ka, key.pk);

    char path[1200];
    snprintf(path, sizeof path, "%s/tests/unit/cred/data/ob3-unsigned.json",
             getenv("TB_SOURCE_DIR") ? getenv("TB_SOURCE_DIR") : ".");
    json_t *doc = json_load_file(path, 0, NULL);
    if (!doc) {
        printf("Bail out! cannot read %s\n", path);
        return 1;
    }
    json_object_set_new(json_object_get(doc, "issuer"), "id", json_string(issuer_did));

    /* the issuer's signed revocation list with bit 94567 set */
    struct status_list l;
    status_list_new(&l, 0, ka, NULL);
    status_list_set(&l, 94567, 1, NULL);
    json_t *lc = status_list_credential("https://academy.tradebridge.example/status/1", issuer_did,
                                        "revocation", &l, "2026-01-01T00:00:00Z", ka, NULL);
    json_t *lcs = sign_with(lc, &key, DI_EDDSA_RDFC_2022, NULL, NULL);
    struct verify_options o = {.has_now = 1, .now = NOW};
    struct verify_report rep;
    tap_ok(lcs && verified(lcs, &o, &rep), "the signed status list credential itself verifies");

    suite_tests(doc, DI_EDDSA_RDFC_2022, lcs);
    suite_tests(doc, DI_EDDSA_JCS_2022, lcs);

    /* did:web from a supplied DID document */
    json_t *web = json_deep_copy(doc);
    json_object_set_new(json_object_get(web, "issuer"), "id", json_string("did:web:academy.tradebridge.example"));
    json_object_del(web, "credentialStatus");
    json_t *wvc = sign_with(web, &key, DI_EDDSA_RDFC_2022, NULL, "did:web:academy.tradebridge.example#key-1");
    json_t *diddoc = json_pack("{s:[s,s], s:s, s:[{s:s, s:s, s:s, s:s}], s:[s]}",
                               "@context", "https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1",
                               "id", "did:web:academy.tradebridge.example",
                               "verificationMethod", "id", "did:web:academy.tradebridge.example#key-1",
                               "type", "Multikey", "controller", "did:web:academy.tradebridge.example",
                               "publicKeyMultibase", multikey_encode_public(ka, key.pk),
                               "assertionMethod", "#key-1");
    struct verify_options ow = o;
    tap_ok(!verified(wvc, &ow, &rep), "did:web without a DID document: refused, never fetched (%s)", lasterr);
    ow.did_documents = diddoc;
    tap_ok(verified(wvc, &ow, &rep), "did:web with the supplied DID document: verified");
    json_object_set_new(diddoc, "assertionMethod", json_array());
    tap_ok(!verified(wvc, &ow, &rep), "did:web key not listed under assertionMethod: refused (%s)", lasterr);
    json_object_set_new(diddoc, "assertionMethod", json_pack("[s]", "did:web:academy.tradebridge.example#key-1"));
    json_object_set_new(json_array_get(json_object_get(diddoc, "verificationMethod"), 0), "publicKeyMultibase",
                        json_string(multikey_encode_public(ka, other.pk)));
    tap_ok(!verified(wvc, &ow, &rep), "did:web document with another key: refused (%s)", lasterr);
    json_decref(diddoc);
    json_decref(wvc);
    json_decref(web);

    /* accreditation hook */
    json_t *plain = json_deep_copy(doc);
    json_object_del(plain, "credentialStatus");
    json_t *pvc = sign_with(plain, &key, DI_EDDSA_RDFC_2022, NULL, NULL);
    struct verify_options oa = o;
    oa.accredited = accredit_no;
    tap_ok(!verified(pvc, &oa, &rep) && rep.accreditation.state == CHECK_FAILED,
           "accreditation hook saying no: refused (%s)", lasterr);
    oa.accredited = accredit_yes;
    tap_ok(verified(pvc, &oa, &rep) && rep.accreditation.state == CHECK_PASSED,
           "accreditation hook gets issuer and validFrom, says yes: verified");
    json_decref(pvc);
    json_decref(plain);

    /* Random byte edits of the signed JSON text: whatever still parses must be
     * refused (or be a no-op edit such as whitespace), never crash. */
    {
        json_t *svc = sign_with(doc, &key, DI_EDDSA_RDFC_2022, NULL, NULL);
        char *text = json_dumps(svc, JSON_COMPACT);
        size_t n = strlen(text);
        unsigned r = 777;
        int parsed = 0, wrong = 0;
        for (int i = 0; i < 400; i++) {
            char *m = strdup(text);
            r = r * 1103515245u + 12345u;
            size_t at = (r >> 8) % n;
            r = r * 1103515245u + 12345u;
            m[at] = "\"{}[],:0a\\ #zZ"[(r >> 8) % 15];
            json_t *j = json_loads(m, 0, NULL);
            if (j) {
                parsed++;
                if (!json_equal(j, svc) && verified(j, &o, NULL))
                    wrong++;
                json_decref(j);
            }
            free(m);
        }
        tap_ok(parsed > 50 && wrong == 0, "400 random edits of a signed credential: %d still JSON, %d wrongly verified",
               parsed, wrong);
        free(text);
        json_decref(svc);
    }

    json_decref(lc);
    json_decref(lcs);
    json_decref(doc);
    arena_free(ka);
    return tap_done();
}
