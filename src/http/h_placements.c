/*
 * h_placements.c - a graduate placed at a company in a cohort, and the
 * three-party agreement (objectives, learning plan, dates, pay) that the
 * trainee, the company and the operator each accept in the app; recorded
 * with who, when and from where, then the terms are locked. The workflows are
 * src/service/placement_service.c.
 */
#include "http/entity_http.h"
#include "core/fields.h"
#include "http/handlers.h"
#include "service/placement_service.h"

#include "http/fields_placement.inc"  /* from records/placement.json */
const struct field_spec placement_accept_fields[] = {
    {.name = "terms_hash", .type = FT_STRING, .required = 1, .min = 64, .max = 64},
    {0},
};
const struct field_spec placement_plan_accept_fields[] = {
    {.name = "plan_hash", .type = FT_STRING, .required = 1, .min = 64, .max = 64},
    {0},
};
static const char *const end_statuses[] = {"completed", "terminated", NULL};
const struct field_spec placement_status_fields[] = {
    {.name = "status", .type = FT_ENUM, .required = 1, .allowed = end_statuses},
    {.name = "reason", .type = FT_TEXT, .max = 2000},
    {0},
};
const struct field_spec placement_allowance_fields[] = {
    {.name = "allowed", .type = FT_BOOL, .required = 1},
    {.name = "reason", .type = FT_TEXT, .max = 2000},
    {0},
};

int h_placement_list(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_list(r, res, ENT_PLACEMENT, NULL, err);
}

int h_placement_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *p;
    return entity_answer(r, res, placement_service_get(r->store, &r->actor, r->ids[0], &p, err), &p);
}

int h_placement_create(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t id;
    json_t *p;
    int rc = placement_service_create(r->store, &r->actor, r->body, &id, &p, err);
    return entity_created(r, res, rc, "placements", &id, &p);
}

int h_placement_update(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *out;
    int64_t version;
    if (req_version(r, &version, err) < 0 ||
        placement_service_update(r->store, &r->actor, r->ids[0], version, r->body, &out, err) < 0)
        return -1;
    return entity_reply(r, res, 200, out);
}

int h_placement_delete(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_delete(r, res, ENT_PLACEMENT, err);
}

int h_placement_accept(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *p;
    const char *terms_hash = json_string_value(json_object_get(r->body, "terms_hash"));
    return entity_answer(r, res, placement_service_accept(r->store, &r->actor, r->ids[0], terms_hash, &p, err), &p);
}

int h_placement_status(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *out;
    const char *to = json_string_value(json_object_get(r->body, "status"));
    const char *reason = json_string_value(json_object_get(r->body, "reason"));
    return entity_answer(r, res, placement_service_end(r->store, &r->actor, r->ids[0], to, reason, &out, err), &out);
}

int h_placement_allowance(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *out;
    int allowed = json_is_true(json_object_get(r->body, "allowed"));
    const char *reason = json_string_value(json_object_get(r->body, "reason"));
    return entity_answer(r, res,
                         placement_service_allow_applications(r->store, &r->actor, r->ids[0], allowed, reason, &out, err),
                         &out);
}

/* A party accepts the amended learning plan of a signed agreement. */
int h_placement_plan_accept(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *p;
    const char *plan_hash = json_string_value(json_object_get(r->body, "plan_hash"));
    return entity_answer(r, res, placement_service_plan_accept(r->store, &r->actor, r->ids[0], plan_hash, &p, err), &p);
}
