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
#include <string.h>
#include <time.h>

#include "core/cred/hash.h"
#include "core/date.h"
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

/* The number in s[0..n), which must be n ASCII digits; -1 otherwise. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int cred_parse_time(const char *s, long long *epoch)
{
    /* YYYY-MM-DDThh:mm:ss, digits exactly where the pattern has them
     * (sscanf's %d would also take signs and spaces, and showed in profiles). */
    if (!s || strnlen(s, 19) < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':')
        return -1;
    int Y = digits(s, 4), M = digits(s + 5, 2), D = digits(s + 8, 2), h = digits(s + 11, 2),
        mi = digits(s + 14, 2), sec = digits(s + 17, 2);
    if (Y < 0 || M < 1 || M > 12 || D < 1 || D > 31 || h > 24 || mi > 59 || sec > 60 || h < 0 || mi < 0 || sec < 0)
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
        if (strnlen(p + 1, 5) < 5 || p[3] != ':')
            return -1;
        int oh = digits(p + 1, 2), om = digits(p + 4, 2);
        if (oh < 0 || om < 0 || oh > 14 || om > 59)
            return -1;
        off = (oh * 3600LL + om * 60LL) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return -1;   /* VC 2.0 requires an explicit offset */
    }
    if (*p)
        return -1;
    long long days = tb_days_from_civil(Y, M, D);
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

int di_canonicalize(const json_t *doc, enum di_suite suite, struct jsonld_loader *loader,
                    const struct jsonld_limits *limits, struct arena *a, const char **out,
                    size_t *len, struct tb_err *err)
{
    /* Every allocation here comes from a (jansson's too, in the JSON arena
     * window of toRdf): one that failed may have dropped data silently, so
     * the result, or its error ("not defined by any context", say), cannot
     * be trusted. */
    size_t failures = arena_failures(a);
    int rc;
    *out = NULL;
    if (suite == DI_EDDSA_JCS_2022) {
        struct abuf b;
        abuf_init(&b, a, CANON_MAX);
        rc = jcs_serialize(doc, &b, err);
        if (rc == 0) {
            *out = abuf_cstr(&b);
            *len = b.len;
        }
    } else {
        /* JSON-LD safe mode: toRdf silently drops what no context defines (the
         * npm VC 2.0 context has no @vocab) and relative IRIs; dropped data would
         * not be signed, so anyone could add it later. Data Integrity requires
         * refusing such documents, for signing and verifying alike. */
        struct jsonld_opts jo = {.safe = 1, .limits = limits};
        struct rdf_dataset ds;
        rdf_dataset_init(&ds, a);
        struct rdfc_result r;
        rc = jsonld_to_rdf_opts(doc, loader ? loader : jsonld_loader_default(), &jo, &ds, err);
        if (rc == 0)
            rc = rdfc_canonicalize(&ds, NULL, a, &r, err);
        if (rc == 0) {
            *out = r.nquads;
            *len = r.len;
        }
    }
    if (arena_failures(a) != failures || (rc == 0 && !*out))
        return tb_error(err, TB_E_INTERNAL_ERROR, "", "out of memory while canonicalizing");
    return rc ? -1 : 0;
}

/* hashData for a document (without proof) and a proof configuration. */
static int hash_data(const json_t *doc, const json_t *config, enum di_suite suite,
                     struct jsonld_loader *loader, const struct jsonld_limits *limits,
                     struct arena *a, struct di_trace *t, struct tb_err *err)
{
    const char *cd, *cp;
    size_t ld, lp;
    if (di_canonicalize(config, suite, loader, limits, a, &cp, &lp, err) ||
        di_canonicalize(doc, suite, loader, limits, a, &cd, &ld, err))
        return -1;
    t->canon_doc = cd;
    t->canon_proof = cp;
    if (cred_hash_buf(CRED_SHA256, cp, lp, t->proof_hash) ||
        cred_hash_buf(CRED_SHA256, cd, ld, t->doc_hash))
        return TB_INTERNAL(err, "out of memory");
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
            tb_error(err, TB_E_INVALID_PROOF, "proof.previousProof",
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
        return tb_error(err, TB_E_INVALID_CREDENTIAL, "", "credential must be a JSON object");
    if (!key->has_secret)
        return tb_error(err, TB_E_INVALID_KEY, "secretKeyMultibase", "signing needs a secret key");
    const json_t *ctx = json_object_get(doc, "@context");
    if (!ctx)
        return tb_error(err, TB_E_INVALID_CREDENTIAL, "@context", "credential has no @context");
    enum di_suite suite = opt->suite ? opt->suite : DI_EDDSA_RDFC_2022;
    char now[32];
    const char *created = opt->created;
    long long ep;
    if (!created) {
        cred_format_time((long long)time(NULL), now, sizeof now);
        created = now;
    } else if (cred_parse_time(created, &ep)) {
        return tb_error(err, TB_E_INVALID_OPTION, "created", "created is not an XML Schema dateTime");
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
    if (hash_data(unsecured, config, suite, opt->loader, NULL, a, trace, err)) {
        json_decref(existing);
        goto out;
    }
    unsigned char msg[64];
    memcpy(msg, trace->proof_hash, 32);
    memcpy(msg + 32, trace->doc_hash, 32);
    crypto_sign_detached(trace->sig, NULL, msg, sizeof msg, key->sk);
    char *pv = multibase_base58btc(a, trace->sig, 64);
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
                    struct jsonld_loader *loader, const struct jsonld_limits *limits,
                    struct arena *a, struct di_trace *trace, struct tb_err *err)
{
    struct di_trace local;
    if (!trace)
        trace = &local;
    if (!json_is_object(secured) || !json_is_object(proof))
        return tb_error(err, TB_E_INVALID_PROOF, "proof", "proof must be a JSON object");
    const char *type = json_string_value(json_object_get(proof, "type"));
    if (!type || strcmp(type, "DataIntegrityProof"))
        return tb_error(err, TB_E_INVALID_PROOF, "proof.type", "proof type is not DataIntegrityProof");
    const char *cs = json_string_value(json_object_get(proof, "cryptosuite"));
    enum di_suite suite = di_suite_parse(cs);
    if (suite == DI_SUITE_UNKNOWN)
        return tb_error(err, TB_E_INVALID_PROOF, "proof.cryptosuite",
                       "cryptosuite '%s' is not supported", cs ? cs : "(missing)");
    const char *pv = json_string_value(json_object_get(proof, "proofValue"));
    unsigned char sig[64];
    if (!pv || pv[0] != 'z' || base58_decode(pv + 1, sig, sizeof sig) != 64)
        return tb_error(err, TB_E_INVALID_PROOF, "proof.proofValue",
                       "proofValue is not a base58btc Ed25519 signature");
    const json_t *doc_ctx = json_object_get(secured, "@context");
    const json_t *proof_ctx = json_object_get(proof, "@context");
    if (proof_ctx && (!doc_ctx || !context_starts_with(doc_ctx, proof_ctx)))
        return tb_error(err, TB_E_INVALID_PROOF, "proof.@context",
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
    if (hash_data(unsecured, config, suite, loader, limits, a, trace, err))
        goto out;
    unsigned char msg[64];
    memcpy(msg, trace->proof_hash, 32);
    memcpy(msg + 32, trace->doc_hash, 32);
    memcpy(trace->sig, sig, 64);
    if (crypto_sign_verify_detached(sig, msg, sizeof msg, pk)) {
        tb_error(err, TB_E_INVALID_SIGNATURE, "proof.proofValue",
                "signature does not match the document and key");
        goto out;
    }
    rc = 0;
out:
    json_decref(unsecured);
    json_decref(config);
    return rc;
}
