/*
 * verify.c - credential_verify: runs every check independently so the report
 * says all that is wrong, not just the first thing, and words each failure
 * for the person reading it.
 */
#include "core/cred/verify.h"

#include <string.h>
#include <time.h>

#include "core/cred/dataint.h"
#include "core/cred/jsonld.h"
#include "core/cred/keys.h"
#include "core/cred/statuslist.h"

/* Sized for Open Badges 3.0 credentials with room to spare: the demo's have
 * 2 contexts, depth 6, ~70 values, ~12 nodes, ~50 quads, ~7 blank nodes. */
const struct jsonld_limits verify_public_limits = {
    .contexts = 16, .depth = 32, .values = 10000, .nodes = 1000, .quads = 5000,
    .blank_nodes = 1000,
};

/* Errors that refuse the whole request instead of failing one check. */
static int is_limit(const struct tb_err *e)
{
    return !strcmp(e->code, "limit_exceeded") || !strcmp(e->code, "canon_work_limit") ||
           !strcmp(e->code, "too_large");
}

static void set_check(struct verify_report *r, struct verify_check *c, enum check_state st,
                      const char *msg)
{
    if (!msg)
        r->oom = 1;   /* credential_verify answers out of memory */
    /* The first failure of a check is its message; later ones only go to errors. */
    if (c->state != CHECK_FAILED) {
        c->state = st;
        c->message = msg;
    }
    if (st == CHECK_FAILED && r->nerrors < VERIFY_MAX_ERRORS)
        r->errors[r->nerrors++] = msg;
}

static const char *str_or_id(const json_t *v)
{
    if (json_is_string(v))
        return json_string_value(v);
    return json_string_value(json_object_get(v, "id"));
}

/* The DID of a DID URL (before '#'), in the arena. */
static char *did_of(struct arena *a, const char *vm)
{
    const char *h = strchr(vm, '#');
    return h ? arena_strndup(a, vm, (size_t)(h - vm)) : arena_strdup(a, vm);
}

static int id_matches(const char *candidate, const char *did, const char *vm)
{
    if (!candidate)
        return 0;
    if (!strcmp(candidate, vm))
        return 1;
    /* relative "#key-1" within the DID document */
    size_t dl = strlen(did);
    return candidate[0] == '#' && !strncmp(vm, did, dl) && !strcmp(vm + dl, candidate);
}

static int key_from_method(const json_t *m, unsigned char pk[32], struct tb_err *err)
{
    const char *mb = json_string_value(json_object_get(m, "publicKeyMultibase"));
    if (mb)
        return multikey_decode_public(mb, pk, err);
    const json_t *jwk = json_object_get(m, "publicKeyJwk");
    if (jwk) {
        const char *kty = json_string_value(json_object_get(jwk, "kty"));
        const char *crv = json_string_value(json_object_get(jwk, "crv"));
        const char *x = json_string_value(json_object_get(jwk, "x"));
        if (!kty || !crv || !x || strcmp(kty, "OKP") || strcmp(crv, "Ed25519") ||
            base64url_decode(x, strlen(x), pk, 32) != 32)
            return tb_error(err, TB_E_INVALID_KEY, "publicKeyJwk",
                           "verification method's JWK is not an Ed25519 (OKP) key");
        return 0;
    }
    return tb_error(err, TB_E_INVALID_KEY, "verificationMethod",
                   "verification method has no publicKeyMultibase or publicKeyJwk");
}

int verify_resolve_key(const char *vm, const json_t *docs, const char *rel, unsigned char pk[32],
                       struct arena *a, struct tb_err *err)
{
    if (!vm)
        return tb_error(err, TB_E_INVALID_PROOF, "proof.verificationMethod",
                       "proof has no verificationMethod");
    if (!strncmp(vm, "did:key:", 8))
        return did_key_resolve(vm, pk, err);
    char *did = did_of(a, vm);
    if (!did)
        return TB_INTERNAL(err, "out of memory");
    const json_t *doc = NULL;
    if (json_is_object(docs) && json_string_value(json_object_get(docs, "id")) &&
        !strcmp(json_string_value(json_object_get(docs, "id")), did))
        doc = docs;
    for (size_t i = 0; !doc && json_is_array(docs) && i < json_array_size(docs); i++) {
        const char *id = json_string_value(json_object_get(json_array_get(docs, i), "id"));
        if (id && !strcmp(id, did))
            doc = json_array_get(docs, i);
    }
    if (!doc)
        return tb_error(err, TB_E_UNRESOLVED_KEY, "proof.verificationMethod",
                       "no DID document was supplied for %s (DIDs other than did:key are never "
                       "fetched from the network)", did);
    const json_t *method = NULL, *m;
    size_t i;
    json_array_foreach(json_object_get(doc, "verificationMethod"), i, m)
        if (id_matches(json_string_value(json_object_get(m, "id")), did, vm))
            method = m;
    int listed = 0;
    json_array_foreach(json_object_get(doc, rel), i, m) {
        if (json_is_string(m) && id_matches(json_string_value(m), did, vm))
            listed = 1;
        else if (json_is_object(m) && id_matches(json_string_value(json_object_get(m, "id")), did, vm)) {
            listed = 1;
            method = m;
        }
    }
    if (!method)
        return tb_error(err, TB_E_UNRESOLVED_KEY, "proof.verificationMethod",
                       "DID document of %s has no verification method %s", did, vm);
    if (!listed)
        return tb_error(err, TB_E_UNAUTHORIZED_KEY, "proof.verificationMethod",
                       "key %s is not listed under %s in the DID document", vm, rel);
    const char *ctrl = json_string_value(json_object_get(method, "controller"));
    if (ctrl && strcmp(ctrl, did))
        return tb_error(err, TB_E_UNAUTHORIZED_KEY, "proof.verificationMethod",
                       "key %s is controlled by %s, not by %s", vm, ctrl, did);
    return key_from_method(method, pk, err);
}

/* Verifies every proof of vc; returns the verification method of the last
 * one through *vm_out. Failures go to check c. */
static void check_proofs(const json_t *vc, const struct verify_options *opt, long long now,
                         struct verify_report *r, struct verify_check *c, const char *what,
                         const char **vm_out, struct arena *a, struct tb_err *stop)
{
    const json_t *proofs = json_object_get(vc, "proof");
    if (!proofs) {
        set_check(r, c, CHECK_FAILED, arena_printf(a, "%s has no proof", what));
        return;
    }
    size_t n = json_is_array(proofs) ? json_array_size(proofs) : 1;
    if (n == 0) {
        set_check(r, c, CHECK_FAILED, arena_printf(a, "%s has an empty proof set", what));
        return;
    }
    if (n > VERIFY_MAX_PROOFS) {   /* each proof costs a canonicalization: bound the work */
        set_check(r, c, CHECK_FAILED, arena_printf(a, "%s has %zu proofs, more than the %d accepted",
                                                   what, n, VERIFY_MAX_PROOFS));
        return;
    }
    for (size_t i = 0; i < n && !stop->status; i++) {
        const json_t *p = json_is_array(proofs) ? json_array_get(proofs, i) : proofs;
        struct tb_err e = {0};
        const char *vm = json_string_value(json_object_get(p, "verificationMethod"));
        const char *purpose = json_string_value(json_object_get(p, "proofPurpose"));
        const char *created = json_string_value(json_object_get(p, "created"));
        const char *expires = json_string_value(json_object_get(p, "expires"));
        long long t;
        if (!json_is_object(p)) {
            set_check(r, c, CHECK_FAILED, arena_printf(a, "%s: proof is not a JSON object", what));
            continue;
        }
        if (vm_out && vm)
            *vm_out = vm;
        if (!r->cryptosuite)
            r->cryptosuite = json_string_value(json_object_get(p, "cryptosuite"));
        if (!purpose || strcmp(purpose, "assertionMethod")) {
            set_check(r, c, CHECK_FAILED, arena_printf(a, "%s: proof purpose is '%s', not assertionMethod",
                                                       what, purpose ? purpose : "(missing)"));
            continue;
        }
        if (created && cred_parse_time(created, &t))
            set_check(r, c, CHECK_FAILED, arena_printf(a, "%s: proof 'created' is not a valid date-time", what));
        else if (created && t > now + opt->clock_skew)
            set_check(r, c, CHECK_FAILED, arena_printf(a, "%s: proof was created in the future (%s)", what, created));
        if (expires && (cred_parse_time(expires, &t) || t < now))
            set_check(r, c, CHECK_FAILED, arena_printf(a, "%s: proof expired (%s)", what, expires));
        unsigned char pk[32];
        if (verify_resolve_key(vm, opt->did_documents, "assertionMethod", pk, a, &e)) {
            if (e.status >= 500) {
                *stop = e;
                return;
            }
            set_check(r, c, CHECK_FAILED, arena_printf(a, "%s: %s", what, e.message));
            continue;
        }
        if (di_verify_proof(vc, p, pk, opt->loader, opt->limits, a, NULL, &e)) {
            if ((opt->limits && is_limit(&e)) || e.status >= 500) {
                *stop = e;   /* refused as a whole, or out of memory */
                return;
            }
            const char *msg = !strcmp(e.code, "invalid_signature")
                ? arena_printf(a, "%s: signature is not valid (the credential or its proof was changed, "
                                  "or it was signed with another key)", what)
                : arena_printf(a, "%s: %s", what, e.message);
            set_check(r, c, CHECK_FAILED, msg);
            continue;
        }
    }
    if (c->state != CHECK_FAILED)
        set_check(r, c, CHECK_PASSED, arena_printf(a, "%s: signature valid (%s)", what,
                                                   r->cryptosuite ? r->cryptosuite : "?"));
}

static void check_dates(const json_t *vc, long long now, long long skew, struct verify_report *r,
                        struct verify_check *c, const char *what, struct arena *a)
{
    const char *from = json_string_value(json_object_get(vc, "validFrom"));
    const char *until = json_string_value(json_object_get(vc, "validUntil"));
    if (!from)
        from = json_string_value(json_object_get(vc, "issuanceDate"));   /* VC 1.1 */
    if (!until)
        until = json_string_value(json_object_get(vc, "expirationDate"));
    long long t;
    int bad = 0;
    if (from && cred_parse_time(from, &t))
        set_check(r, c, CHECK_FAILED, arena_printf(a, "%s: validFrom is not a valid date-time", what)), bad = 1;
    else if (from && t > now + skew)
        set_check(r, c, CHECK_FAILED, arena_printf(a, "%s is not valid yet (valid from %s)", what, from)), bad = 1;
    if (until && cred_parse_time(until, &t))
        set_check(r, c, CHECK_FAILED, arena_printf(a, "%s: validUntil is not a valid date-time", what)), bad = 1;
    else if (until && t < now)
        set_check(r, c, CHECK_FAILED, arena_printf(a, "%s expired (valid until %s)", what, until)), bad = 1;
    if (!bad && c->state != CHECK_FAILED)
        set_check(r, c, CHECK_PASSED, arena_printf(a, "%s is within its validity period", what));
}

static const json_t *find_list(const json_t *lists, const char *id)
{
    if (!id)
        return NULL;
    if (json_is_object(lists))
        return str_or_id(lists) && !strcmp(str_or_id(lists), id) ? lists : NULL;
    size_t i;
    const json_t *l;
    json_array_foreach(lists, i, l)
        if (str_or_id(l) && !strcmp(str_or_id(l), id))
            return l;
    return NULL;
}

static void check_status(const json_t *vc, const struct verify_options *opt, long long now,
                         struct verify_report *r, struct arena *a, struct tb_err *stop)
{
    const json_t *cs = json_object_get(vc, "credentialStatus");
    if (!cs) {
        set_check(r, &r->status, CHECK_SKIPPED, "credential has no credentialStatus");
        return;
    }
    size_t n = json_is_array(cs) ? json_array_size(cs) : 1;
    int checked = 0;
    if (n > VERIFY_MAX_STATUS) {
        set_check(r, &r->status, CHECK_FAILED,
                  arena_printf(a, "credential has %zu status entries, more than the %d accepted", n,
                               VERIFY_MAX_STATUS));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_is_array(cs) ? json_array_get(cs, i) : cs;
        const char *lid = json_string_value(json_object_get(e, "statusListCredential"));
        const char *purpose = json_string_value(json_object_get(e, "statusPurpose"));
        const json_t *list = find_list(opt->status_lists, lid);
        if (!list) {
            if (opt->require_status)
                set_check(r, &r->status, CHECK_FAILED,
                          arena_printf(a, "status list %s was not supplied, so %s cannot be checked",
                                       lid ? lid : "(unnamed)", purpose ? purpose : "status"));
            continue;
        }
        /* The list must be authentic and current, and from the same issuer. */
        struct verify_check lc = {0};
        struct verify_report tmp;
        memset(&tmp, 0, sizeof tmp);
        const char *lvm = NULL;
        check_proofs(list, opt, now, &tmp, &lc, "status list", &lvm, a, stop);
        if (stop->status)
            return;
        r->oom |= tmp.oom;
        for (size_t k = 0; k < tmp.nerrors; k++)
            set_check(r, &r->status, CHECK_FAILED, tmp.errors[k]);
        struct verify_check dc = {0};
        memset(&tmp, 0, sizeof tmp);
        check_dates(list, now, opt->clock_skew, &tmp, &dc, "status list", a);
        r->oom |= tmp.oom;
        for (size_t k = 0; k < tmp.nerrors; k++)
            set_check(r, &r->status, CHECK_FAILED, tmp.errors[k]);
        const char *li = str_or_id(json_object_get(list, "issuer"));
        if (!li || !r->issuer_id || strcmp(li, r->issuer_id))
            set_check(r, &r->status, CHECK_FAILED,
                      arena_printf(a, "status list was issued by %s, not by the credential's issuer",
                                   li ? li : "(nobody)"));
        else if (!opt->no_issuer_binding && lvm) {
            const char *signer = did_of(a, lvm);
            if (!signer)
                r->oom = 1;
            else if (strcmp(signer, li))
                set_check(r, &r->status, CHECK_FAILED,
                          arena_printf(a, "status list is signed by %s, not by its issuer %s", lvm, li));
        }
        struct tb_err err = {0};
        int set = 0;
        if (status_list_check(e, list, a, &set, &err)) {
            if (err.status >= 500) {
                *stop = err;
                return;
            }
            set_check(r, &r->status, CHECK_FAILED, arena_printf(a, "status: %s", err.message));
            continue;
        }
        checked++;
        if (set) {
            int rev = purpose && !strcmp(purpose, "revocation");
            int sus = purpose && !strcmp(purpose, "suspension");
            r->revoked |= rev;
            r->suspended |= sus;
            set_check(r, &r->status, CHECK_FAILED,
                      rev ? "credential has been revoked by its issuer"
                      : sus ? "credential is suspended by its issuer"
                            : arena_printf(a, "status '%s' is set for this credential",
                                           purpose ? purpose : "?"));
        }
    }
    if (r->status.state == CHECK_FAILED)
        return;
    if (checked)
        set_check(r, &r->status, CHECK_PASSED, "not revoked or suspended");
    else
        set_check(r, &r->status, CHECK_SKIPPED, "status not checked: no status list supplied");
}

int credential_verify(const json_t *vc, const struct verify_options *opt,
                      struct verify_report *r, struct arena *a, struct tb_err *err)
{
    struct verify_options dflt;
    memset(&dflt, 0, sizeof dflt);
    if (!opt)
        opt = &dflt;
    memset(r, 0, sizeof *r);
    long long now = opt->has_now ? opt->now : (long long)time(NULL);
    if (!json_is_object(vc)) {
        set_check(r, &r->signature, CHECK_FAILED, "credential is not a JSON object");
        return 0;
    }
    /* Refuse oversized input before any JSON-LD work. */
    if (jsonld_check_input(vc, opt->limits, err))
        return -1;
    struct tb_err stop = {0};
    r->issuer_id = str_or_id(json_object_get(vc, "issuer"));

    /* signature */
    const char *vm = NULL;
    check_proofs(vc, opt, now, r, &r->signature, "credential", &vm, a, &stop);
    r->verification_method = vm;
    if (stop.status) {
        *err = stop;
        return -1;
    }

    /* issuer */
    if (!r->issuer_id) {
        set_check(r, &r->issuer, CHECK_FAILED, "credential names no issuer");
    } else {
        if (opt->expected_issuer && strcmp(opt->expected_issuer, r->issuer_id))
            set_check(r, &r->issuer, CHECK_FAILED,
                      arena_printf(a, "issuer is %s, expected %s", r->issuer_id, opt->expected_issuer));
        if (!opt->no_issuer_binding && vm) {
            /* In a proof set (issuer plus co-signers) one proof must be the issuer's. */
            const json_t *proofs = json_object_get(vc, "proof");
            size_t np = json_is_array(proofs) ? json_array_size(proofs) : 1, i;
            int bound = 0;
            for (i = 0; i < np && !bound; i++) {
                const json_t *p = json_is_array(proofs) ? json_array_get(proofs, i) : proofs;
                const char *pvm = json_string_value(json_object_get(p, "verificationMethod"));
                char *ctrl = pvm ? did_of(a, pvm) : NULL;
                if (pvm && !ctrl)
                    r->oom = 1;
                bound = ctrl && !strcmp(ctrl, r->issuer_id);
            }
            const char *signer = bound ? NULL : did_of(a, vm);
            if (!bound)
                set_check(r, &r->issuer, CHECK_FAILED,
                          signer ? arena_printf(a, "signing key belongs to %s, not to the issuer %s",
                                                signer, r->issuer_id) : NULL);
        }
        if (r->issuer.state != CHECK_FAILED)
            set_check(r, &r->issuer, CHECK_PASSED,
                      arena_printf(a, opt->no_issuer_binding && !opt->expected_issuer
                                          ? "issuer %s (key binding not required)"
                                          : "issued by %s", r->issuer_id));
    }

    check_status(vc, opt, now, r, a, &stop);
    if (stop.status) {
        *err = stop;
        return -1;
    }
    check_dates(vc, now, opt->clock_skew, r, &r->validity, "credential", a);

    /* accreditation hook */
    if (opt->accredited && r->issuer_id) {
        long long at = now;
        const char *from = json_string_value(json_object_get(vc, "validFrom"));
        if (!from || cred_parse_time(from, &at)) {
            const json_t *p = json_object_get(vc, "proof");
            if (json_is_array(p))
                p = json_array_get(p, 0);
            if (cred_parse_time(json_string_value(json_object_get(p, "created")), &at))
                at = now;
        }
        const char *msg = NULL;
        int ok = opt->accredited(opt->accredited_user, r->issuer_id, at, &msg);
        if (ok == -2)
            r->oom = 1;
        else if (ok == 1)
            set_check(r, &r->accreditation, CHECK_PASSED, msg ? msg : "issuer was accredited at issuance");
        else
            set_check(r, &r->accreditation, CHECK_FAILED,
                      msg ? msg : ok == 0 ? "issuer was not accredited at issuance"
                                          : "issuer accreditation could not be determined");
    } else {
        set_check(r, &r->accreditation, CHECK_SKIPPED, "accreditation not checked");
    }

    if (r->oom)
        return TB_INTERNAL(err, "out of memory");
    r->verified = r->nerrors == 0 && r->signature.state == CHECK_PASSED;
    return 0;
}

static json_t *check_json(const struct verify_check *c)
{
    static const char *names[] = {"skipped", "passed", "failed"};
    return json_pack("{s:s, s:s}", "result", names[c->state], "message",
                     c->message ? c->message : "");
}

json_t *verify_report_json(const struct verify_report *r)
{
    json_t *errs = json_array();
    for (size_t i = 0; i < r->nerrors; i++)
        json_array_append_new(errs, json_string(r->errors[i]));
    return json_pack("{s:b, s:o, s:{s:o, s:o, s:o, s:o, s:o}}", "verified", r->verified,
                     "errors", errs, "checks",
                     "signature", check_json(&r->signature), "issuer", check_json(&r->issuer),
                     "status", check_json(&r->status), "validity", check_json(&r->validity),
                     "accreditation", check_json(&r->accreditation));
}
