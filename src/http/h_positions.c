/*
 * h_positions.c - export trainee openings. A company drafts and submits;
 * the operator approves and opens; graduates see open positions.
 * Status: draft -> submitted -> approved -> open -> closed | filled.
 */
#include <string.h>

#include "http/entity_http.h"
#include "core/fields.h"
#include "http/handlers.h"

#include "http/fields_position.inc"   /* from records/position.json */

static const char *const position_statuses[] = {"draft", "submitted", "approved", "open", "closed", "filled", NULL};

const struct field_spec position_status_fields[] = {
    {.name = "status", .type = FT_ENUM, .required = 1, .allowed = position_statuses},
    {.name = "version", .type = FT_INT, .min = 1, .max = ID_MAX},
    {0},
};

struct transition {
    const char *from, *to;
    int company_may;   /* the SME may make this move itself */
};

static const struct transition transitions[] = {
    {"draft", "submitted", 1},  {"submitted", "draft", 1},   {"submitted", "approved", 0},
    {"approved", "open", 0},    {"approved", "draft", 0},    {"open", "closed", 0},
    {"open", "filled", 0},      {"closed", "open", 0},       {"filled", "open", 0},
    {NULL, NULL, 0},
};

static int money_needs_currency(const json_t *body, const json_t *old, struct tb_err *err)
{
    json_t *pay = json_object_get(body, "pay"), *cur = json_object_get(body, "currency");
    if (!cur && old)
        cur = json_object_get(old, "currency");
    if (pay && !json_is_null(pay) && (!cur || json_is_null(cur)))
        return TB_INVALID(err, "currency", "currency: required with pay (minor units of it)");
    return 0;
}

int h_position_list(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_list(r, res, ENT_POSITION, NULL, err);
}

int h_position_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *p;
    if (entity_load(r, ENT_POSITION, &p, err) < 0)
        return -1;
    return entity_reply(r, res, 200, p);
}

int h_position_create(struct request *r, struct response *res, struct tb_err *err)
{
    if (money_needs_currency(r->body, NULL, err) < 0)
        return -1;
    /* New positions start as drafts, whoever creates them. */
    json_t *fields = json_deep_copy(r->body);
    json_object_set_new(fields, "status", json_string("draft"));
    if (!json_object_get(fields, "places"))
        json_object_set_new(fields, "places", json_integer(1));
    int rc = entity_create(r, res, ENT_POSITION, fields, "positions", NULL, err);
    json_decref(fields);
    return rc;
}

int h_position_update(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *old;
    if (entity_load(r, ENT_POSITION, &old, err) < 0)
        return -1;
    const char *status = json_string_value(json_object_get(old, "status"));
    int draft = !strcmp(status, "draft");
    int rc = money_needs_currency(r->body, old, err);
    json_decref(old);
    if (rc < 0)
        return -1;
    if (!is_staff(r) && !draft)
        return tb_error(err, TB_E_NOT_EDITABLE, "status",
                       "status: the position is no longer a draft; ask your coordinator to change it");
    if (!is_staff(r) && json_object_get(r->body, "company_id"))
        return tb_error(err, TB_E_FORBIDDEN, "company_id", "company_id: only staff can move a position to another company");
    return entity_update(r, res, ENT_POSITION, r->body, NULL, err);
}

int h_position_delete(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *old;
    if (entity_load(r, ENT_POSITION, &old, err) < 0)
        return -1;
    int draft = !strcmp(json_string_value(json_object_get(old, "status")), "draft");
    json_decref(old);
    if (!is_staff(r) && !draft)
        return tb_error(err, TB_E_NOT_EDITABLE, "status", "status: only drafts can be deleted by the company");
    return entity_delete(r, res, ENT_POSITION, err);
}

int h_position_status(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *old, *out;
    if (entity_load(r, ENT_POSITION, &old, err) < 0)
        return -1;
    const char *from = arena_strdup(r->arena, json_string_value(json_object_get(old, "status")));
    int64_t version = json_integer_value(json_object_get(old, "version"));
    json_decref(old);
    const char *to = json_string_value(json_object_get(r->body, "status"));
    json_t *sent = json_object_get(r->body, "version");
    if (sent && json_integer_value(sent) != version)
        return tb_error(err, TB_E_VERSION_MISMATCH, "version", "version: the position was changed by someone else");
    const struct transition *t = transitions;
    while (t->from && !(strcmp(t->from, from) == 0 && strcmp(t->to, to) == 0))
        t++;
    if (!t->from)
        return tb_error(err, TB_E_INVALID_TRANSITION, "status", "status: a position cannot go from %s to %s", from, to);
    if (!is_staff(r) && !t->company_may)
        return tb_error(err, TB_E_FORBIDDEN, "status", "status: only the operator can move a position from %s to %s", from, to);
    json_t *changes = json_pack("{s:s}", "status", to);
    int rc = store_entity_update(r->store, &r->actor, ENT_POSITION, r->ids[0], version, changes, &out, err);
    json_decref(changes);
    return rc < 0 ? -1 : entity_reply(r, res, 200, out);
}
