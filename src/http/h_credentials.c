/*
 * h_credentials.c - the qualification: achievements an operator awards,
 * Open Badges 3.0 credentials issued and signed with the operator's key,
 * revocation and suspension through Bitstring Status Lists, the
 * foundation's trust registry, and public verification for anyone.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/cred/dataint.h"
#include "core/cred/keys.h"
#include "core/cred/statuslist.h"
#include "core/cred/verify.h"
#include "core/certificate.h"
#include "core/issuing.h"
#include "http/entity_http.h"
#include "core/fields.h"
#include "http/handlers.h"
#include "service/issuing_service.h"
#include "store/store_notify.h"

static const struct field_spec alignment_fields[] = {
    {.name = "name", .type = FT_STRING, .required = 1, .min = 1, .max = 200},
    {.name = "url", .type = FT_URL, .required = 1, .max = 500},
    {0},
};
static const struct field_spec alignment_item = {.type = FT_OBJECT, .items = alignment_fields};

#include "http/fields_achievement.inc"   /* from records/achievement.json */
const struct field_spec accreditation_create_fields[] = {
    {.name = "org_id", .type = FT_INT, .required = 1, .min = 1, .max = ID_MAX},
    {.name = "valid_from", .type = FT_DATE, .required = 1},
    {.name = "valid_until", .type = FT_DATE},
    {.name = "note", .type = FT_TEXT, .max = 2000},
    {0},
};
const struct field_spec credential_issue_fields[] = {
    {.name = "graduate_id", .type = FT_INT, .required = 1, .min = 1, .max = ID_MAX},
    {.name = "achievement_id", .type = FT_INT, .required = 1, .min = 1, .max = ID_MAX},
    {.name = "placement_id", .type = FT_INT, .required = 1, .min = 1, .max = ID_MAX},
    /* Issuing before the learning plan is complete: why (training, issue 12). */
    {.name = "override_reason", .type = FT_TEXT, .min = 10, .max = 2000},
    {0},
};
const struct field_spec credential_status_fields[] = {
    {.name = "reason", .type = FT_STRING, .max = 500},
    {0},
};

static int image_ok(const json_t *body, struct tb_err *err)
{
    const char *img = json_string_value(json_object_get(body, "image"));
    if (img && strncmp(img, "data:image/png;base64,", 22) && strncmp(img, "data:image/svg+xml;base64,", 26))
        return TB_INVALID(err, "image", "image: a PNG or SVG as a data: URI (data:image/png;base64,...)");
    return 0;
}

int h_achievement_list(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_list(r, res, ENT_ACHIEVEMENT, NULL, err);
}

int h_achievement_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *a;
    return entity_load(r, ENT_ACHIEVEMENT, &a, err) < 0 ? -1 : entity_reply(r, res, 200, a);
}

int h_achievement_create(struct request *r, struct response *res, struct tb_err *err)
{
    if (image_ok(r->body, err) < 0)
        return -1;
    int rc = entity_create(r, res, ENT_ACHIEVEMENT, r->body, "achievements", NULL, err);
    if (rc < 0 && err->status == 409)
        tb_error(err, TB_E_CONFLICT, "name", "name: this operator already has an achievement with that name");
    return rc;
}

int h_achievement_update(struct request *r, struct response *res, struct tb_err *err)
{
    if (image_ok(r->body, err) < 0)
        return -1;
    return entity_update(r, res, ENT_ACHIEVEMENT, r->body, NULL, err);
}

int h_achievement_delete(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_delete(r, res, ENT_ACHIEVEMENT, err);
}

int h_accreditation_list(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_list(r, res, ENT_ACCREDITATION, NULL, err);
}

int h_accreditation_create(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *from = json_object_get(r->body, "valid_from"), *until = json_object_get(r->body, "valid_until");
    if (json_is_string(until) && strcmp(json_string_value(from), json_string_value(until)) > 0)
        return TB_INVALID(err, "valid_until", "valid_until: must not be before valid_from");
    return entity_create(r, res, ENT_ACCREDITATION, r->body, "accreditations", NULL, err);
}

int h_accreditation_delete(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_delete(r, res, ENT_ACCREDITATION, err);
}

/* ---- keys ---- */

static struct issuing_ctx ctx_of(struct request *r)
{
    struct issuing_ctx c = {r->store, &r->actor, r->cfg->public_url, r->cfg->key_encryption_key, r->arena};
    return c;
}

int h_issuer_keys_get(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t org;
    json_t *keys;
    if (req_operator(r, &org, err) < 0 || store_issuer_keys_public(r->store, org, &keys, err) < 0)
        return -1;
    char *did = issuer_did(r->arena, r->cfg->public_url, org);
    return respond_json(res, 200, json_pack("{s:I, s:s, s:s, s:o}", "org_id", (json_int_t)org, "did", did,
                                            "did_document_url",
                                            arena_printf(r->arena, "%s/issuers/%lld/did.json", r->cfg->public_url, (long long)org),
                                            "keys", keys));
}

int h_issuer_keys_rotate(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t org;
    struct issuing_ctx c = ctx_of(r);
    if (req_operator(r, &org, err) < 0 || issuing_rotate_key(&c, org, err) < 0)
        return -1;
    return h_issuer_keys_get(r, res, err);
}

/* ---- status lists ---- */

static const char *const purposes[] = {"revocation", "suspension"};

int h_status_list_public(struct request *r, struct response *res, struct tb_err *err)
{
    const char *purpose = strrchr(r->path, '/') + 1;
    if (strcmp(purpose, "revocation") && strcmp(purpose, "suspension"))
        return TB_NOT_FOUND(err, "no status list '%s' (revocation or suspension)", purpose);
    json_t *vc;
    if (store_status_list_public(r->store, r->ids[0], purpose, &vc, err) < 0)
        return -1;
    res->cache_control = "public, max-age=60";
    return respond_json(res, 200, vc);
}

int h_did_document(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *keys;
    if (store_issuer_keys_public(r->store, r->ids[0], &keys, err) < 0)
        return -1;
    if (json_array_size(keys) == 0) {
        json_decref(keys);
        return TB_NOT_FOUND(err, "no issuer %lld here", (long long)r->ids[0]);
    }
    char *did = issuer_did(r->arena, r->cfg->public_url, r->ids[0]);
    json_t *doc = issuer_did_document(did, keys);
    json_decref(keys);
    res->cache_control = "public, max-age=300";
    return respond_json(res, 200, doc);
}

/* ---- credentials ---- */

int h_credential_list(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_list(r, res, ENT_CREDENTIAL, NULL, err);
}

int h_credential_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *c;
    if (entity_load(r, ENT_CREDENTIAL, &c, err) < 0)
        return -1;
    const char *uuid = json_string_value(json_object_get(c, "credential_id"));
    const char *url = arena_printf(r->arena, "%s/verify?id=%s", r->cfg->public_url, uuid + strlen("urn:uuid:"));
    if (!url || json_object_set_new(c, "verify_url", json_string(url))) {
        json_decref(c);
        return TB_INTERNAL(err, "out of memory");
    }
    return entity_reply(r, res, 200, c);
}

int h_credential_issue(struct request *r, struct response *res, struct tb_err *err)
{
    struct issuing_ctx c = ctx_of(r);
    int64_t id;
    json_t *record;
    if (issuing_issue_ex(&c, json_integer_value(json_object_get(r->body, "graduate_id")),
                         json_integer_value(json_object_get(r->body, "achievement_id")),
                         json_integer_value(json_object_get(r->body, "placement_id")), NULL,
                         json_string_value(json_object_get(r->body, "override_reason")), &id, err) < 0 ||
        store_entity_get(r->store, &r->actor, ENT_CREDENTIAL, id, &record, err) < 0)
        return -1;
    res->location = arena_printf(r->arena, "/api/v1/credentials/%lld", (long long)id);
    return entity_reply(r, res, 201, record);
}

static int change_status(struct request *r, struct response *res, const char *to, struct tb_err *err)
{
    struct issuing_ctx c = ctx_of(r);
    json_t *out;
    if (issuing_change_status(&c, r->ids[0], to, json_string_value(json_object_get(r->body, "reason")), err) < 0 ||
        entity_load(r, ENT_CREDENTIAL, &out, err) < 0)
        return -1;
    return entity_reply(r, res, 200, out);
}

int h_credential_revoke(struct request *r, struct response *res, struct tb_err *err)
{
    return change_status(r, res, "revoked", err);
}

int h_credential_suspend(struct request *r, struct response *res, struct tb_err *err)
{
    return change_status(r, res, "suspended", err);
}

int h_credential_reinstate(struct request *r, struct response *res, struct tb_err *err)
{
    return change_status(r, res, "active", err);
}

/* ---- public verification ---- */

struct accreditation_ctx {
    struct request *r;
};

static int accredited(void *user, const char *issuer, long long issued_at, const char **message)
{
    struct accreditation_ctx *ctx = user;
    int64_t org = issuer_did_org(issuer, ctx->r->cfg->public_url);
    if (!org) {
        *message = "the issuer is not in this trust registry";
        return -1;
    }
    char date[32];
    cred_format_time(issued_at, date, sizeof date);
    date[10] = '\0';
    int yes;
    struct tb_err err;
    if (store_accredited_on(ctx->r->store, org, date, &yes, &err) < 0)
        return -1;
    *message = yes ? arena_printf(ctx->r->arena, "the foundation accredited this issuer on %s, when it issued", date)
                   : arena_printf(ctx->r->arena, "the issuer was not accredited by the foundation on %s", date);
    return *message ? yes : -2;
}

/* Suspension is kept outside the credential (OB 3.0 allows one status
 * entry: revocation): the issuer's suspension list has the same index at the
 * list URL ending in /suspension. Only this issuer's own verification can
 * say "suspended"; other verifiers see revocation only. */
static void suspension_check(struct request *r, const json_t *vc, const json_t *lists, struct verify_report *rep)
{
    const json_t *cs = json_object_get(vc, "credentialStatus");
    const char *lid = json_string_value(json_object_get(cs, "statusListCredential"));
    const char *idx = json_string_value(json_object_get(cs, "statusListIndex"));
    size_t n = lid ? strlen(lid) : 0;
    if (!json_is_object(cs) || !idx || n < 11 || strcmp(lid + n - 11, "/revocation") ||
        rep->status.state == CHECK_FAILED || rep->signature.state != CHECK_PASSED)
        return;
    const char *sus_url = arena_printf(r->arena, "%.*s/suspension", (int)(n - 11), lid);
    size_t i;
    json_t *list;
    json_array_foreach(lists, i, list) {
        if (!sus_url || strcmp(json_string_value(json_object_get(list, "id")) ? json_string_value(json_object_get(list, "id")) : "", sus_url))
            continue;
        json_t *entry = status_list_entry(sus_url, (size_t)strtoull(idx, NULL, 10), "suspension");
        int set = 0;
        struct tb_err e = {0};
        if (entry && status_list_check(entry, list, r->arena, &set, &e) == 0 && set) {
            rep->suspended = 1;
            rep->verified = 0;
            rep->status.state = CHECK_FAILED;
            rep->status.message = "credential is suspended by its issuer";
            if (rep->nerrors < VERIFY_MAX_ERRORS)
                rep->errors[rep->nerrors++] = rep->status.message;
        }
        json_decref(entry);
    }
}

int h_public_verify(struct request *r, struct response *res, struct tb_err *err)
{
    const char *ct = req_header(r, "Content-Type");
    if (!ct || (strncasecmp(ct, "application/json", 16) && strncasecmp(ct, "application/vc", 14) &&
                strncasecmp(ct, "application/ld+json", 19)))
        return tb_error(err, TB_E_UNSUPPORTED_MEDIA_TYPE, "Content-Type", "Content-Type: send the credential as application/json");
    json_error_t je;
    json_t *vc = json_loadb(r->raw_body, r->raw_len, JSON_REJECT_DUPLICATES, &je);
    if (!vc)
        return TB_INVALID(err, "credential", "credential: not valid JSON (line %d: %s)", je.line, je.text);
    if (!json_is_object(vc)) {
        json_decref(vc);
        return TB_INVALID(err, "credential", "credential: expected a JSON object");
    }
    json_t *issuer = json_object_get(vc, "issuer");
    const char *issuer_id = json_is_string(issuer) ? json_string_value(issuer)
                                                   : json_string_value(json_object_get(issuer, "id"));
    int64_t org = issuer_did_org(issuer_id, r->cfg->public_url);
    json_t *did_docs = NULL, *lists = json_array(), *keys = NULL;
    if (org && store_issuer_keys_public(r->store, org, &keys, err) == 0 && json_array_size(keys)) {
        did_docs = issuer_did_document(issuer_did(r->arena, r->cfg->public_url, org), keys);
        if (!did_docs) {
            json_decref(vc);
            json_decref(lists);
            json_decref(keys);
            return TB_INTERNAL(err, "out of memory");
        }
        for (int i = 0; i < 2; i++) {
            json_t *list;
            struct tb_err e2;
            if (store_status_list_public(r->store, org, purposes[i], &list, &e2) == 0)
                json_array_append_new(lists, list);
        }
    }
    struct accreditation_ctx actx = {r};
    struct verify_options opt = {0};
    opt.did_documents = did_docs;
    opt.status_lists = lists;
    opt.accredited = accredited;
    opt.accredited_user = &actx;
    opt.clock_skew = 300;
    opt.limits = &verify_public_limits;   /* anyone may call this: bound the work */
    struct verify_report rep;
    int rc = credential_verify(vc, &opt, &rep, r->arena, err);
    if (rc == 0 && org)
        suspension_check(r, vc, lists, &rep);
    json_decref(vc);
    json_decref(did_docs);
    json_decref(lists);
    json_decref(keys);
    if (rc < 0)
        return -1;
    const char *summary = rep.verified
        ? "Verified: the signature is valid, the issuer is who it says, and the credential is neither revoked nor expired."
        : arena_printf(r->arena, "Not verified: %s.", rep.nerrors ? rep.errors[0] : "see the checks below");
    json_t *out = summary ? verify_report_json(&rep) : NULL;
    if (!out || json_object_set_new(out, "summary", json_string(summary))) {
        json_decref(out);
        return TB_INTERNAL(err, "out of memory");
    }
    return respond_json(res, 200, out);
}

/* The certificate prints the signed document, never today's records: a
 * renamed graduate or achievement does not change what was certified. */
int h_credential_certificate(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *c;
    if (entity_load(r, ENT_CREDENTIAL, &c, err) < 0)
        return -1;
    int rc = -1;
    struct certificate cert;
    if (certificate_from_credential(json_object_get(c, "document"), &cert, err) < 0)
        goto out;
    const char *uuid = cert.credential_id;
    if (!strncmp(uuid, "urn:uuid:", 9))
        uuid += 9;
    cert.verify_url = arena_printf(r->arena, "%s/verify?id=%s", r->cfg->public_url, uuid);
    /* In ?lang=en|sv, else in the language on the reader's account (issue 17). */
    const char *lang = req_query(r, "lang");
    cert.lang = lang && (!strcmp(lang, "en") || !strcmp(lang, "sv")) ? lang : store_locale_of(r->store, r->actor.user_id);
    unsigned char *pdf;
    size_t len;
    if (!cert.verify_url) {
        TB_INTERNAL(err, "out of memory");
        goto out;
    }
    if (certificate_pdf(&cert, &pdf, &len, err) < 0)
        goto out;
    void *copy = arena_alloc(r->arena, len);
    if (copy)
        memcpy(copy, pdf, len);
    free(pdf);
    if (!copy) {
        TB_INTERNAL(err, "out of memory");
        goto out;
    }
    res->status = 200;
    res->raw = copy;
    res->raw_len = len;
    res->content_type = "application/pdf";
    res->content_disposition = arena_printf(r->arena, "attachment; filename=\"certificate-%lld.pdf\"", (long long)r->ids[0]);
    res->cache_control = "private, no-store";
    rc = 0;
out:
    json_decref(c);
    return rc;
}

/* The document a holder shared, with its verification, for the public page. */
int h_public_credential(struct request *r, struct response *res, struct tb_err *err)
{
    const char *uuid = strrchr(r->path, '/') + 1;
    json_t *doc;
    if (strlen(uuid) != 36)
        return TB_NOT_FOUND(err, "no credential with this id");
    const char *urn = arena_printf(r->arena, "urn:uuid:%s", uuid);
    if (!urn)
        return TB_INTERNAL(err, "out of memory");
    if (store_credential_public(r->store, urn, &doc, err) < 0)
        return -1;
    res->cache_control = "no-store";
    return respond_json(res, 200, json_pack("{s:o}", "credential", doc));
}

/* The employer types the holder's e-mail: does the credential's salted hash
 * match it? Body {credential, email}; answers {result, message} in words. The
 * address is not stored or logged. Whether the credential itself is genuine
 * is /public/verify's answer: the page asks both. */
int h_public_verify_holder(struct request *r, struct response *res, struct tb_err *err)
{
    json_error_t je;
    json_t *body = json_loadb(r->raw_body, r->raw_len, JSON_REJECT_DUPLICATES, &je);
    json_t *cred = json_object_get(body, "credential");
    const char *email = json_string_value(json_object_get(body, "email"));
    if (!json_is_object(cred)) {
        json_decref(body);
        return TB_INVALID(err, "credential", "credential: expected the credential (a JSON object)");
    }
    if (!email || !*email || json_string_length(json_object_get(body, "email")) > 320) {
        json_decref(body);
        return TB_INVALID(err, "email", "email: type the holder's e-mail address");
    }
    int rc = ob3_holder_email_check(cred, email);
    json_decref(body);
    const char *result = rc == OB3_HOLDER_MATCH ? "match" : rc == OB3_HOLDER_NO_MATCH ? "no_match" : "not_recorded";
    const char *message =
        rc == OB3_HOLDER_MATCH
            ? "The e-mail address matches the one the credential was issued to."
            : rc == OB3_HOLDER_NO_MATCH
                  ? "The e-mail address does NOT match the one the credential was issued to. Check the spelling, "
                    "or ask the holder which address they used in the programme."
                  : "This credential does not record its holder's e-mail address, so it cannot be checked this way.";
    return entity_reply(r, res, 200, json_pack("{s:s, s:s}", "result", result, "message", message));
}
