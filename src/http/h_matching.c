/*
 * h_matching.c - matching a cohort's graduates to its positions: runs kept
 * with their parameters, input hash and result; locks and vetoes on pairs;
 * the operator's score weights; approval turns the pairs into offers. The
 * workflows are src/service/match_service.c.
 */
#include "core/match_run.h"
#include "http/entity_http.h"
#include "core/fields.h"
#include "http/handlers.h"
#include "service/match_service.h"

static const char *const engines[] = {"assign", "stable", NULL};
static const char *const modes[] = {"full", "partial", "maxcard", NULL};
static const char *const proposers[] = {"candidates", "positions", NULL};
static const char *const tie_rules[] = {"id", "lottery", NULL};
static const char *const constraint_kinds[] = {"lock", "forbid", NULL};
static const char *const sources[] = {"applications", "pool", NULL};

const struct field_spec match_run_fields[] = {
    {.name = "cohort_id", .type = FT_INT, .required = 1, .min = 1, .max = ID_MAX},
    {.name = "engine", .type = FT_ENUM, .required = 1, .allowed = engines},
    {.name = "mode", .type = FT_ENUM, .allowed = modes},
    {.name = "threshold", .type = FT_INT, .min = 0, .max = 10000},
    {.name = "proposing", .type = FT_ENUM, .allowed = proposers},
    {.name = "tie_break", .type = FT_ENUM, .allowed = tie_rules},
    {.name = "seed", .type = FT_INT, .min = 0, .max = ID_MAX},
    {.name = "source", .type = FT_ENUM, .allowed = sources},
    {0},
};
#define WEIGHT(n) {.name = n, .type = FT_INT, .min = 0, .max = 10000}
const struct field_spec match_weight_fields[] = {
    WEIGHT("languages"), WEIGHT("market_languages"), WEIGHT("market_experience"), WEIGHT("field"),
    WEIGHT("sector"), WEIGHT("location"), WEIGHT("availability"),
    {.name = "market_months_full", .type = FT_INT, .min = 1, .max = 120},
    {.name = "start_grace_days", .type = FT_INT, .min = 0, .max = 365},
    {0},
};
const struct field_spec match_constraint_fields[] = {
    {.name = "cohort_id", .type = FT_INT, .required = 1, .min = 1, .max = ID_MAX},
    {.name = "graduate_id", .type = FT_INT, .required = 1, .min = 1, .max = ID_MAX},
    {.name = "position_id", .type = FT_INT, .required = 1, .min = 1, .max = ID_MAX},
    {.name = "kind", .type = FT_ENUM, .required = 1, .allowed = constraint_kinds},
    {.name = "note", .type = FT_TEXT, .max = 1000},
    {0},
};

int h_match_weights_get(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t org_id;
    json_t *stored;
    if (req_operator(r, &org_id, err) < 0 || store_match_settings_get(r->store, &r->actor, org_id, &stored, err) < 0)
        return -1;
    json_t *out = json_pack("{s:I, s:o, s:b}", "org_id", (json_int_t)org_id, "weights",
                            match_weights_effective(stored), "defaults", stored == NULL);
    json_decref(stored);
    return respond_json(res, 200, out);
}

int h_match_weights_put(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t org_id;
    if (match_weights_validate(r->body, err) < 0 || req_operator(r, &org_id, err) < 0 ||
        store_match_settings_put(r->store, &r->actor, org_id, r->body, err) < 0)
        return -1;
    return h_match_weights_get(r, res, err);
}

int h_match_constraint_list(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_list(r, res, ENT_MATCH_CONSTRAINT, NULL, err);
}

int h_match_constraint_create(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *fields = json_deep_copy(r->body);
    json_object_set_new(fields, "created_by", json_integer(r->actor.user_id));
    json_t *cohort;
    int rc = store_entity_get(r->store, &r->actor, ENT_COHORT, json_integer_value(json_object_get(fields, "cohort_id")),
                              &cohort, err);
    if (rc == 0) {
        if (r->actor.all_tenants)
            json_object_set(fields, "org_id", json_object_get(cohort, "org_id"));
        json_decref(cohort);
        rc = entity_create(r, res, ENT_MATCH_CONSTRAINT, fields, "match-constraints", NULL, err);
        if (rc < 0 && err->status == 409)
            tb_error(err, TB_E_CONFLICT, "position_id", "position_id: this pair already has a lock or veto; delete it first");
    } else if (err->status == 404) {
        TB_INVALID(err, "cohort_id", "cohort_id: no such cohort");
    }
    json_decref(fields);
    return rc;
}

int h_match_constraint_delete(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_delete(r, res, ENT_MATCH_CONSTRAINT, err);
}

int h_match_run_list(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_list(r, res, ENT_MATCH_RUN, NULL, err);
}

int h_match_run_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *run;
    return entity_answer(r, res, entity_load(r, ENT_MATCH_RUN, &run, err), &run);
}

int h_match_run_create(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t id;
    json_t *run;
    int rc = match_service_run(r->store, &r->actor, r->body, &id, &run, err);
    return entity_created(r, res, rc, "match-runs", &id, &run);
}

/* Approval turns every pair into an offer, a suggestion from the pool into a
 * new application at "offered" (see match_service_approve). */
int h_match_run_approve(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *out;
    int rc = match_service_approve(r->store, &r->actor, r->ids[0], r->cfg->public_url, r->arena, &out, err);
    return entity_answer(r, res, rc, &out);
}

int h_match_run_discard(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *out;
    return entity_answer(r, res, match_service_discard(r->store, &r->actor, r->ids[0], &out, err), &out);
}

/* A position's shortlist from the newest run of its cohort that is not
 * discarded (see match_service_shortlist). */
int h_position_shortlist(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *pos, *out;
    if (entity_load(r, ENT_POSITION, &pos, err) < 0)
        return -1;
    int rc = match_service_shortlist(r->store, &r->actor, pos, &out, err);
    json_decref(pos);
    return rc < 0 ? -1 : respond_json(res, 200, out);
}
