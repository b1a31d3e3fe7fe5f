/*
 * h_invitations.c - a coordinator (or the foundation) invites a person by
 * email with a role; the mail carries a single-use link to set a password.
 */
#include <string.h>

#include "http/handlers.h"
#include "store/entity.h"

static const char *const invitable_roles[] = {"admin", "coordinator", "company", "trainee",
                                              "mentor", "viewer", NULL};
static const char *const subject_types[] = {"company", "graduate", "placement", NULL};

const struct field_spec invitation_fields[] = {
    {.name = "email", .type = FT_EMAIL, .required = 1, .min = 3, .max = 254},
    {.name = "name", .type = FT_STRING, .required = 1, .min = 1, .max = USER_NAME_MAX},
    {.name = "role", .type = FT_ENUM, .required = 1, .allowed = invitable_roles},
    {.name = "org_id", .type = FT_INT, .min = 1, .max = 1LL << 53},
    {.name = "subject_type", .type = FT_ENUM, .allowed = subject_types},
    {.name = "subject_id", .type = FT_INT, .min = 1, .max = 1LL << 53},
    {0},
};

int h_invitation_create(struct request *r, struct response *res, struct tb_err *err)
{
    const char *email = json_string_value(json_object_get(r->body, "email"));
    const char *name = json_string_value(json_object_get(r->body, "name"));
    const char *role_text = json_string_value(json_object_get(r->body, "role"));
    const char *subject_type = json_string_value(json_object_get(r->body, "subject_type"));
    int64_t subject_id = json_integer_value(json_object_get(r->body, "subject_id"));
    json_t *org_field = json_object_get(r->body, "org_id");
    int64_t org_id = org_field ? json_integer_value(org_field) : r->actor.tenant_id;
    enum tb_role role;
    role_parse(role_text, &role);
    if (!subject_type != !subject_id)
        return TB_INVALID(err, subject_type ? "subject_id" : "subject_type",
                          "%s: subject_type and subject_id go together", subject_type ? "subject_id" : "subject_type");

    json_t *org;
    if (store_org_get(r->store, &r->actor, org_id, &org, err) < 0) {
        snprintf(err->field, sizeof err->field, "org_id");
        return -1;
    }
    const char *kind = json_string_value(json_object_get(org, "kind"));
    const char *org_name = arena_strdup(r->arena, json_string_value(json_object_get(org, "name")));
    int foundation = !strcmp(kind, "foundation");
    json_decref(org);
    if (role == ROLE_ADMIN && (!r->actor.all_tenants || !foundation))
        return tb_fail(err, 403, "forbidden", "role",
                       "role: only the foundation's admins can invite admins, into the foundation");
    if (role != ROLE_ADMIN && foundation)
        return TB_INVALID(err, "org_id", "org_id: operator roles belong to a national operator, not the foundation");

    /* What a company or trainee role is about must be a record of this operator. */
    enum entity subject_entity = ENT__MAX;
    if (subject_type) {
        static const struct { const char *type; enum entity e; enum tb_role role; } bindings[] = {
            {"company", ENT_COMPANY, ROLE_COMPANY}, {"graduate", ENT_GRADUATE, ROLE_TRAINEE},
            {"placement", ENT_PLACEMENT, ROLE_MENTOR}};
        for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
            if (!strcmp(bindings[i].type, subject_type)) {
                subject_entity = bindings[i].e;
                if (bindings[i].role != role)
                    return TB_INVALID(err, "subject_type", "subject_type: a %s is what a %s role is about, not %s",
                                      subject_type, role_name(bindings[i].role), role_text);
            }
        json_t *subject;
        if (store_entity_get(r->store, &r->actor, subject_entity, subject_id, &subject, err) < 0) {
            if (err->status == 404)
                TB_INVALID(err, "subject_id", "subject_id: no %s with id %lld in this operator", subject_type,
                           (long long)subject_id);
            return -1;
        }
        int64_t subject_org = json_integer_value(json_object_get(subject, "org_id"));
        json_decref(subject);
        if (subject_org != org_id)
            return TB_INVALID(err, "subject_id", "subject_id: belongs to another operator than org_id");
    } else if (role == ROLE_COMPANY || role == ROLE_TRAINEE) {
        return TB_INVALID(err, "subject_type", "subject_type: a %s role needs the %s it is about (subject_type and subject_id)",
                          role_text, role == ROLE_COMPANY ? "company" : "graduate");
    }

    if (store_begin(r->store, err) < 0)
        return -1;
    struct user_auth u;
    struct tb_err e;
    int64_t user_id;
    int is_new = store_user_auth_by_email(r->store, email, &u, &e) < 0;
    if (is_new && e.status != 404) {
        *err = e;
        goto fail;
    }
    if (is_new) {
        if (store_user_create(r->store, &r->actor, email, name, NULL, "invited", &user_id, err) < 0)
            goto fail;
    } else {
        user_id = u.id;
    }
    if (store_membership_add(r->store, &r->actor, user_id, org_id, role, subject_type, subject_id, err) < 0)
        goto fail;
    if (subject_entity == ENT_GRADUATE) {
        /* The graduate record now has a login: the trainee edits it themself. */
        json_t *g, *out, *changes = json_pack("{s:I}", "user_id", (json_int_t)user_id);
        int rc = store_entity_get(r->store, &r->actor, ENT_GRADUATE, subject_id, &g, err);
        if (rc == 0) {
            rc = store_entity_update(r->store, &r->actor, ENT_GRADUATE, subject_id,
                                     json_integer_value(json_object_get(g, "version")), changes, &out, err);
            json_decref(g);
            if (rc == 0)
                json_decref(out);
        }
        json_decref(changes);
        if (rc < 0)
            goto fail;
    }
    struct user_auth inviter;
    if (store_user_auth_by_id(r->store, r->actor.user_id, &inviter, err) < 0)
        goto fail;
    const char *subject = arena_printf(r->arena, "You are invited to %s on TradeBridge", org_name);
    if (is_new || !strcmp(u.status, "invited")) {
        const char *intro = arena_printf(r->arena, "Hello %s,\n\n%s invited you to join %s on TradeBridge as %s.",
                                         name, inviter.name, org_name, role_text);
        if (queue_link_mail(r, user_id, org_id, "invite", email, subject, intro, err) < 0)
            goto fail;
    } else {
        const char *body = arena_printf(r->arena,
                                        "Hello %s,\n\n%s gave you the role %s in %s on TradeBridge.\n"
                                        "Sign in at %s/ to use it.\n\n-- TradeBridge\n",
                                        u.name, inviter.name, role_text, org_name, r->cfg->public_url);
        struct tb_actor sys = r->actor;
        sys.all_tenants = 1;
        if (store_outbox_add(r->store, &sys, org_id, email,
                             arena_printf(r->arena, "New role in %s on TradeBridge", org_name), body, err) < 0)
            goto fail;
    }
    if (store_commit(r->store, err) < 0)
        return -1;
    http_mail_wake();
    json_t *out = json_pack("{s:I, s:s, s:s, s:I, s:s}", "user_id", (json_int_t)user_id, "email", email,
                            "role", role_text, "org_id", (json_int_t)org_id, "status",
                            is_new ? "invited" : u.status);
    res->location = arena_printf(r->arena, "/api/v1/users/%lld", (long long)user_id);
    return respond_json(res, 201, out);
fail:
    store_rollback(r->store);
    return -1;
}
