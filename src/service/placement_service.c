/*
 * placement_service.c - a graduate placed at a company in a cohort, and the
 * three-party agreement (objectives, learning plan, dates, pay) that the
 * trainee, the company and the operator each accept; recorded with who, when
 * and from where, then the terms are locked. Used by src/http/h_placements.c.
 */
#include "service/placement_service.h"

#include <string.h>
#include <time.h>

#include "core/agreement.h"
#include "store/entity.h"
#include "store/store_integrity.h"
#include "store/store_training.h"

static const char *const parties[] = {"trainee", "company", "operator", NULL};

static int terms_changed(const json_t *body)
{
    for (int i = 0; agreement_term_fields[i]; i++)
        if (json_object_get(body, agreement_term_fields[i]))
            return 1;
    return 0;
}

int placement_service_decorate(struct store *st, const struct tb_actor *a, json_t *p, struct tb_err *err)
{
    char hash[65];
    json_t *terms = agreement_terms(p), *acceptances;
    agreement_terms_hash(p, hash);
    if (store_agreement_list(st, a, json_integer_value(json_object_get(p, "id")), &acceptances, err) < 0) {
        json_decref(terms);
        return -1;
    }
    json_t *pending = json_array();
    for (int i = 0; parties[i]; i++) {
        int done = 0;
        size_t k;
        json_t *acc;
        json_array_foreach(acceptances, k, acc)
            done |= !strcmp(json_string_value(json_object_get(acc, "party")), parties[i]);
        if (!done)
            json_array_append_new(pending, json_string(parties[i]));
    }
    json_object_set_new(p, "agreement", json_pack("{s:o, s:s, s:o, s:o, s:b}", "terms", terms, "terms_hash",
                                                  hash, "acceptances", acceptances, "pending", pending,
                                                  "locked", json_is_string(json_object_get(p, "locked_at"))));
    /* Whether the coordinator allows the trainee to apply elsewhere. */
    json_t *allowance;
    if (store_allowance_get(st, a, json_integer_value(json_object_get(p, "id")), &allowance, err) < 0)
        return -1;
    json_object_set_new(p, "applications_elsewhere", allowance);
    return 0;
}

static int check_dates(const json_t *body, const json_t *old, struct tb_err *err)
{
    json_t *s = json_object_get(body, "start_date"), *e = json_object_get(body, "end_date");
    if (!s && old)
        s = json_object_get(old, "start_date");
    if (!e && old)
        e = json_object_get(old, "end_date");
    if (json_is_string(s) && json_is_string(e) && strcmp(json_string_value(s), json_string_value(e)) >= 0)
        return TB_INVALID(err, "end_date", "end_date: must be after start_date");
    json_t *stipend = json_object_get(body, "stipend"), *cur = json_object_get(body, "currency");
    if (!cur && old)
        cur = json_object_get(old, "currency");
    if (stipend && !json_is_null(stipend) && (!cur || json_is_null(cur)))
        return TB_INVALID(err, "currency", "currency: required with stipend (minor units of it)");
    return 0;
}

/* The mentor must hold the mentor role in this operator. */
static int check_mentor(struct store *st, const struct tb_actor *a, const json_t *body, struct tb_err *err)
{
    json_t *m = json_object_get(body, "mentor_user_id");
    if (!json_is_integer(m))
        return 0;
    json_t *user;
    if (store_user_get(st, a, json_integer_value(m), &user, err) < 0)
        return TB_INVALID(err, "mentor_user_id", "mentor_user_id: no such user in this operator");
    int mentor = 0;
    size_t i;
    json_t *role;
    json_array_foreach(json_object_get(user, "roles"), i, role)
        mentor |= !strcmp(json_string_value(json_object_get(role, "role")), "mentor");
    json_decref(user);
    return mentor ? 0 : TB_INVALID(err, "mentor_user_id", "mentor_user_id: this user is not a mentor; invite them with the mentor role first");
}

/* The record with its agreement, or -1. */
static int load(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err)
{
    if (store_entity_get(st, a, ENT_PLACEMENT, id, out, err) < 0)
        return -1;
    if (placement_service_decorate(st, a, *out, err) < 0) {
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

int placement_service_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err)
{
    return load(st, a, id, out, err);
}

int placement_service_create(struct store *st, const struct tb_actor *a, const json_t *body, int64_t *id,
                             json_t **out, struct tb_err *err)
{
    if (check_dates(body, NULL, err) < 0 || check_mentor(st, a, body, err) < 0)
        return -1;
    json_t *fields = json_deep_copy(body);
    if (!fields)
        return TB_INTERNAL(err, "out of memory");
    json_object_set_new(fields, "status", json_string("draft"));
    int rc = store_entity_create(st, a, ENT_PLACEMENT, fields, id, err);
    json_decref(fields);
    return rc < 0 ? -1 : load(st, a, *id, out, err);
}

int placement_service_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                             const json_t *body, json_t **out, struct tb_err *err)
{
    json_t *old;
    if (store_entity_get(st, a, ENT_PLACEMENT, id, &old, err) < 0)
        return -1;
    int locked = json_is_string(json_object_get(old, "locked_at"));
    int rc = check_dates(body, old, err);
    json_decref(old);
    if (rc < 0 || check_mentor(st, a, body, err) < 0)
        return -1;
    if (locked)
        return tb_error(err, TB_E_LOCKED, "", "the agreement is signed by all three parties; its terms are locked");
    json_t *changes = json_deep_copy(body);
    if (!changes)
        return TB_INTERNAL(err, "out of memory");
    json_object_del(changes, "version");
    if (store_begin(st, err) < 0) {
        json_decref(changes);
        return -1;
    }
    /* New terms need new acceptances: earlier ones were for other text. */
    rc = terms_changed(body) ? store_agreement_clear(st, a, id, err) : 0;
    if (rc == 0)
        rc = store_entity_update(st, a, ENT_PLACEMENT, id, version, changes, out, err);
    json_decref(changes);
    if (rc < 0 || store_commit(st, err) < 0) {
        if (rc == 0)
            json_decref(*out);
        store_rollback(st);
        return -1;
    }
    if (placement_service_decorate(st, a, *out, err) < 0) {
        json_decref(*out);
        return -1;
    }
    return 0;
}

static const char *party_of(const struct tb_actor *a, const json_t *p)
{
    if (a->all_tenants || actor_has(a, ROLES_STAFF))
        return "operator";
    int64_t subject = a->subject_id;
    if (actor_has(a, ROLE_BIT(ROLE_COMPANY)) && subject == json_integer_value(json_object_get(p, "company_id")))
        return "company";
    if (actor_has(a, ROLE_BIT(ROLE_TRAINEE)) && subject == json_integer_value(json_object_get(p, "graduate_id")))
        return "trainee";
    return NULL;
}

int placement_service_accept(struct store *st, const struct tb_actor *a, int64_t id, const char *terms_hash,
                             json_t **out, struct tb_err *err)
{
    json_t *p, *acceptances;
    if (store_begin(st, err) < 0)
        return -1;
    if (store_entity_get(st, a, ENT_PLACEMENT, id, &p, err) < 0)
        goto fail;
    char hash[65];
    agreement_terms_hash(p, hash);
    const char *party = party_of(a, p);
    int64_t org_id = json_integer_value(json_object_get(p, "org_id"));
    int64_t version = json_integer_value(json_object_get(p, "version"));
    int locked = json_is_string(json_object_get(p, "locked_at"));
    json_decref(p);
    if (!party) {
        tb_error(err, TB_E_FORBIDDEN, "", "only the trainee, the company and the operator accept this agreement");
        goto fail;
    }
    if (locked) {
        tb_error(err, TB_E_LOCKED, "", "the agreement is already signed by all three parties");
        goto fail;
    }
    if (!terms_hash || strcmp(hash, terms_hash)) {
        tb_error(err, TB_E_TERMS_CHANGED, "terms_hash",
                "terms_hash: the terms changed since you read them; reload and read them again");
        goto fail;
    }
    if (store_agreement_accept(st, a, org_id, id, party, hash, err) < 0 ||
        store_agreement_list(st, a, id, &acceptances, err) < 0)
        goto fail;
    size_t n = json_array_size(acceptances);
    json_decref(acceptances);
    if (n == 3) {
        char now[32];
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
        json_t *changes = json_pack("{s:s, s:s, s:s}", "status", "signed", "locked_at", now, "agreement_hash", hash);
        json_t *signed_ = NULL;
        /* Recorded as the act of whoever gave the third acceptance. */
        int rc = changes ? store_entity_update(st, a, ENT_PLACEMENT, id, version, changes, &signed_, err)
                         : TB_INTERNAL(err, "out of memory");
        json_decref(changes);
        if (rc < 0)
            goto fail;
        json_decref(signed_);
        /* Signed: the learning plan follows from the cohort's curriculum version (training). */
        int created;
        if (store_plan_create(st, a, id, &created, err) < 0)
            goto fail;
    }
    if (store_commit(st, err) < 0)
        goto fail;
    return load(st, a, id, out, err);
fail:
    store_rollback(st);
    return -1;
}

/* Today as YYYY-MM-DD (UTC). */
static void today_iso(char out[11])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static int blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

int placement_service_end(struct store *st, const struct tb_actor *a, int64_t id, const char *to, const char *reason,
                          json_t **out, struct tb_err *err)
{
    json_t *p;
    if (store_entity_get(st, a, ENT_PLACEMENT, id, &p, err) < 0)
        return -1;
    int signed_ = !strcmp(json_string_value(json_object_get(p, "status")), "signed");
    int64_t version = json_integer_value(json_object_get(p, "version"));
    int64_t org_id = json_integer_value(json_object_get(p, "org_id"));
    const char *end_date = json_string_value(json_object_get(p, "end_date"));
    char end[11] = "", today[11];
    snprintf(end, sizeof end, "%s", end_date ? end_date : "");
    json_decref(p);
    if (!signed_)
        return tb_error(err, TB_E_INVALID_TRANSITION, "status", "status: only a signed placement can become %s", to);
    today_iso(today);
    int early = !strcmp(to, "completed") && *end && strcmp(today, end) < 0;
    if (early && blank(reason))
        return tb_error(err, TB_E_REASON_REQUIRED, "reason",
                        "reason: the placement ends on %s; completing it earlier needs a written reason", end);
    if (store_begin(st, err) < 0)
        return -1;
    json_t *changes = json_pack("{s:s}", "status", to);
    int rc = changes ? store_entity_update(st, a, ENT_PLACEMENT, id, version, changes, out, err)
                     : TB_INTERNAL(err, "out of memory");
    json_decref(changes);
    if (rc == 0 && !blank(reason)) {
        /* The reason stays in the audit log beside the status change. */
        json_t *d = json_pack("{s:{s:s}, s:{s:b}}", "status_reason", "new", reason, "before_end_date", "new", early);
        rc = d ? store_audit_add(st, a, org_id, "update", "placement", id, d, err) : TB_INTERNAL(err, "out of memory");
        json_decref(d);
        if (rc < 0)
            json_decref(*out);
    }
    if (rc < 0 || store_commit(st, err) < 0) {
        if (rc == 0)
            json_decref(*out);
        store_rollback(st);
        return -1;
    }
    if (placement_service_decorate(st, a, *out, err) < 0) {
        json_decref(*out);
        return -1;
    }
    return 0;
}

int placement_service_allow_applications(struct store *st, const struct tb_actor *a, int64_t id, int allowed,
                                         const char *reason, json_t **out, struct tb_err *err)
{
    json_t *p;
    if (store_entity_get(st, a, ENT_PLACEMENT, id, &p, err) < 0)
        return -1;
    int64_t org_id = json_integer_value(json_object_get(p, "org_id"));
    json_decref(p);
    if (allowed && blank(reason))
        return TB_INVALID(err, "reason", "reason: say why this trainee may apply elsewhere while placed");
    if (store_allowance_set(st, a, org_id, id, allowed ? reason : NULL, err) < 0)
        return -1;
    return load(st, a, id, out, err);
}

int placement_service_learning_plan(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                                    struct tb_err *err)
{
    json_t *p;
    if (store_entity_get(st, a, ENT_PLACEMENT, id, &p, err) < 0)
        return -1;
    const char *status = json_string_value(json_object_get(p, "status"));
    int ok = status && (!strcmp(status, "signed") || !strcmp(status, "completed"));
    json_decref(p);
    if (!ok)
        return tb_error(err, TB_E_INVALID_TRANSITION, "", "the plan is made when the agreement is signed");
    int created;
    if (store_plan_create(st, a, id, &created, err) < 0 || store_plan_get(st, a, id, out, err) < 0)
        return -1;
    if (created)
        return 0;
    int exists = !json_is_null(json_object_get(*out, "plan"));
    json_decref(*out);
    *out = NULL;
    return exists ? tb_error(err, TB_E_CONFLICT, "", "this placement already has its learning plan")
                  : tb_error(err, TB_E_NO_CURRICULUM, "cohort_id",
                             "cohort_id: the placement's cohort names no curriculum version (CODE@N)");
}
