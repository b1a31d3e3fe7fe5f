/*
 * h_applications.c - a graduate applying to a position, and the pipeline:
 * applied -> screened -> interview -> shortlisted -> offered -> accepted |
 * declined, with rejected and withdrawn possible before the end. Every move
 * is recorded with who made it and when. The SME sees its shortlist; a
 * graduate sees their own applications. The workflows are
 * src/service/application_service.c.
 */
#include "http/entity_http.h"
#include "core/fields.h"
#include "http/handlers.h"
#include "service/application_service.h"

static const char *const stages[] = {"applied", "screened", "interview", "shortlisted", "offered",
                                     "accepted", "declined", "rejected", "withdrawn", NULL};

const struct field_spec application_create_fields[] = {
    {.name = "position_id", .type = FT_INT, .required = 1, .min = 1, .max = ID_MAX},
    {.name = "graduate_id", .type = FT_INT, .min = 1, .max = ID_MAX},
    {.name = "notes", .type = FT_TEXT, .max = 5000},
    {.name = "org_id", .type = FT_INT, .min = 1, .max = ID_MAX},
    {0},
};
const struct field_spec application_update_fields[] = {
    {.name = "notes", .type = FT_TEXT, .max = 5000},
    {.name = "graduate_rank", .type = FT_INT, .min = 1, .max = 1000},
    {.name = "company_rank", .type = FT_INT, .min = 1, .max = 10000},
    {.name = "version", .type = FT_INT, .min = 1, .max = ID_MAX},
    {0},
};
const struct field_spec application_stage_fields[] = {
    {.name = "stage", .type = FT_ENUM, .required = 1, .allowed = stages},
    {.name = "note", .type = FT_TEXT, .max = 2000},
    {.name = "version", .type = FT_INT, .min = 1, .max = ID_MAX},
    {0},
};

int h_application_list(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_list(r, res, ENT_APPLICATION, NULL, err);
}

int h_application_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *a, *history;
    if (entity_load(r, ENT_APPLICATION, &a, err) < 0)
        return -1;
    if (store_application_events(r->store, &r->actor, r->ids[0], &history, err) < 0) {
        json_decref(a);
        return -1;
    }
    json_object_set_new(a, "history", history);
    return entity_reply(r, res, 200, a);
}

int h_application_create(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t id;
    json_t *app;
    int rc = application_service_create(r->store, &r->actor, r->body, &id, &app, err);
    return entity_created(r, res, rc, "applications", &id, &app);
}

int h_application_update(struct request *r, struct response *res, struct tb_err *err)
{
    unsigned who = application_mover(&r->actor);
    if (json_object_get(r->body, "company_rank") && !(who & (BY_STAFF | BY_COMPANY)))
        return tb_error(err, TB_E_FORBIDDEN, "company_rank", "company_rank: set by the company or the operator");
    if (json_object_get(r->body, "graduate_rank") && !(who & (BY_STAFF | BY_GRADUATE)))
        return tb_error(err, TB_E_FORBIDDEN, "graduate_rank", "graduate_rank: set by the graduate or the operator");
    if (json_object_get(r->body, "notes") && !(who & BY_STAFF))
        return tb_error(err, TB_E_FORBIDDEN, "notes", "notes: only the operator's staff keep notes");
    return entity_update(r, res, ENT_APPLICATION, r->body, NULL, err);
}

int h_application_delete(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_delete(r, res, ENT_APPLICATION, err);
}

int h_application_stage(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *out;
    const char *to = json_string_value(json_object_get(r->body, "stage"));
    const char *note = json_string_value(json_object_get(r->body, "note"));
    int64_t version = json_integer_value(json_object_get(r->body, "version"));
    int rc = application_service_stage(r->store, &r->actor, r->ids[0], to, note, version, &out, err);
    return entity_answer(r, res, rc, &out);
}
