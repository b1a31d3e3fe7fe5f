/*
 * dataint.c - Data Integrity proof creation and verification for
 * eddsa-rdfc-2022 and eddsa-jcs-2022 (W3C vc-di-eddsa). The two suites share
 * everything but the canonicalization step: hashData is
 * SHA-256(canonical proof config) || SHA-256(canonical document), signed with
 * Ed25519 over those 64 bytes.
 */
#include "core/cred/dataint.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/cred/jcs.h"
#include "core/cred/jsonld.h"
#include "core/cred/rdfc.h"

#define CANON_MAX ((size_t)64 << 20)

const char *di_suite_name(enum di_suite s)
{
    switch (s) {
    case DI_EDDSA_RDFC_2022: return "eddsa-rdfc-2022";
    case DI_EDDSA_JCS_2022: return "eddsa-jcs-2022";
    default: return "unknown";
    }
}

enum di_suite di_suite_parse(const char *name)
{
    if (!name)
        return DI_SUITE_UNKNOWN;
    if (!strcmp(name, "eddsa-rdfc-2022"))
        return DI_EDDSA_RDFC_2022;
    if (!strcmp(name, "eddsa-jcs-2022"))
        return DI_EDDSA_JCS_2022;
    return DI_SUITE_UNKNOWN;
}

static int days_from_civil(int y, int m, int d, long long *out)
{
    /* Days since 1970-01-01 in the proleptic Gregorian calendar, without
     * timegm() so the core stays free of the TZ environment. */
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *out = era * 146097 + doe - 719468;
    return 0;
}

int cred_parse_time(const char *s, long long *epoch)
{
    int Y, M, D, h, mi, sec, n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &Y, &M, &D, &h, &mi, &sec, &n) != 6 || n != 19)
        return -1;
    if (M < 1 || M > 12 || D < 1 || D > 31 || h > 24 || mi > 59 || sec > 60 || h < 0 || mi < 0 || sec < 0)
        return -1;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (D > mdays[M - 1])
        return -1;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return -1;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    long long off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om, k = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &k) != 2 || k != 5 || oh > 14 || om > 59)
            return -1;
        off = (oh * 3600LL + om * 60LL) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return -1;   /* VC 2.0 requires an explicit offset */
    }
    if (*p)
        return -1;
    long long days;
    days_from_civil(Y, M, D, &days);
    *epoch = days * 86400 + h * 3600LL + mi * 60LL + sec - off;
    return 0;
}

void cred_format_time(long long epoch, char *buf, size_t size)
{
    time_t t = (time_t)epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * JSON-LD "safe mode", checked from outside the JSON-LD processor.
 *
 * Why: toRdf silently drops what no context defines (the npm VC 2.0 context has
 * no @vocab) and triples whose IRIs are relative. Dropped data is not covered
 * by an eddsa-rdfc-2022 signature, so anyone could add it to a signed
 * credential. Data Integrity requires refusing such documents (jsonld.js
 * `safe: true`). Until the JSON-LD engine offers that itself, we expand the
 * document and check that (1) every value of the input survives expansion
 * (counting scalar values on both sides) and (2) every IRI toRdf would emit
 * is absolute. Costs one expansion (about a third of a toRdf call).
 */
static size_t count_leaves(const json_t *v, int expanded);

static size_t count_object(const json_t *o, int expanded)
{
    size_t n = 0;
    const char *k;
    const json_t *c;
    int value_object = json_object_get(o, "@value") != NULL;
    json_object_foreach((json_t *)o, k, c) {
        if (!strcmp(k, "@context"))
            continue;
        /* Modifiers of a value object are not values of their own (and the
         * expanded form adds coerced @type / default @language there). */
        if (value_object && strcmp(k, "@value"))
            continue;
        n += count_leaves(c, expanded);
    }
    return n;
}

static size_t count_leaves(const json_t *v, int expanded)
{
    if (json_is_object(v))
        return count_object(v, expanded);
    if (json_is_array(v)) {
        size_t n = 0;
        for (size_t i = 0; i < json_array_size(v); i++)
            n += count_leaves(json_array_get(v, i), expanded);
        return n;
    }
    return json_is_null(v) ? 0 : 1;
}

static int absolute_iri(const char *s)
{
    if (!s)
        return 0;
    if (!strncmp(s, "_:", 2))
        return s[2] != 0;
    const char *p = s;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return 0;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '+' || *p == '-' || *p == '.')
        p++;
    if (*p != ':')
        return 0;
    for (; *p; p++)
        if ((unsigned char)*p <= 0x20 || strchr("<>\"{}|\\^`", *p))
            return 0;
    return 1;
}

/* Returns the first IRI toRdf would drop, or NULL. */
static const char *relative_iri(const json_t *v, const char **what)
{
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            const char *r = relative_iri(json_array_get(v, i), what);
            if (r)
                return r;
        }
        return NULL;
    }
    if (!json_is_object(v))
        return NULL;
    const char *k;
    const json_t *c;
    int value_object = json_object_get(v, "@value") != NULL;
    json_object_foreach((json_t *)v, k, c) {
        if (value_object) {
            if (!strcmp(k, "@type") && json_is_string(c) && strcmp(json_string_value(c), "@json") &&
                !absolute_iri(json_string_value(c)))
                return *what = "datatype", json_string_value(c);
            continue;
        }
        if (!strcmp(k, "@id")) {
            if (!absolute_iri(json_string_value(c)))
                return *what = "identifier", json_string_value(c) ? json_string_value(c) : "?";
        } else if (!strcmp(k, "@type")) {
            for (size_t i = 0; i < json_array_size(c); i++)
                if (!absolute_iri(json_string_value(json_array_get(c, i))))
                    return *what = "type", json_string_value(json_array_get(c, i)) ? json_string_value(json_array_get(c, i)) : "?";
        } else if (k[0] != '@' && (!absolute_iri(k) || !strncmp(k, "_:", 2))) {
            return *what = "property", k;
        } else {
            const char *r = relative_iri(c, what);
            if (r)
                return r;
        }
    }
    return NULL;
}

static int is_keyword(const char *k)
{
    static const char *const kw[] = {
        "@base", "@container", "@context", "@direction", "@graph", "@id", "@import", "@included",
        "@index", "@json", "@language", "@list", "@nest", "@none", "@prefix", "@propagate",
        "@protected", "@reverse", "@set", "@type", "@value", "@version", "@vocab", NULL};
    for (int i = 0; kw[i]; i++)
        if (!strcmp(k, kw[i]))
            return 1;
    return 0;
}

/*
 * On failure only: name the dropped key. Removing a key whose values were
 * dropped leaves the expansion's count unchanged; removing any other lowers it.
 * One expansion per key, on this error path only, and at most 64 of them.
 */
static const char *find_dropped_key(json_t *root, json_t *v, struct jsonld_loader *loader,
                                    struct arena *a, size_t full, int *budget)
{
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            const char *r = find_dropped_key(root, json_array_get(v, i), loader, a, full, budget);
            if (r)
                return r;
        }
        return NULL;
    }
    if (!json_is_object(v) || json_object_get(v, "@value"))
        return NULL;   /* a value object's members are modifiers, not data */
    /* Snapshot the keys: deleting and re-adding one moves it to the end. */
    size_t nk = json_object_size(v), i = 0;
    const char **keys = arena_alloc(a, sizeof *keys * (nk + 1));
    const char *k;
    json_t *c;
    if (!keys)
        return NULL;
    json_object_foreach(v, k, c)
        keys[i++] = arena_strdup(a, k);
    for (i = 0; i < nk; i++) {
        if (!keys[i] || !(c = json_object_get(v, keys[i])))
            continue;
        k = keys[i];
        if (is_keyword(k) || count_leaves(c, 0) == 0)
            continue;
        if (--*budget < 0)   /* a hostile document must not buy quadratic work */
            return NULL;
        const char *key = k;
        json_t *keep = json_incref(c);
        json_object_del(v, key);
        json_t *exp = NULL;
        struct tb_err e;
        int same = !jsonld_expand(root, loader, a, &exp, &e) && count_leaves(exp, 1) == full;
        json_decref(exp);
        json_object_set_new(v, key, keep);
        if (same)
            return key;
        const char *r = find_dropped_key(root, keep, loader, a, full, budget);
        if (r)
            return r;
    }
    return NULL;
}

static int safe_check(const json_t *doc, struct jsonld_loader *loader, struct arena *a,
                      struct tb_err *err)
{
    json_t *exp = NULL;
    if (jsonld_expand(doc, loader, a, &exp, err))
        return -1;
    int rc = 0;
    const char *what = NULL;
    const char *rel = relative_iri(exp, &what);
    if (rel) {
        rc = tb_fail(err, 400, "safe_mode", "", "JSON-LD safe mode: %s '%s' is not an absolute IRI, "
                     "so it would not be signed", what, rel);
    } else if (count_leaves(exp, 1) < count_leaves(doc, 0)) {
        json_t *copy = json_deep_copy(doc);
        int budget = 64;
        const char *k = copy ? find_dropped_key(copy, copy, loader, a, count_leaves(exp, 1), &budget) : NULL;
        rc = tb_fail(err, 400, "safe_mode", k ? k : "",
                     "JSON-LD safe mode: %s%s%s is not defined by any @context, so it would not be "
                     "signed", k ? "'" : "some data", k ? k : "", k ? "'" : "");
        json_decref(copy);
    }
    json_decref(exp);
    return rc;
}

/*
 * A proof configuration of the usual shape under the VC 2.0 context cannot
 * lose data: every member is a protected term of the context's
 * DataIntegrityProof definition, so the safe-mode expansion is skipped for it
 * (it is run once per sign and per verify). Anything else takes the full check.
 */
static int proof_config_is_safe(const json_t *c)
{
    static const char *const purposes[] = {"assertionMethod", "authentication", "capabilityInvocation",
                                           "capabilityDelegation", "keyAgreement", NULL};
    static const char *const plain[] = {"cryptosuite", "created", "expires", "nonce", "domain",
                                        "challenge", NULL};
    const json_t *ctx = json_object_get(c, "@context");
    const json_t *first = json_is_array(ctx) ? json_array_get(ctx, 0) : ctx;
    if (!json_is_string(first) || strcmp(json_string_value(first), "https://www.w3.org/ns/credentials/v2"))
        return 0;
    const char *type = json_string_value(json_object_get(c, "type"));
    if (!type || strcmp(type, "DataIntegrityProof"))
        return 0;
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)c, k, v) {
        if (!strcmp(k, "@context") || !strcmp(k, "type"))
            continue;
        if (!json_is_string(v))
            return 0;
        int ok = 0;
        for (int i = 0; plain[i] && !ok; i++)
            ok = !strcmp(k, plain[i]);
        if (!strcmp(k, "verificationMethod"))
            ok = absolute_iri(json_string_value(v)) && strncmp(json_string_value(v), "_:", 2);
        if (!strcmp(k, "proofPurpose"))
            for (int i = 0; purposes[i] && !ok; i++)
                ok = !strcmp(json_string_value(v), purposes[i]);
        if (!ok)
            return 0;
    }
    return 1;
}

int di_canonicalize(const json_t *doc, enum di_suite suite, struct jsonld_loader *loader,
                    struct arena *a, const char **out, size_t *len, struct tb_err *err)
{
    if (suite == DI_EDDSA_JCS_2022) {
        struct abuf b;
        abuf_init(&b, a, CANON_MAX);
        if (jcs_serialize(doc, &b, err))
            return -1;
        *out = abuf_cstr(&b);
        *len = b.len;
        return *out ? 0 : TB_INTERNAL(err, "out of memory");
    }
    if (!loader)
        loader = jsonld_loader_default();
    if (!proof_config_is_safe(doc) && safe_check(doc, loader, a, err))
        return -1;
    struct rdf_dataset ds;
    rdf_dataset_init(&ds, a);
    if (jsonld_to_rdf(doc, loader, &ds, err))
        return -1;
    struct rdfc_result r;
    if (rdfc_canonicalize(&ds, NULL, a, &r, err))
        return -1;
    *out = r.nquads;
    *len = r.len;
    return 0;
}

/* hashData for a document (without proof) and a proof configuration. */
static int hash_data(const json_t *doc, const json_t *config, enum di_suite suite,
                     struct jsonld_loader *loader, struct arena *a, struct di_trace *t,
                     struct tb_err *err)
{
    const char *cd, *cp;
    size_t ld, lp;
    if (di_canonicalize(config, suite, loader, a, &cp, &lp, err) ||
        di_canonicalize(doc, suite, loader, a, &cd, &ld, err))
        return -1;
    t->canon_doc = cd;
    t->canon_proof = cp;
    crypto_hash_sha256(t->proof_hash, (const unsigned char *)cp, lp);
    crypto_hash_sha256(t->doc_hash, (const unsigned char *)cd, ld);
    return 0;
}

/*
 * For a proof chain: the proofs of `all` (object or array) whose "id" is
 * listed in `prev` (a string or an array of strings), as a new array; NULL with
 * *err filled when one is missing.
 */
static json_t *previous_proofs(const json_t *all, const json_t *prev, struct tb_err *err)
{
    size_t n = json_is_array(prev) ? json_array_size(prev) : 1;
    json_t *out = json_array();
    for (size_t i = 0; out && i < n; i++) {
        const char *want = json_string_value(json_is_array(prev) ? json_array_get(prev, i) : prev);
        const json_t *hit = NULL;
        size_t m = json_is_array(all) ? json_array_size(all) : all ? 1 : 0;
        for (size_t k = 0; want && k < m && !hit; k++) {
            const json_t *p = json_is_array(all) ? json_array_get(all, k) : all;
            const char *id = json_string_value(json_object_get(p, "id"));
            if (id && !strcmp(id, want))
                hit = p;
        }
        if (!hit) {
            tb_fail(err, 400, "invalid_proof", "proof.previousProof",
                    "previous proof '%s' is not among the document's proofs", want ? want : "(not a string)");
            json_decref(out);
            return NULL;
        }
        json_array_append(out, (json_t *)hit);
    }
    return out;
}

int di_sign(const json_t *doc, const struct cred_keypair *key, const struct di_options *opt,
            struct arena *a, json_t **secured, struct di_trace *trace, struct tb_err *err)
{
    struct di_trace local;
    struct di_options dflt = {0};
    if (!trace)
        trace = &local;
    if (!opt)
        opt = &dflt;
    *secured = NULL;
    if (!json_is_object(doc))
        return tb_fail(err, 400, "invalid_credential", "", "credential must be a JSON object");
    if (!key->has_secret)
        return tb_fail(err, 400, "invalid_key", "secretKeyMultibase", "signing needs a secret key");
    const json_t *ctx = json_object_get(doc, "@context");
    if (!ctx)
        return tb_fail(err, 400, "invalid_credential", "@context", "credential has no @context");
    enum di_suite suite = opt->suite ? opt->suite : DI_EDDSA_RDFC_2022;
    char now[32];
    const char *created = opt->created;
    long long ep;
    if (!created) {
        cred_format_time((long long)time(NULL), now, sizeof now);
        created = now;
    } else if (cred_parse_time(created, &ep)) {
        return tb_fail(err, 400, "invalid_option", "created", "created is not an XML Schema dateTime");
    }
    const char *vm = opt->verification_method;
    if (!vm && !(vm = did_key_vm_from_public(a, key->pk)))
        return TB_INTERNAL(err, "out of memory");

    /* Member order as in the W3C vectors: type, id, cryptosuite, created, ... */
    json_t *proof = json_pack("{s:s}", "type", "DataIntegrityProof");
    if (proof && opt->proof_id)
        json_object_set_new(proof, "id", json_string(opt->proof_id));
    if (proof) {
        json_object_set_new(proof, "cryptosuite", json_string(di_suite_name(suite)));
        json_object_set_new(proof, "created", json_string(created));
        json_object_set_new(proof, "verificationMethod", json_string(vm));
        json_object_set_new(proof, "proofPurpose",
                            json_string(opt->proof_purpose ? opt->proof_purpose : "assertionMethod"));
        if (opt->previous_proof)
            json_object_set(proof, "previousProof", (json_t *)opt->previous_proof);
    }
    json_t *unsecured = json_copy((json_t *)doc);
    json_t *config = json_copy(proof);
    int rc = -1;
    if (!proof || !unsecured || !config) {
        TB_INTERNAL(err, "out of memory");
        goto out;
    }
    json_t *existing = json_incref(json_object_get(unsecured, "proof"));
    json_object_del(unsecured, "proof");
    if (opt->previous_proof) {
        json_t *prev = previous_proofs(existing, opt->previous_proof, err);
        if (!prev) {
            json_decref(existing);
            goto out;
        }
        json_object_set_new(unsecured, "proof", prev);
    }
    json_object_set(config, "@context", (json_t *)ctx);
    if (suite == DI_EDDSA_JCS_2022)   /* the JCS suite keeps @context in the proof */
        json_object_set(proof, "@context", (json_t *)ctx);
    if (hash_data(unsecured, config, suite, opt->loader, a, trace, err)) {
        json_decref(existing);
        goto out;
    }
    unsigned char msg[64];
    memcpy(msg, trace->proof_hash, 32);
    memcpy(msg + 32, trace->doc_hash, 32);
    crypto_sign_detached(trace->sig, NULL, msg, sizeof msg, key->sk);
    char *b58 = base58_encode(a, trace->sig, 64);
    char *pv = b58 ? arena_printf(a, "z%s", b58) : NULL;
    if (!pv) {
        json_decref(existing);
        TB_INTERNAL(err, "out of memory");
        goto out;
    }
    json_object_set_new(proof, "proofValue", json_string(pv));
    if (existing) {
        json_t *set = json_is_array(existing) ? json_copy(existing) : json_pack("[O]", existing);
        json_array_append(set, proof);
        json_object_set_new(unsecured, "proof", set);
        json_decref(existing);
    } else {
        json_object_del(unsecured, "proof");
        json_object_set(unsecured, "proof", proof);
    }
    *secured = unsecured;
    unsecured = NULL;
    rc = 0;
out:
    json_decref(proof);
    json_decref(config);
    json_decref(unsecured);
    return rc;
}

/* Does arr (or a single string) start with the elements of prefix, in order? */
static int context_starts_with(const json_t *ctx, const json_t *prefix)
{
    if (json_equal((json_t *)ctx, (json_t *)prefix))
        return 1;
    if (!json_is_array(ctx))
        return 0;
    if (!json_is_array(prefix))
        return json_array_size(ctx) >= 1 && json_equal(json_array_get(ctx, 0), (json_t *)prefix);
    if (json_array_size(prefix) > json_array_size(ctx))
        return 0;
    for (size_t i = 0; i < json_array_size(prefix); i++)
        if (!json_equal(json_array_get(ctx, i), json_array_get(prefix, i)))
            return 0;
    return 1;
}

int di_verify_proof(const json_t *secured, const json_t *proof, const unsigned char pk[32],
                    struct jsonld_loader *loader, struct arena *a, struct di_trace *trace,
                    struct tb_err *err)
{
    struct di_trace local;
    if (!trace)
        trace = &local;
    if (!json_is_object(secured) || !json_is_object(proof))
        return tb_fail(err, 400, "invalid_proof", "proof", "proof must be a JSON object");
    const char *type = json_string_value(json_object_get(proof, "type"));
    if (!type || strcmp(type, "DataIntegrityProof"))
        return tb_fail(err, 400, "invalid_proof", "proof.type", "proof type is not DataIntegrityProof");
    const char *cs = json_string_value(json_object_get(proof, "cryptosuite"));
    enum di_suite suite = di_suite_parse(cs);
    if (suite == DI_SUITE_UNKNOWN)
        return tb_fail(err, 400, "invalid_proof", "proof.cryptosuite",
                       "cryptosuite '%s' is not supported", cs ? cs : "(missing)");
    const char *pv = json_string_value(json_object_get(proof, "proofValue"));
    unsigned char sig[64];
    if (!pv || pv[0] != 'z' || base58_decode(pv + 1, sig, sizeof sig) != 64)
        return tb_fail(err, 400, "invalid_proof", "proof.proofValue",
                       "proofValue is not a base58btc Ed25519 signature");
    const json_t *doc_ctx = json_object_get(secured, "@context");
    const json_t *proof_ctx = json_object_get(proof, "@context");
    if (proof_ctx && (!doc_ctx || !context_starts_with(doc_ctx, proof_ctx)))
        return tb_fail(err, 400, "invalid_proof", "proof.@context",
                       "proof @context does not match the document's @context");

    json_t *unsecured = json_copy((json_t *)secured);
    json_t *config = json_copy((json_t *)proof);
    int rc = -1;
    if (!unsecured || !config) {
        TB_INTERNAL(err, "out of memory");
        goto out;
    }
    json_object_del(unsecured, "proof");
    json_object_del(config, "proofValue");
    const json_t *prev_ids = json_object_get(proof, "previousProof");
    if (prev_ids) {   /* proof chain: the referenced proofs are part of what was signed */
        json_t *prev = previous_proofs(json_object_get(secured, "proof"), prev_ids, err);
        if (!prev)
            goto out;
        json_object_set_new(unsecured, "proof", prev);
    }
    if (suite == DI_EDDSA_RDFC_2022) {
        if (proof_ctx)
            json_object_set(unsecured, "@context", (json_t *)proof_ctx);
        else if (doc_ctx)
            json_object_set(config, "@context", (json_t *)doc_ctx);
    }
    if (hash_data(unsecured, config, suite, loader, a, trace, err))
        goto out;
    unsigned char msg[64];
    memcpy(msg, trace->proof_hash, 32);
    memcpy(msg + 32, trace->doc_hash, 32);
    memcpy(trace->sig, sig, 64);
    if (crypto_sign_verify_detached(sig, msg, sizeof msg, pk)) {
        tb_fail(err, 400, "invalid_signature", "proof.proofValue",
                "signature does not match the document and key");
        goto out;
    }
    rc = 0;
out:
    json_decref(unsecured);
    json_decref(config);
    return rc;
}
