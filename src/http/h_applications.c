/*
 * h_applications.c - a graduate applying to a position, and the pipeline:
 * applied -> screened -> interview -> shortlisted -> offered -> accepted |
 * declined, with rejected and withdrawn possible before the end. Every move
 * is recorded with who made it and when. The SME sees its shortlist; a
 * graduate sees their own applications.
 */
#include <string.h>

#include "http/entity_http.h"
#include "core/fields.h"
#include "http/handlers.h"

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

enum mover { BY_STAFF = 1, BY_COMPANY = 2, BY_GRADUATE = 4 };

struct move {
    const char *from, *to;
    unsigned who;
};

static const struct move moves[] = {
    {"applied", "screened", BY_STAFF},       {"screened", "interview", BY_STAFF},
    {"interview", "shortlisted", BY_STAFF},  {"shortlisted", "offered", BY_STAFF | BY_COMPANY},
    {"offered", "accepted", BY_STAFF | BY_GRADUATE}, {"offered", "declined", BY_STAFF | BY_GRADUATE},
    {"applied", "rejected", BY_STAFF},       {"screened", "rejected", BY_STAFF},
    {"interview", "rejected", BY_STAFF},     {"shortlisted", "rejected", BY_STAFF | BY_COMPANY},
    {"offered", "rejected", BY_STAFF},
    {"applied", "withdrawn", BY_STAFF | BY_GRADUATE},     {"screened", "withdrawn", BY_STAFF | BY_GRADUATE},
    {"interview", "withdrawn", BY_STAFF | BY_GRADUATE},   {"shortlisted", "withdrawn", BY_STAFF | BY_GRADUATE},
    {"offered", "withdrawn", BY_STAFF | BY_GRADUATE},
    /* staff may step back a stage to correct a mistake */
    {"screened", "applied", BY_STAFF},       {"interview", "screened", BY_STAFF},
    {"shortlisted", "interview", BY_STAFF},
    {NULL, NULL, 0},
};

static unsigned mover_of(const struct request *r)
{
    if (is_staff(r))
        return BY_STAFF;
    if (actor_has(&r->actor, ROLE_BIT(ROLE_COMPANY)))
        return BY_COMPANY;
    if (actor_has(&r->actor, ROLE_BIT(ROLE_TRAINEE)))
        return BY_GRADUATE;
    return 0;
}

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
    json_t *fields = json_deep_copy(r->body);
    int rc = -1;
    if (!is_staff(r)) {
        if (!actor_has(&r->actor, ROLE_BIT(ROLE_TRAINEE)) || !r->actor.subject_id) {
            tb_fail(err, 403, "forbidden", "", "only graduates and their coordinators can create applications");
            goto out;
        }
        json_t *g = json_object_get(fields, "graduate_id");
        if (g && json_integer_value(g) != r->actor.subject_id) {
            tb_fail(err, 403, "forbidden", "graduate_id", "graduate_id: you can only apply for yourself");
            goto out;
        }
        json_object_set_new(fields, "graduate_id", json_integer(r->actor.subject_id));
    } else if (!json_object_get(fields, "graduate_id")) {
        TB_INVALID(err, "graduate_id", "graduate_id: is required");
        goto out;
    }
    json_t *position;
    if (store_entity_get(r->store, &r->actor, ENT_POSITION, json_integer_value(json_object_get(fields, "position_id")),
                         &position, err) < 0) {
        if (err->status == 404)
            TB_INVALID(err, "position_id", "position_id: no such open position");
        goto out;
    }
    int open = !strcmp(json_string_value(json_object_get(position, "status")), "open");
    json_decref(position);
    if (!open) {
        tb_fail(err, 409, "position_not_open", "position_id", "position_id: the position is not open for applications");
        goto out;
    }
    json_object_set_new(fields, "stage", json_string("applied"));
    if (store_begin(r->store, err) < 0)
        goto out;
    int64_t id;
    if (store_entity_create(r->store, &r->actor, ENT_APPLICATION, fields, &id, err) < 0) {
        if (err->status == 409)
            tb_fail(err, 409, "conflict", "position_id", "position_id: this graduate has already applied to this position");
        store_rollback(r->store);
        goto out;
    }
    json_t *app;
    if (store_entity_get(r->store, &r->actor, ENT_APPLICATION, id, &app, err) < 0 ||
        store_application_event(r->store, &r->actor, json_integer_value(json_object_get(app, "org_id")), id,
                                NULL, "applied", NULL, err) < 0 ||
        store_commit(r->store, err) < 0) {
        store_rollback(r->store);
        goto out;
    }
    res->location = arena_printf(r->arena, "/api/v1/applications/%lld", (long long)id);
    rc = entity_reply(r, res, 201, app);
out:
    json_decref(fields);
    return rc;
}

int h_application_update(struct request *r, struct response *res, struct tb_err *err)
{
    unsigned who = mover_of(r);
    if (json_object_get(r->body, "company_rank") && !(who & (BY_STAFF | BY_COMPANY)))
        return tb_fail(err, 403, "forbidden", "company_rank", "company_rank: set by the company or the operator");
    if (json_object_get(r->body, "graduate_rank") && !(who & (BY_STAFF | BY_GRADUATE)))
        return tb_fail(err, 403, "forbidden", "graduate_rank", "graduate_rank: set by the graduate or the operator");
    if (json_object_get(r->body, "notes") && !(who & BY_STAFF))
        return tb_fail(err, 403, "forbidden", "notes", "notes: only the operator's staff keep notes");
    return entity_update(r, res, ENT_APPLICATION, r->body, NULL, err);
}

int h_application_delete(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_delete(r, res, ENT_APPLICATION, err);
}

int h_application_stage(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *old, *out;
    if (entity_load(r, ENT_APPLICATION, &old, err) < 0)
        return -1;
    const char *from = arena_strdup(r->arena, json_string_value(json_object_get(old, "stage")));
    int64_t version = json_integer_value(json_object_get(old, "version"));
    int64_t org_id = json_integer_value(json_object_get(old, "org_id"));
    json_decref(old);
    const char *to = json_string_value(json_object_get(r->body, "stage"));
    const char *note = json_string_value(json_object_get(r->body, "note"));
    json_t *sent = json_object_get(r->body, "version");
    if (sent && json_integer_value(sent) != version)
        return tb_fail(err, 412, "version_mismatch", "version", "version: the application was moved by someone else; reload");
    const struct move *m = moves;
    while (m->from && !(strcmp(m->from, from) == 0 && strcmp(m->to, to) == 0))
        m++;
    if (!m->from)
        return tb_fail(err, 409, "invalid_transition", "stage", "stage: an application cannot go from %s to %s", from, to);
    if (!(m->who & mover_of(r)))
        return tb_fail(err, 403, "forbidden", "stage", "stage: your role cannot move an application from %s to %s", from, to);
    if (store_begin(r->store, err) < 0)
        return -1;
    json_t *changes = json_pack("{s:s}", "stage", to);
    int rc = store_entity_update(r->store, &r->actor, ENT_APPLICATION, r->ids[0], version, changes, &out, err);
    json_decref(changes);
    if (rc < 0 || store_application_event(r->store, &r->actor, org_id, r->ids[0], from, to, note, err) < 0 ||
        store_commit(r->store, err) < 0) {
        if (rc == 0)
            json_decref(out);
        store_rollback(r->store);
        return -1;
    }
    json_t *history;
    if (store_application_events(r->store, &r->actor, r->ids[0], &history, err) == 0)
        json_object_set_new(out, "history", history);
    return entity_reply(r, res, 200, out);
}
