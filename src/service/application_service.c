/*
 * application_service.c - a graduate applying to a position, and the
 * pipeline: applied -> screened -> interview -> shortlisted -> offered ->
 * accepted | declined, with rejected and withdrawn possible before the end.
 * Every move is recorded with who made it and when, in the transaction that
 * makes it. Used by src/http/h_applications.c.
 */
#include "service/application_service.h"

#include <stdio.h>
#include <string.h>

#include "store/entity.h"
#include "store/store_integrity.h"

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

unsigned application_mover(const struct tb_actor *a)
{
    if (a->all_tenants || actor_has(a, ROLES_STAFF))
        return BY_STAFF;
    if (actor_has(a, ROLE_BIT(ROLE_COMPANY)))
        return BY_COMPANY;
    if (actor_has(a, ROLE_BIT(ROLE_TRAINEE)))
        return BY_GRADUATE;
    return 0;
}

struct apply_unit {
    const struct tb_actor *a;
    const json_t *fields;
    int64_t id;
    json_t *out;
};

/* The application and its first event, one unit of work. */
static int apply_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct apply_unit *u = ctx;
    json_decref(u->out);   /* a run again starts afresh */
    u->out = NULL;
    if (store_entity_create(st, u->a, ENT_APPLICATION, u->fields, &u->id, err) < 0) {
        if (err->status == 409)
            tb_error(err, TB_E_CONFLICT, "position_id", "position_id: this graduate has already applied to this position");
        return -1;
    }
    if (store_entity_get(st, u->a, ENT_APPLICATION, u->id, &u->out, err) < 0)
        return -1;
    return store_application_event(st, u->a, json_integer_value(json_object_get(u->out, "org_id")), u->id, NULL,
                                   "applied", NULL, err);
}

int application_service_create(struct store *st, const struct tb_actor *a, const json_t *body, int64_t *id,
                               json_t **out, struct tb_err *err)
{
    json_t *fields = json_deep_copy(body);
    int rc = -1;
    *out = NULL;
    if (!fields)
        return TB_INTERNAL(err, "out of memory");
    if (!(application_mover(a) & BY_STAFF)) {
        if (!actor_has(a, ROLE_BIT(ROLE_TRAINEE)) || !a->subject_id) {
            tb_error(err, TB_E_FORBIDDEN, "", "only graduates and their coordinators can create applications");
            goto out;
        }
        json_t *g = json_object_get(fields, "graduate_id");
        if (g && json_integer_value(g) != a->subject_id) {
            tb_error(err, TB_E_FORBIDDEN, "graduate_id", "graduate_id: you can only apply for yourself");
            goto out;
        }
        json_object_set_new(fields, "graduate_id", json_integer(a->subject_id));
        /* A placed trainee stays with the company unless the coordinator
         * allows otherwise (POST /placements/{id}/applications-elsewhere). */
        int64_t placed;
        if (store_placed_unallowed(st, a, a->subject_id, &placed, err) < 0)
            goto out;
        if (placed) {
            tb_error(err, TB_E_ALREADY_PLACED, "position_id",
                     "position_id: you have a placement (#%lld); you can apply elsewhere only if your coordinator allows it",
                     (long long)placed);
            goto out;
        }
    } else if (!json_object_get(fields, "graduate_id")) {
        TB_INVALID(err, "graduate_id", "graduate_id: is required");
        goto out;
    }
    json_t *position;
    if (store_entity_get(st, a, ENT_POSITION, json_integer_value(json_object_get(fields, "position_id")),
                         &position, err) < 0) {
        if (err->status == 404)
            TB_INVALID(err, "position_id", "position_id: no such open position");
        goto out;
    }
    int open = !strcmp(json_string_value(json_object_get(position, "status")), "open");
    json_decref(position);
    if (!open) {
        tb_error(err, TB_E_POSITION_NOT_OPEN, "position_id", "position_id: the position is not open for applications");
        goto out;
    }
    json_object_set_new(fields, "stage", json_string("applied"));
    struct apply_unit u = {.a = a, .fields = fields};
    if (store_in_tx(st, apply_work, &u, err) < 0) {
        json_decref(u.out);
        goto out;
    }
    *id = u.id;
    *out = u.out;
    rc = 0;
out:
    json_decref(fields);
    return rc;
}

struct stage_unit {
    const struct tb_actor *a;
    int64_t id, version, org_id;
    const char *from, *to, *note;
    json_t *out;
};

/* The move and its event, one unit of work. */
static int stage_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct stage_unit *u = ctx;
    json_decref(u->out);   /* a run again starts afresh */
    u->out = NULL;
    if (store_entity_set_text(st, u->a, ENT_APPLICATION, u->id, u->version, "stage", u->to, &u->out, err) < 0)
        return -1;
    return store_application_event(st, u->a, u->org_id, u->id, u->from, u->to, u->note, err);
}

int application_service_stage(struct store *st, const struct tb_actor *a, int64_t id, const char *to,
                              const char *note, int64_t sent_version, json_t **out, struct tb_err *err)
{
    json_t *old;
    *out = NULL;
    if (store_entity_get(st, a, ENT_APPLICATION, id, &old, err) < 0)
        return -1;
    char from[32];
    snprintf(from, sizeof from, "%s", json_string_value(json_object_get(old, "stage")));
    int64_t version = json_integer_value(json_object_get(old, "version"));
    int64_t org_id = json_integer_value(json_object_get(old, "org_id"));
    json_decref(old);
    if (sent_version && sent_version != version)
        return tb_error(err, TB_E_VERSION_MISMATCH, "version", "version: the application was moved by someone else; reload");
    const struct move *m = moves;
    while (m->from && !(strcmp(m->from, from) == 0 && strcmp(m->to, to) == 0))
        m++;
    if (!m->from)
        return tb_error(err, TB_E_INVALID_TRANSITION, "stage", "stage: an application cannot go from %s to %s", from, to);
    if (!(m->who & application_mover(a)))
        return tb_error(err, TB_E_FORBIDDEN, "stage", "stage: your role cannot move an application from %s to %s", from, to);
    struct stage_unit u = {.a = a, .id = id, .version = version, .org_id = org_id, .from = from, .to = to,
                           .note = note};
    if (store_in_tx(st, stage_work, &u, err) < 0) {
        json_decref(u.out);
        return -1;
    }
    *out = u.out;
    json_t *history;
    if (store_application_events(st, a, id, &history, err) == 0)
        json_object_set_new(*out, "history", history);
    return 0;
}
