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

static int terms_changed(const json_t *body)
{
    for (int i = 0; agreement_term_fields[i]; i++)
        if (json_object_get(body, agreement_term_fields[i]))
            return 1;
    return 0;
}

/* The plan's part of the agreement: *plan as store_plan_get answers it, *terms
 * (agreement_plan_terms) and their hash; *terms NULL when there is no plan yet. */
static int plan_part(struct store *st, const struct tb_actor *a, int64_t id, json_t **plan, json_t **terms,
                     char hash[65], struct tb_err *err)
{
    *terms = *plan = NULL;
    hash[0] = '\0';
    if (store_plan_get(st, a, id, plan, err) < 0)
        return -1;
    if (json_is_null(json_object_get(*plan, "plan")))
        return 0;
    *terms = agreement_plan_terms(json_object_get(*plan, "modules"));
    if (!*terms || agreement_hash_of(*terms, hash) < 0) {
        json_decref(*terms);
        json_decref(*plan);
        *terms = *plan = NULL;
        return TB_INTERNAL(err, "out of memory");
    }
    return 0;
}

/* The terms the three parties accept and their hash: the placement's terms and,
 * until it is signed, the learning plan's modules (so a change to either needs
 * new acceptances). Once signed: the hash as signed, the plan as last accepted.
 * *plan and *pterms as plan_part gives them. */
static int agreement_now(struct store *st, const struct tb_actor *a, const json_t *p, json_t **terms, char hash[65],
                         json_t **plan, json_t **pterms, char phash[65], struct tb_err *err)
{
    int64_t id = json_integer_value(json_object_get(p, "id"));
    if (plan_part(st, a, id, plan, pterms, phash, err) < 0)
        return -1;
    *terms = agreement_terms(p);
    int locked = json_is_string(json_object_get(p, "locked_at"));
    json_t *accepted = json_object_get(json_object_get(*plan, "plan"), "accepted_terms");
    if (*pterms && !locked)
        json_object_set(*terms, "learning_plan_modules", *pterms);
    else if (json_is_array(accepted))
        json_object_set(*terms, "learning_plan_modules", accepted);
    const char *signed_hash = json_string_value(json_object_get(p, "agreement_hash"));
    if (locked && signed_hash)
        snprintf(hash, 65, "%s", signed_hash);
    else if (agreement_hash_of(*terms, hash) < 0) {
        json_decref(*terms);
        json_decref(*plan);
        json_decref(*pterms);
        *terms = *plan = *pterms = NULL;
        return TB_INTERNAL(err, "out of memory");
    }
    return 0;
}

int placement_service_terms_hash(struct store *st, const struct tb_actor *a, const json_t *placement, char hash[65],
                                 struct tb_err *err)
{
    json_t *terms, *plan, *pterms;
    char phash[65];
    if (agreement_now(st, a, placement, &terms, hash, &plan, &pterms, phash, err) < 0)
        return -1;
    json_decref(terms);
    json_decref(plan);
    json_decref(pterms);
    return 0;
}

static const char *const parties[] = {"trainee", "company", "operator", NULL};

/* The parties without a row in acceptances (with plan_hash equal to `hash` when given). */
static json_t *pending_of(const json_t *acceptances, const char *hash)
{
    json_t *pending = json_array();
    for (int i = 0; parties[i]; i++) {
        int done = 0;
        size_t k;
        json_t *acc;
        json_array_foreach(acceptances, k, acc)
            done |= !strcmp(json_string_value(json_object_get(acc, "party")), parties[i]) &&
                    (!hash || !strcmp(json_string_value(json_object_get(acc, "plan_hash")), hash));
        if (!done)
            json_array_append_new(pending, json_string(parties[i]));
    }
    return pending;
}

/* After signing: the plan as it is, as accepted, and an amendment waiting for
 * the parties' acceptance when the two differ. */
static json_t *plan_view(struct store *st, const struct tb_actor *a, const json_t *p, json_t *plan, json_t *pterms,
                         const char *phash, struct tb_err *err)
{
    if (!pterms)
        return json_null();
    json_t *row = json_object_get(plan, "plan");
    const char *accepted = json_string_value(json_object_get(row, "accepted_hash"));
    json_t *amendment = json_null(), *acc;
    if (json_is_string(json_object_get(p, "locked_at")) && accepted && strcmp(accepted, phash)) {
        if (store_plan_acceptance_list(st, a, json_integer_value(json_object_get(p, "id")), &acc, err) < 0)
            return NULL;
        amendment = json_pack("{s:o, s:o, s:o}", "changes",
                              agreement_plan_diff(json_object_get(row, "accepted_terms"), pterms), "acceptances", acc,
                              "pending", pending_of(acc, phash));
    }
    return json_pack("{s:O, s:s, s:s?, s:o}", "modules", pterms, "plan_hash", phash, "accepted_hash", accepted,
                     "amendment", amendment);
}

int placement_service_decorate(struct store *st, const struct tb_actor *a, json_t *p, struct tb_err *err)
{
    char hash[65], phash[65];
    json_t *terms, *acceptances = NULL, *plan, *pterms;
    if (agreement_now(st, a, p, &terms, hash, &plan, &pterms, phash, err) < 0)
        return -1;
    json_t *pv = NULL;
    if (store_agreement_list(st, a, json_integer_value(json_object_get(p, "id")), &acceptances, err) < 0 ||
        !(pv = plan_view(st, a, p, plan, pterms, phash, err))) {
        json_decref(acceptances);
        json_decref(terms);
        json_decref(plan);
        json_decref(pterms);
        return -1;
    }
    json_decref(plan);
    json_decref(pterms);
    json_object_set_new(p, "agreement", json_pack("{s:o, s:s, s:o, s:o, s:b, s:o}", "terms", terms, "terms_hash",
                                                  hash, "acceptances", acceptances, "pending",
                                                  pending_of(acceptances, NULL), "locked",
                                                  json_is_string(json_object_get(p, "locked_at")), "plan", pv));
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

struct create_unit {
    const struct tb_actor *a;
    const json_t *fields;
    int64_t id;
};

/* The placement and, drafted at once from the cohort's curriculum version,
 * its learning plan, so the parties read and accept it as part of the
 * agreement: one unit of work. */
static int create_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct create_unit *u = ctx;
    int created;
    if (store_entity_create(st, u->a, ENT_PLACEMENT, u->fields, &u->id, err) < 0)
        return -1;
    return store_plan_create(st, u->a, u->id, &created, err);
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
    struct create_unit u = {.a = a, .fields = fields};
    int rc = store_in_tx(st, create_work, &u, err);
    json_decref(fields);
    if (rc < 0)
        return -1;
    *id = u.id;
    return load(st, a, *id, out, err);
}

/* The body moves the placement to another cohort and changes nothing else. */
static int cohort_only(const json_t *body)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v)
        if (strcmp(k, "cohort_id") && strcmp(k, "version"))
            return 0;
    return json_is_integer(json_object_get(body, "cohort_id"));
}

static int accepted_baseline(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err);
static int amended(struct store *st, const struct tb_actor *a, const json_t *p, struct tb_err *err);
static int let_go(int rc, json_t *const *held, size_t n);

/* A signed placement moved to another cohort by the operator: the rest of
 * the signed terms stay locked; the learning plan follows the new cohort's
 * curriculum version (store_plan_rebase: work kept where the modules are the
 * same), which is a plan amendment the parties accept again
 * (POST /placements/{id}/plan-acceptance), the operator by making it. */
struct cohort_unit {
    const struct tb_actor *a;
    int64_t id, version;
    const json_t *body;
    json_t *out;
};

static int cohort_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct cohort_unit *u = ctx;
    const struct tb_actor *a = u->a;
    int64_t id = u->id, version = u->version;
    json_t **out = &u->out;
    json_decref(u->out);   /* a run again starts afresh */
    u->out = NULL;
    json_t *p = NULL, *changes = json_pack("{s:O}", "cohort_id", json_object_get(u->body, "cohort_id"));
    int rc = -1, changed, created;
    if (!changes)
        return TB_INTERNAL(err, "out of memory");
    if (accepted_baseline(st, a, id, err) < 0 ||
        store_entity_update(st, a, ENT_PLACEMENT, id, version, changes, out, err) < 0 ||
        store_plan_rebase(st, a, id, &changed, err) < 0 || store_plan_create(st, a, id, &created, err) < 0)
        goto fail;
    if (created) {   /* a plan made after signing: all of it is the amendment */
        json_t *empty = json_array();
        char ehash[65];
        int done = empty && agreement_hash_of(empty, ehash) == 0 ? store_plan_accepted_set(st, a, id, empty, ehash, err)
                                                                 : TB_INTERNAL(err, "out of memory");
        json_decref(empty);
        if (done < 0)
            goto fail;
    }
    if (store_entity_get(st, a, ENT_PLACEMENT, id, &p, err) < 0 || amended(st, a, p, err) < 0)
        goto fail;
    rc = 0;
fail:
    return let_go(rc, (json_t *[]){p, changes}, 2);
}

static int cohort_move(struct store *st, const struct tb_actor *a, int64_t id, int64_t version, const json_t *body,
                       json_t **out, struct tb_err *err)
{
    struct cohort_unit u = {.a = a, .id = id, .version = version, .body = body};
    *out = NULL;
    if (store_in_tx(st, cohort_work, &u, err) < 0 || placement_service_decorate(st, a, u.out, err) < 0) {
        json_decref(u.out);
        return -1;
    }
    *out = u.out;
    return 0;
}

struct update_unit {
    const struct tb_actor *a;
    int64_t id, version;
    const json_t *body, *changes;
    json_t *out;
};

static int update_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct update_unit *u = ctx;
    const struct tb_actor *a = u->a;
    int64_t id = u->id;
    json_decref(u->out);   /* a run again starts afresh */
    u->out = NULL;
    /* New terms need new acceptances: earlier ones were for other text. */
    if ((terms_changed(u->body) && store_agreement_clear(st, a, id, err) < 0) ||
        store_entity_update(st, a, ENT_PLACEMENT, id, u->version, u->changes, &u->out, err) < 0)
        return -1;
    /* A cohort with a curriculum: the plan is drafted (or follows another
     * cohort's) and joins the terms. */
    int created = 0, rebased = 0;
    if (json_object_get(u->body, "cohort_id") && store_plan_rebase(st, a, id, &rebased, err) < 0)
        return -1;
    if (store_plan_create(st, a, id, &created, err) < 0)
        return -1;
    return created ? store_agreement_clear(st, a, id, err) : 0;
}

int placement_service_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                             const json_t *body, json_t **out, struct tb_err *err)
{
    json_t *old;
    if (store_entity_get(st, a, ENT_PLACEMENT, id, &old, err) < 0)
        return -1;
    int locked = json_is_string(json_object_get(old, "locked_at"));
    int signed_ = !strcmp(json_string_value(json_object_get(old, "status")), "signed");
    int rc = check_dates(body, old, err);
    json_decref(old);
    if (rc < 0 || check_mentor(st, a, body, err) < 0)
        return -1;
    if (locked && signed_ && cohort_only(body) && (a->all_tenants || actor_has(a, ROLES_STAFF)))
        return cohort_move(st, a, id, version, body, out, err);
    if (locked)
        return tb_error(err, TB_E_LOCKED, "", "the agreement is signed by all three parties; its terms are locked "
                        "(the operator may still move the placement to another cohort)");
    json_t *changes = json_deep_copy(body);
    if (!changes)
        return TB_INTERNAL(err, "out of memory");
    json_object_del(changes, "version");
    struct update_unit u = {.a = a, .id = id, .version = version, .body = body, .changes = changes};
    rc = store_in_tx(st, update_work, &u, err);
    json_decref(changes);
    if (rc < 0 || placement_service_decorate(st, a, u.out, err) < 0) {
        json_decref(u.out);
        return -1;
    }
    *out = u.out;
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

struct accept_unit {
    const struct tb_actor *a;
    int64_t id;
    const char *terms_hash;
};

/* One party's acceptance; the third signs and locks the agreement and fixes
 * the learning plan as signed: one unit of work. */
static int accept_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct accept_unit *u = ctx;
    const struct tb_actor *a = u->a;
    int64_t id = u->id;
    const char *terms_hash = u->terms_hash;
    json_t *p, *acceptances, *terms, *plan, *pterms;
    if (store_entity_get(st, a, ENT_PLACEMENT, id, &p, err) < 0)
        return -1;
    char hash[65], phash[65];
    if (agreement_now(st, a, p, &terms, hash, &plan, &pterms, phash, err) < 0) {
        json_decref(p);
        return -1;
    }
    json_decref(terms);
    json_decref(plan);
    json_decref(pterms);
    const char *party = party_of(a, p);
    int64_t org_id = json_integer_value(json_object_get(p, "org_id"));
    int64_t version = json_integer_value(json_object_get(p, "version"));
    int locked = json_is_string(json_object_get(p, "locked_at"));
    json_decref(p);
    if (!party) {
        tb_error(err, TB_E_FORBIDDEN, "", "only the trainee, the company and the operator accept this agreement");
        return -1;
    }
    if (locked) {
        tb_error(err, TB_E_LOCKED, "", "the agreement is already signed by all three parties");
        return -1;
    }
    if (!terms_hash || strcmp(hash, terms_hash)) {
        tb_error(err, TB_E_TERMS_CHANGED, "terms_hash",
                "terms_hash: the terms changed since you read them; reload and read them again");
        return -1;
    }
    if (store_agreement_accept(st, a, org_id, id, party, hash, err) < 0 ||
        store_agreement_list(st, a, id, &acceptances, err) < 0)
        return -1;
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
            return -1;
        json_decref(signed_);
        /* Signed: the learning plan follows from the cohort's curriculum version (training). */
        int created;
        if (store_plan_create(st, a, id, &created, err) < 0 ||
            plan_part(st, a, id, &plan, &pterms, phash, err) < 0)
            return -1;
        /* The plan as signed: later changes are amendments the parties accept. */
        rc = pterms ? store_plan_accepted_set(st, a, id, pterms, phash, err) : 0;
        json_decref(plan);
        json_decref(pterms);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int placement_service_accept(struct store *st, const struct tb_actor *a, int64_t id, const char *terms_hash,
                             json_t **out, struct tb_err *err)
{
    struct accept_unit u = {.a = a, .id = id, .terms_hash = terms_hash};
    if (store_in_tx(st, accept_work, &u, err) < 0)
        return -1;
    return load(st, a, id, out, err);
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

struct end_unit {
    const struct tb_actor *a;
    int64_t id, version, org_id;
    const char *to, *reason;
    int early;
    json_t *out;
};

/* The new status and, when given, its reason in the audit log beside it. */
static int end_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct end_unit *u = ctx;
    json_decref(u->out);   /* a run again starts afresh */
    u->out = NULL;
    int rc = store_entity_set_text(st, u->a, ENT_PLACEMENT, u->id, u->version, "status", u->to, &u->out, err);
    if (rc < 0 || blank(u->reason))
        return rc;
    json_t *d = json_pack("{s:{s:s}, s:{s:b}}", "status_reason", "new", u->reason, "before_end_date", "new", u->early);
    rc = d ? store_audit_add(st, u->a, u->org_id, "update", "placement", u->id, d, err) : TB_INTERNAL(err, "out of memory");
    json_decref(d);
    return rc;
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
    struct end_unit u = {.a = a, .id = id, .version = version, .org_id = org_id, .to = to, .reason = reason,
                         .early = early};
    if (store_in_tx(st, end_work, &u, err) < 0) {
        json_decref(u.out);
        return -1;
    }
    *out = u.out;
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

struct plan_unit {
    const struct tb_actor *a;
    int64_t id;
    int draft, created;
};

/* The plan; a draft's plan joins its agreement's terms: acceptances given
 * before were for other terms. */
static int plan_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct plan_unit *u = ctx;
    if (store_plan_create(st, u->a, u->id, &u->created, err) < 0)
        return -1;
    return u->created && u->draft ? store_agreement_clear(st, u->a, u->id, err) : 0;
}

int placement_service_learning_plan(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                                    struct tb_err *err)
{
    json_t *p;
    if (store_entity_get(st, a, ENT_PLACEMENT, id, &p, err) < 0)
        return -1;
    const char *status = json_string_value(json_object_get(p, "status"));
    int draft = status && !strcmp(status, "draft");
    int ok = status && (draft || !strcmp(status, "signed") || !strcmp(status, "completed"));
    json_decref(p);
    if (!ok)
        return tb_error(err, TB_E_INVALID_TRANSITION, "", "a plan is made for a placement in draft or signed");
    struct plan_unit u = {.a = a, .id = id, .draft = draft};
    if (store_in_tx(st, plan_work, &u, err) < 0)
        return -1;
    int created = u.created;
    if (store_plan_get(st, a, id, out, err) < 0)
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

/* Lets go of the n records a unit of work read on the way (any may be NULL);
 * returns rc. */
static int let_go(int rc, json_t *const *held, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_decref(held[i]);
    return rc;
}

/* A signed placement's plan as it stands is the accepted one when it was
 * signed before amendments were tracked. */
static int accepted_baseline(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err)
{
    json_t *plan, *pterms;
    char phash[65];
    if (plan_part(st, a, id, &plan, &pterms, phash, err) < 0)
        return -1;
    int rc = pterms && !json_is_string(json_object_get(json_object_get(plan, "plan"), "accepted_hash"))
                 ? store_plan_accepted_set(st, a, id, pterms, phash, err)
                 : 0;
    json_decref(plan);
    json_decref(pterms);
    return rc;
}

/* After a change to a signed placement's plan: the parties' earlier acceptances
 * of an amendment go; when the plan now differs from the accepted one, the
 * amendment is audited on the placement and the party who made it has
 * accepted it by making it. */
static int amended(struct store *st, const struct tb_actor *a, const json_t *p, struct tb_err *err)
{
    int64_t id = json_integer_value(json_object_get(p, "id")), org = json_integer_value(json_object_get(p, "org_id"));
    json_t *plan, *pterms;
    char phash[65];
    if (plan_part(st, a, id, &plan, &pterms, phash, err) < 0)
        return -1;
    json_t *row = json_object_get(plan, "plan");
    const char *accepted = json_string_value(json_object_get(row, "accepted_hash"));
    int rc = store_plan_acceptance_clear(st, a, id, err);
    if (rc == 0 && pterms && accepted && strcmp(accepted, phash)) {
        json_t *d = json_pack("{s:{s:s, s:s}, s:{s:o}}", "plan_hash", "old", accepted, "new", phash, "plan_amendment",
                              "new", agreement_plan_diff(json_object_get(row, "accepted_terms"), pterms));
        rc = store_audit_add(st, a, org, "update", "placement", id, d, err);
        json_decref(d);
        const char *party = party_of(a, p);
        if (rc == 0 && party)
            rc = store_plan_acceptance_add(st, a, org, id, party, phash, err);
    }
    json_decref(plan);
    json_decref(pterms);
    return rc;
}

/* A plan module changed by the company or the coordinator (dates, the adapted
 * deliverable, an elective chosen). Before signing the plan is part of the
 * terms: acceptances given go. After signing it is an amendment: logged with
 * what changed since the parties last accepted the plan, and accepted again by
 * each party (the one who made the change has accepted it by making it). */
struct module_unit {
    const struct tb_actor *a;
    int64_t id, module_id, version;
    const json_t *changes;
    json_t *out;
};

static int module_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct module_unit *u = ctx;
    const struct tb_actor *a = u->a;
    int64_t id = u->id;
    json_t *p = NULL;
    int rc = -1;
    json_decref(u->out);   /* a run again starts afresh */
    u->out = NULL;
    if (store_entity_get(st, a, ENT_PLACEMENT, id, &p, err) < 0)
        goto fail;
    int locked = json_is_string(json_object_get(p, "locked_at"));
    if (locked && accepted_baseline(st, a, id, err) < 0)
        goto fail;
    if (store_plan_module_update(st, a, u->module_id, u->version, u->changes, &u->out, err) < 0)
        goto fail;
    if (!locked ? store_agreement_clear(st, a, id, err) < 0 : amended(st, a, p, err) < 0)
        goto fail;
    rc = 0;
fail:
    return let_go(rc, (json_t *[]){p}, 1);
}

int placement_service_plan_module_update(struct store *st, const struct tb_actor *a, int64_t module_id,
                                         int64_t version, const json_t *changes, json_t **out, struct tb_err *err)
{
    json_t *m;
    if (store_plan_module_get(st, a, module_id, &m, err) < 0)
        return -1;
    struct module_unit u = {.a = a, .id = json_integer_value(json_object_get(m, "placement_id")),
                            .module_id = module_id, .version = version, .changes = changes};
    json_decref(m);
    *out = NULL;
    if (store_in_tx(st, module_work, &u, err) < 0) {
        json_decref(u.out);
        return -1;
    }
    *out = u.out;
    return 0;
}

/* A party accepts the amended plan of a signed agreement, by its hash; the
 * third acceptance makes it the accepted plan. */
struct plan_accept_unit {
    const struct tb_actor *a;
    int64_t id;
    const char *plan_hash;
};

static int plan_accept_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct plan_accept_unit *u = ctx;
    const struct tb_actor *a = u->a;
    int64_t id = u->id;
    const char *plan_hash = u->plan_hash;
    json_t *p = NULL, *plan = NULL, *pterms = NULL, *acc = NULL;
    char phash[65];
    int rc = -1;
    if (store_entity_get(st, a, ENT_PLACEMENT, id, &p, err) < 0 || plan_part(st, a, id, &plan, &pterms, phash, err) < 0)
        goto fail;
    const char *party = party_of(a, p);
    const char *accepted = json_string_value(json_object_get(json_object_get(plan, "plan"), "accepted_hash"));
    int64_t org = json_integer_value(json_object_get(p, "org_id"));
    if (!party) {
        tb_error(err, TB_E_FORBIDDEN, "", "only the trainee, the company and the operator accept this plan");
        goto fail;
    }
    if (!json_is_string(json_object_get(p, "locked_at"))) {
        tb_error(err, TB_E_INVALID_TRANSITION, "", "the agreement is not signed yet: the plan is accepted with it "
                 "(POST /api/v1/placements/%lld/accept)", (long long)id);
        goto fail;
    }
    if (!pterms || !accepted || !strcmp(accepted, phash)) {
        TB_CONFLICT(err, "no change to the learning plan waits for acceptance");
        goto fail;
    }
    if (!plan_hash || strcmp(plan_hash, phash)) {
        tb_error(err, TB_E_TERMS_CHANGED, "plan_hash", "plan_hash: the plan changed since you read it; reload and read it again");
        goto fail;
    }
    if (store_plan_acceptance_add(st, a, org, id, party, phash, err) < 0 ||
        store_plan_acceptance_list(st, a, id, &acc, err) < 0)
        goto fail;
    json_t *pending = pending_of(acc, phash);
    size_t left = json_array_size(pending);
    json_decref(pending);
    if (!left) {
        json_t *d = json_pack("{s:{s:s, s:s}}", "accepted_plan_hash", "old", accepted, "new", phash);
        int done = store_plan_accepted_set(st, a, id, pterms, phash, err);
        if (done == 0)
            done = store_plan_acceptance_clear(st, a, id, err);
        if (done == 0)
            done = store_audit_add(st, a, org, "update", "placement", id, d, err);
        json_decref(d);
        if (done < 0)
            goto fail;
    }
    rc = 0;
fail:
    return let_go(rc, (json_t *[]){p, plan, pterms, acc}, 4);
}

int placement_service_plan_accept(struct store *st, const struct tb_actor *a, int64_t id, const char *plan_hash,
                                  json_t **out, struct tb_err *err)
{
    struct plan_accept_unit u = {.a = a, .id = id, .plan_hash = plan_hash};
    if (store_in_tx(st, plan_accept_work, &u, err) < 0)
        return -1;
    return load(st, a, id, out, err);
}
