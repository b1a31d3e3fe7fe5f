/*
 * issuing_service.c - see issuing_service.h.
 */
#include "service/issuing_service.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/cred/dataint.h"
#include "core/cred/keys.h"
#include "core/cred/statuslist.h"
#include "core/issuing.h"
#include "store/store_cluster.h"
#include "service/training_evidence.h"

static const char *const purposes[] = {"revocation", "suspension"};

char *issuing_list_url(const struct issuing_ctx *c, int64_t org, const char *purpose)
{
    return arena_printf(c->arena, "%s/status/%lld/%s", c->public_url, (long long)org, purpose);
}

/* The operator's signing key, created the first time it is needed. */
static int operator_key(const struct issuing_ctx *c, int64_t org, struct cred_keypair *key, int64_t *key_id,
                        struct tb_err *err)
{
    unsigned char kek[KEK_BYTES];
    if (kek_parse(c->kek, kek, err) < 0)
        return -1;
    struct issuer_key k;
    int found, rc = -1;
    if (store_issuer_key_current(c->st, c->actor, org, &k, &found, err) < 0)
        goto out;
    if (!found) {
        cred_keypair_generate(key);
        char *pub = multikey_encode_public(c->arena, key->pk);
        char sealed[256];
        if (!pub) {
            TB_INTERNAL(err, "out of memory");
            goto out;
        }
        if (issuer_seal(kek, key->seed, sealed, sizeof sealed) < 0 ||
            store_issuer_key_rotate(c->st, c->actor, org, pub, sealed, err) < 0 ||
            store_issuer_key_current(c->st, c->actor, org, &k, &found, err) < 0)
            goto out;
    }
    unsigned char seed[32];
    if (issuer_unseal(kek, k.sealed_secret, seed, err) < 0)
        goto out;
    cred_keypair_from_seed(key, seed);
    sodium_memzero(seed, sizeof seed);
    *key_id = k.id;
    rc = 0;
out:
    sodium_memzero(kek, sizeof kek);
    return rc;
}

int issuing_sign(const struct issuing_ctx *c, int64_t org, const json_t *doc, json_t **signed_doc,
                 struct tb_err *err)
{
    struct cred_keypair key;
    int64_t key_id;
    if (operator_key(c, org, &key, &key_id, err) < 0)
        return -1;
    char *did = issuer_did(c->arena, c->public_url, org);
    struct di_options opt = {0};
    opt.suite = DI_EDDSA_RDFC_2022;
    opt.verification_method = did ? issuer_key_vm(c->arena, did, key_id) : NULL;
    if (!opt.verification_method) {
        sodium_memzero(&key, sizeof key);
        return TB_INTERNAL(err, "out of memory");
    }
    int rc = di_sign(doc, &key, &opt, c->arena, signed_doc, NULL, err);
    sodium_memzero(&key, sizeof key);
    return rc;
}

int issuing_rotate_key(const struct issuing_ctx *c, int64_t org, struct tb_err *err)
{
    unsigned char kek[KEK_BYTES];
    if (kek_parse(c->kek, kek, err) < 0)
        return -1;
    struct cred_keypair key;
    cred_keypair_generate(&key);
    char sealed[256];
    int rc = issuer_seal(kek, key.seed, sealed, sizeof sealed);
    sodium_memzero(kek, sizeof kek);
    char *pub = multikey_encode_public(c->arena, key.pk);
    sodium_memzero(&key, sizeof key);
    if (rc < 0)
        return TB_INTERNAL(err, "could not seal the new key");
    if (!pub)
        return TB_INTERNAL(err, "out of memory");
    return store_issuer_key_rotate(c->st, c->actor, org, pub, sealed, err);
}

static void now_text(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Reads the list (or a new empty one), sets or clears one bit, re-signs the
 * list credential and stores both. index < 0 just publishes. */
static int update_status_list(const struct issuing_ctx *c, int64_t org, const char *purpose, int64_t index,
                              int value, struct tb_err *err)
{
    char *encoded = NULL;
    int found;
    struct status_list list;
    if (store_status_list_get(c->st, c->actor, org, purpose, &encoded, &found, err) < 0)
        return -1;
    int rc = found ? status_list_decode(encoded, c->arena, &list, err) : status_list_new(&list, 0, c->arena, err);
    free(encoded);
    if (rc < 0)
        return -1;
    if (index >= 0 && status_list_set(&list, (size_t)index, value, err) < 0)
        return -1;
    char *out;
    if (status_list_encode(&list, c->arena, &out, err) < 0)
        return -1;
    char now[32];
    now_text(now);
    char *did = issuer_did(c->arena, c->public_url, org);
    char *url = issuing_list_url(c, org, purpose);
    if (!did || !url)
        return TB_INTERNAL(err, "out of memory");
    json_t *vc = status_list_credential(url, did, purpose, &list, now, c->arena, err);
    if (!vc)
        return -1;
    json_t *signed_vc = NULL;
    rc = issuing_sign(c, org, vc, &signed_vc, err);
    json_decref(vc);
    if (rc == 0)
        rc = store_status_list_put(c->st, c->actor, org, purpose, out, signed_vc, err);
    json_decref(signed_vc);
    return rc;
}

int issuing_issue(const struct issuing_ctx *c, int64_t gid, int64_t aid, int64_t pid, const char *valid_from,
                  int64_t *id, struct tb_err *err)
{
    return issuing_issue_ex(c, gid, aid, pid, valid_from, NULL, id, err);
}

int issuing_issue_ex(const struct issuing_ctx *c, int64_t gid, int64_t aid, int64_t pid, const char *valid_from,
                     const char *override_reason, int64_t *id, struct tb_err *err)
{
    json_t *g = NULL, *ach = NULL, *pl = NULL, *org = NULL, *vc = NULL, *signed_vc = NULL, *fields = NULL;
    json_t *training = NULL;
    int rc = -1, owned = 0;
    if (store_entity_get(c->st, c->actor, ENT_GRADUATE, gid, &g, err) < 0) {
        TB_INVALID(err, "graduate_id", "graduate_id: no such graduate");
        goto out;
    }
    if (store_entity_get(c->st, c->actor, ENT_ACHIEVEMENT, aid, &ach, err) < 0) {
        TB_INVALID(err, "achievement_id", "achievement_id: no such achievement");
        goto out;
    }
    if (store_entity_get(c->st, c->actor, ENT_PLACEMENT, pid, &pl, err) < 0) {
        TB_INVALID(err, "placement_id", "placement_id: no such placement");
        goto out;
    }
    int64_t org_id = json_integer_value(json_object_get(g, "org_id"));
    if (json_integer_value(json_object_get(pl, "graduate_id")) != gid) {
        TB_INVALID(err, "placement_id", "placement_id: that placement is not this graduate's");
        goto out;
    }
    if (strcmp(json_string_value(json_object_get(pl, "status")), "completed")) {
        tb_error(err, TB_E_PLACEMENT_NOT_COMPLETE, "placement_id",
                "placement_id: the qualification is awarded once the placement is completed");
        goto out;
    }
    if (json_integer_value(json_object_get(ach, "org_id")) != org_id) {
        TB_INVALID(err, "achievement_id", "achievement_id: belongs to another operator");
        goto out;
    }
    if (!json_is_null(json_object_get(g, "erased_at"))) {
        tb_error(err, TB_E_ERASED, "graduate_id", "graduate_id: this graduate's personal data was erased");
        goto out;
    }
    /* The qualification carries the evidence: the learning plan complete,
     * unless the coordinator overrides with a written reason (kept with the
     * credential and in the audit). */
    if (training_evidence(c->st, c->actor, pid, &training, err) < 0)
        goto out;
    if (json_is_true(json_object_get(training, "has_plan")) && !json_is_true(json_object_get(training, "complete")) &&
        !override_reason) {
        char *missing = json_dumps(json_object_get(training, "missing"), JSON_COMPACT);
        int amended = json_is_true(json_object_get(training, "amendment_pending"));
        tb_error(err, TB_E_PLAN_INCOMPLETE, "override_reason",
                "override_reason: the learning plan is not complete (modules %s)%s; issue anyway only with a written reason",
                missing ? missing : "?", amended ? ", and an amendment to it waits for the parties' acceptance" : "");
        free(missing);
        goto out;
    }
    if (store_org_get(c->st, c->actor, org_id, &org, err) < 0)
        goto out;
    owned = 1;
    if (store_begin(c->st, err) < 0) {
        owned = 0;
        goto out;
    }
    /* The lock first: two servers issuing at once would take the same index. */
    int64_t index;
    if (store_status_list_lock(c->st, c->actor, org_id, err) < 0 ||
        store_credential_next_index(c->st, c->actor, org_id, &index, err) < 0)
        goto out;
    char uuid[46], now[32], salt[33];
    urn_uuid(uuid);
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(salt, sizeof salt, rnd, sizeof rnd);
    now_text(now);
    /* One status entry, as OB 3.0 allows: revocation. Suspension is kept
     * outside the credential, in the issuer's suspension list at the same
     * index, which the issuer's verification consults (h_credentials.c). */
    const char *rev_url = issuing_list_url(c, org_id, "revocation");
    json_t *status = rev_url ? status_list_entry(rev_url, (size_t)index, "revocation") : NULL;
    int oom = !status;
    char *framework = NULL;
    if (json_is_true(json_object_get(training, "has_plan")) &&
        !(framework = arena_printf(c->arena, "%s %s", json_string_value(json_object_get(training, "curriculum_ref")),
                                   json_string_value(json_object_get(training, "curriculum_title")))))
        oom = 1;
    struct ob3_input in = {
        .credential_id = uuid,
        .issuer_did = issuer_did(c->arena, c->public_url, org_id),
        .issuer_name = json_string_value(json_object_get(org, "name")),
        .issuer_url = c->public_url,
        .achievement_url = arena_printf(c->arena, "%s/achievements/%lld/%lld", c->public_url, (long long)org_id,
                                        (long long)aid),
        .achievement = ach,
        .email = json_string_value(json_object_get(g, "email")),
        .salt = salt,
        .holder_name = json_string_value(json_object_get(g, "name")),
        .evidence_name = arena_printf(c->arena, "Export project at %s",
                                      json_string_value(json_object_get(pl, "company_name"))),
        .evidence_description = json_string_value(json_object_get(pl, "objectives")),
        .valid_from = valid_from ? valid_from : now,
        .status = status,
        .competencies = json_object_get(training, "competencies"),
        .framework = framework,
        .evidence = json_object_get(training, "evidence"),
    };
    /* Out of memory anywhere above would issue a credential missing a part. */
    if (oom || !in.issuer_did || !in.achievement_url || !in.evidence_name) {
        json_decref(status);
        TB_INTERNAL(err, "out of memory");
        goto out;
    }
    if (!(vc = ob3_credential(&in))) {   /* took status */
        TB_INTERNAL(err, "out of memory");
        goto out;
    }
    if (issuing_sign(c, org_id, vc, &signed_vc, err) < 0)
        goto out;
    /* Both lists are published, at this server's current address, before
     * anyone can look the entry up (a list signed under an earlier public
     * URL is signed again). */
    for (int i = 0; i < 2; i++) {
        int found;
        char *enc = NULL;
        if (store_status_list_get(c->st, c->actor, org_id, purposes[i], &enc, &found, err) < 0)
            goto out;
        free(enc);
        int current = 0;
        json_t *published = NULL;
        struct tb_err ignored;
        if (found && store_status_list_public(c->st, org_id, purposes[i], &published, &ignored) == 0) {
            const char *lid = json_string_value(json_object_get(published, "id"));
            const char *url = issuing_list_url(c, org_id, purposes[i]);
            current = lid && url && !strcmp(lid, url);
            json_decref(published);
        }
        if (!current && update_status_list(c, org_id, purposes[i], -1, 0, err) < 0)
            goto out;
    }
    fields = json_pack("{s:I, s:I, s:I, s:s, s:I, s:O, s:s, s:s}", "achievement_id", (json_int_t)aid, "graduate_id",
                       (json_int_t)gid, "placement_id", (json_int_t)pid, "credential_id", uuid, "status_index",
                       (json_int_t)index, "document", signed_vc, "issued_at", in.valid_from, "status", "active");
    if (c->actor->all_tenants)
        json_object_set_new(fields, "org_id", json_integer(org_id));
    if (override_reason)
        json_object_set_new(fields, "override_reason", json_string(override_reason));
    if (store_entity_create(c->st, c->actor, ENT_CREDENTIAL, fields, id, err) < 0)
        goto out;
    rc = 0;
out:
    if (owned) {
        if (rc == 0)
            rc = store_commit(c->st, err);
        else
            store_rollback(c->st);
    }
    json_decref(g);
    json_decref(ach);
    json_decref(pl);
    json_decref(org);
    json_decref(vc);
    json_decref(signed_vc);
    json_decref(fields);
    json_decref(training);
    return rc;
}

struct status_unit {
    const struct issuing_ctx *c;
    int64_t cid, org, index;
    const char *from, *to, *reason;
};

/* The status lists' bits and the credential's status, one unit of work. */
static int status_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct status_unit *u = ctx;
    /* Another server may be changing a bit of the same lists (issue 18). */
    int rc = store_status_list_lock(st, u->c->actor, u->org, err);
    if (rc == 0 && !strcmp(u->to, "revoked"))
        rc = update_status_list(u->c, u->org, "revocation", u->index, 1, err);
    if (rc == 0 && (!strcmp(u->to, "suspended") || !strcmp(u->from, "suspended")))
        rc = update_status_list(u->c, u->org, "suspension", u->index, !strcmp(u->to, "suspended"), err);
    if (rc < 0)
        return -1;
    return store_credential_set_status(st, u->c->actor, u->cid, u->to, u->reason, err);
}

int issuing_change_status(const struct issuing_ctx *c, int64_t cid, const char *to, const char *reason,
                          struct tb_err *err)
{
    json_t *cred;
    if (store_entity_get(c->st, c->actor, ENT_CREDENTIAL, cid, &cred, err) < 0)
        return -1;
    char from[16];
    snprintf(from, sizeof from, "%s", json_string_value(json_object_get(cred, "status")));
    int64_t org = json_integer_value(json_object_get(cred, "org_id"));
    int64_t index = json_integer_value(json_object_get(cred, "status_index"));
    json_decref(cred);
    if (!strcmp(from, "revoked"))
        return tb_error(err, TB_E_INVALID_TRANSITION, "status", "status: a revoked credential stays revoked");
    if (!strcmp(from, to))
        return tb_error(err, TB_E_INVALID_TRANSITION, "status", "status: the credential is already %s", to);
    if (!strcmp(to, "active") && strcmp(from, "suspended"))
        return tb_error(err, TB_E_INVALID_TRANSITION, "status", "status: only a suspended credential can be reinstated");
    struct status_unit u = {.c = c, .cid = cid, .org = org, .index = index, .from = from, .to = to,
                            .reason = reason};
    return store_in_tx(c->st, status_work, &u, err);
}
