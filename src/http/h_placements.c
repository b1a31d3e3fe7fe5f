/*
 * h_placements.c - a graduate placed at a company in a cohort, and the
 * three-party agreement (objectives, learning plan, dates, pay) that the
 * trainee, the company and the operator each accept in the app; recorded
 * with who, when and from where, then the terms are locked.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/agreement.h"
#include "http/entity_http.h"
#include "http/fields.h"
#include "http/handlers.h"
#include "store/store_training.h"

#define PLACEMENT_FIELDS(req)                                                             \
    {.name = "graduate_id", .type = FT_INT, .required = req, .min = 1, .max = ID_MAX},     \
    {.name = "company_id", .type = FT_INT, .required = req, .min = 1, .max = ID_MAX},      \
    {.name = "cohort_id", .type = FT_INT, .min = 1, .max = ID_MAX},                             \
    {.name = "position_id", .type = FT_INT, .min = 1, .max = ID_MAX},                           \
    {.name = "mentor_user_id", .type = FT_INT, .min = 1, .max = ID_MAX},                        \
    {.name = "start_date", .type = FT_DATE, .required = req},                              \
    {.name = "end_date", .type = FT_DATE, .required = req},                                \
    {.name = "currency", .type = FT_CODE, .code_list = CODES_CURRENCY},                         \
    {.name = "stipend", .type = FT_INT, .min = 0, .max = MONEY_MAX},                            \
    {.name = "objectives", .type = FT_TEXT, .max = 10000},                                      \
    {.name = "learning_plan", .type = FT_TEXT, .max = 20000}

const struct field_spec placement_create_fields[] = {
    PLACEMENT_FIELDS(1),
    {.name = "org_id", .type = FT_INT, .min = 1, .max = ID_MAX},
    {0},
};
const struct field_spec placement_update_fields[] = {
    PLACEMENT_FIELDS(1),
    {.name = "version", .type = FT_INT, .min = 1, .max = ID_MAX},
    {0},
};
const struct field_spec placement_accept_fields[] = {
    {.name = "terms_hash", .type = FT_STRING, .required = 1, .min = 64, .max = 64},
    {0},
};
static const char *const end_statuses[] = {"completed", "terminated", NULL};
const struct field_spec placement_status_fields[] = {
    {.name = "status", .type = FT_ENUM, .required = 1, .allowed = end_statuses},
    {0},
};

static const char *const parties[] = {"trainee", "company", "operator", NULL};

static int terms_changed(const json_t *body)
{
    for (int i = 0; agreement_term_fields[i]; i++)
        if (json_object_get(body, agreement_term_fields[i]))
            return 1;
    return 0;
}

static int decorate_agreement(struct request *r, json_t *p, struct tb_err *err)
{
    char hash[65];
    json_t *terms = agreement_terms(p), *acceptances;
    agreement_terms_hash(p, hash);
    if (store_agreement_list(r->store, &r->actor, json_integer_value(json_object_get(p, "id")), &acceptances, err) < 0) {
        json_decref(terms);
        return -1;
    }
    json_t *pending = json_array();
    for (int i = 0; parties[i]; i++) {
        int done = 0;
        size_t k;
        json_t *a;
        json_array_foreach(acceptances, k, a)
            done |= !strcmp(json_string_value(json_object_get(a, "party")), parties[i]);
        if (!done)
            json_array_append_new(pending, json_string(parties[i]));
    }
    json_object_set_new(p, "agreement", json_pack("{s:o, s:s, s:o, s:o, s:b}", "terms", terms, "terms_hash",
                                                  hash, "acceptances", acceptances, "pending", pending,
                                                  "locked", json_is_string(json_object_get(p, "locked_at"))));
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
static int check_mentor(struct request *r, const json_t *body, struct tb_err *err)
{
    json_t *m = json_object_get(body, "mentor_user_id");
    if (!json_is_integer(m))
        return 0;
    json_t *user;
    if (store_user_get(r->store, &r->actor, json_integer_value(m), &user, err) < 0)
        return TB_INVALID(err, "mentor_user_id", "mentor_user_id: no such user in this operator");
    int mentor = 0;
    size_t i;
    json_t *role;
    json_array_foreach(json_object_get(user, "roles"), i, role)
        mentor |= !strcmp(json_string_value(json_object_get(role, "role")), "mentor");
    json_decref(user);
    return mentor ? 0 : TB_INVALID(err, "mentor_user_id", "mentor_user_id: this user is not a mentor; invite them with the mentor role first");
}

int h_placement_list(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_list(r, res, ENT_PLACEMENT, NULL, err);
}

int h_placement_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *p;
    if (entity_load(r, ENT_PLACEMENT, &p, err) < 0)
        return -1;
    if (decorate_agreement(r, p, err) < 0) {
        json_decref(p);
        return -1;
    }
    return entity_reply(r, res, 200, p);
}

int h_placement_create(struct request *r, struct response *res, struct tb_err *err)
{
    if (check_dates(r->body, NULL, err) < 0 || check_mentor(r, r->body, err) < 0)
        return -1;
    json_t *fields = json_deep_copy(r->body);
    json_object_set_new(fields, "status", json_string("draft"));
    int64_t id;
    json_t *p;
    int rc = store_entity_create(r->store, &r->actor, ENT_PLACEMENT, fields, &id, err);
    json_decref(fields);
    if (rc < 0 || store_entity_get(r->store, &r->actor, ENT_PLACEMENT, id, &p, err) < 0)
        return -1;
    if (decorate_agreement(r, p, err) < 0) {
        json_decref(p);
        return -1;
    }
    res->location = arena_printf(r->arena, "/api/v1/placements/%lld", (long long)id);
    return entity_reply(r, res, 201, p);
}

int h_placement_update(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *old, *out;
    int64_t version;
    if (req_version(r, &version, err) < 0 || entity_load(r, ENT_PLACEMENT, &old, err) < 0)
        return -1;
    int locked = json_is_string(json_object_get(old, "locked_at"));
    int rc = check_dates(r->body, old, err);
    json_decref(old);
    if (rc < 0 || check_mentor(r, r->body, err) < 0)
        return -1;
    if (locked)
        return tb_fail(err, 409, "locked", "", "the agreement is signed by all three parties; its terms are locked");
    json_t *changes = json_deep_copy(r->body);
    json_object_del(changes, "version");
    if (store_begin(r->store, err) < 0) {
        json_decref(changes);
        return -1;
    }
    /* New terms need new acceptances: earlier ones were for other text. */
    rc = terms_changed(r->body) ? store_agreement_clear(r->store, &r->actor, r->ids[0], err) : 0;
    if (rc == 0)
        rc = store_entity_update(r->store, &r->actor, ENT_PLACEMENT, r->ids[0], version, changes, &out, err);
    json_decref(changes);
    if (rc < 0 || store_commit(r->store, err) < 0) {
        if (rc == 0)
            json_decref(out);
        store_rollback(r->store);
        return -1;
    }
    if (decorate_agreement(r, out, err) < 0) {
        json_decref(out);
        return -1;
    }
    return entity_reply(r, res, 200, out);
}

int h_placement_delete(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_delete(r, res, ENT_PLACEMENT, err);
}

static const char *party_of(const struct request *r, const json_t *p)
{
    if (is_staff(r))
        return "operator";
    int64_t subject = r->actor.subject_id;
    if (actor_has(&r->actor, ROLE_BIT(ROLE_COMPANY)) && subject == json_integer_value(json_object_get(p, "company_id")))
        return "company";
    if (actor_has(&r->actor, ROLE_BIT(ROLE_TRAINEE)) && subject == json_integer_value(json_object_get(p, "graduate_id")))
        return "trainee";
    return NULL;
}

int h_placement_accept(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *p, *acceptances, *out;
    if (store_begin(r->store, err) < 0)
        return -1;
    if (entity_load(r, ENT_PLACEMENT, &p, err) < 0)
        goto fail;
    char hash[65];
    agreement_terms_hash(p, hash);
    const char *party = party_of(r, p);
    int64_t org_id = json_integer_value(json_object_get(p, "org_id"));
    int64_t version = json_integer_value(json_object_get(p, "version"));
    int locked = json_is_string(json_object_get(p, "locked_at"));
    json_decref(p);
    if (!party) {
        tb_fail(err, 403, "forbidden", "", "only the trainee, the company and the operator accept this agreement");
        goto fail;
    }
    if (locked) {
        tb_fail(err, 409, "locked", "", "the agreement is already signed by all three parties");
        goto fail;
    }
    if (strcmp(hash, json_string_value(json_object_get(r->body, "terms_hash")))) {
        tb_fail(err, 409, "terms_changed", "terms_hash",
                "terms_hash: the terms changed since you read them; reload and read them again");
        goto fail;
    }
    if (store_agreement_accept(r->store, &r->actor, org_id, r->ids[0], party, hash, err) < 0 ||
        store_agreement_list(r->store, &r->actor, r->ids[0], &acceptances, err) < 0)
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
        /* Recorded as the act of whoever gave the third acceptance. */
        int rc = store_entity_update(r->store, &r->actor, ENT_PLACEMENT, r->ids[0], version, changes, &out, err);
        json_decref(changes);
        if (rc < 0)
            goto fail;
        json_decref(out);
        /* Signed: the learning plan follows from the cohort's curriculum version (training). */
        int created;
        if (store_plan_create(r->store, &r->actor, r->ids[0], &created, err) < 0)
            goto fail;
    }
    if (store_commit(r->store, err) < 0)
        goto fail;
    if (entity_load(r, ENT_PLACEMENT, &p, err) < 0)
        return -1;
    if (decorate_agreement(r, p, err) < 0) {
        json_decref(p);
        return -1;
    }
    return entity_reply(r, res, 200, p);
fail:
    store_rollback(r->store);
    return -1;
}

int h_placement_status(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *p, *out;
    if (entity_load(r, ENT_PLACEMENT, &p, err) < 0)
        return -1;
    int signed_ = !strcmp(json_string_value(json_object_get(p, "status")), "signed");
    int64_t version = json_integer_value(json_object_get(p, "version"));
    json_decref(p);
    const char *to = json_string_value(json_object_get(r->body, "status"));
    if (!signed_)
        return tb_fail(err, 409, "invalid_transition", "status", "status: only a signed placement can become %s", to);
    json_t *changes = json_pack("{s:s}", "status", to);
    int rc = store_entity_update(r->store, &r->actor, ENT_PLACEMENT, r->ids[0], version, changes, &out, err);
    json_decref(changes);
    if (rc < 0)
        return -1;
    if (decorate_agreement(r, out, err) < 0) {
        json_decref(out);
        return -1;
    }
    return entity_reply(r, res, 200, out);
}
