/*
 * h_invitations.c - invitations over HTTP: parse, call the service, answer.
 * The workflow (who may invite whom, the record, the mail, the acceptance)
 * is src/service/invitation_service.c.
 */
#include "http/handlers.h"
#include "service/invitation_service.h"

static const char *const invitable_roles[] = {"admin", "coordinator", "company", "trainee",
                                              "mentor", "viewer", NULL};
static const char *const subject_types[] = {"company", "graduate", "placement", NULL};
static const char *const mail_locales[] = {"en", "sv", NULL};

const struct field_spec invitation_fields[] = {
    {.name = "email", .type = FT_EMAIL, .required = 1, .min = 3, .max = 254},
    {.name = "name", .type = FT_STRING, .required = 1, .min = 1, .max = USER_NAME_MAX},
    {.name = "role", .type = FT_ENUM, .required = 1, .allowed = invitable_roles},
    {.name = "org_id", .type = FT_INT, .min = 1, .max = 1LL << 53},
    {.name = "subject_type", .type = FT_ENUM, .allowed = subject_types},
    {.name = "subject_id", .type = FT_INT, .min = 1, .max = 1LL << 53},
    {.name = "locale", .type = FT_ENUM, .allowed = mail_locales},
    {0},
};

int h_invitation_create(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *org = json_object_get(r->body, "org_id");
    struct invitation_input in = {
        .email = json_string_value(json_object_get(r->body, "email")),
        .name = json_string_value(json_object_get(r->body, "name")),
        .role = json_string_value(json_object_get(r->body, "role")),
        .subject_type = json_string_value(json_object_get(r->body, "subject_type")),
        .subject_id = json_integer_value(json_object_get(r->body, "subject_id")),
        .org_id = org ? json_integer_value(org) : r->actor.tenant_id,
        .locale = json_string_value(json_object_get(r->body, "locale")),
    };
    int64_t id;
    json_t *out;
    if (invitation_service_create(r->store, &r->actor, r->cfg->public_url, &in, r->arena, &id, err) < 0 ||
        store_invitation_get(r->store, &r->actor, id, &out, err) < 0)
        return -1;
    res->location = arena_printf(r->arena, "/api/v1/invitations/%lld", (long long)id);
    return respond_json(res, 201, out);
}

int h_invitation_list(struct request *r, struct response *res, struct tb_err *err)
{
    struct list_query q;
    struct list_page page;
    if (req_list_query(r, &q, NULL, NULL, NULL, err) < 0 ||
        store_invitation_list(r->store, &r->actor, &q, &page, err) < 0)
        return -1;
    return respond_page(res, &page);
}

int h_invitation_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *inv;
    if (store_invitation_get(r->store, &r->actor, r->ids[0], &inv, err) < 0)
        return -1;
    return respond_json(res, 200, inv);
}

int h_invitation_withdraw(struct request *r, struct response *res, struct tb_err *err)
{
    if (store_invitation_withdraw(r->store, &r->actor, r->ids[0], err) < 0)
        return -1;
    return respond_no_content(res);
}

/* POST /auth/accept-invitation (h_auth.c): 1 when the token is not an invitation's. */
int invitation_accept(struct request *r, struct response *res, struct tb_err *err)
{
    struct invitation_acceptance in = {
        .token = json_string_value(json_object_get(r->body, "token")),
        .password = json_string_value(json_object_get(r->body, "password")),
        .name = json_string_value(json_object_get(r->body, "name")),
        .client_addr = r->client_addr,
        .hash_enter = http_pwhash_enter,
        .hash_leave = http_pwhash_leave,
    };
    const char *email;
    int rc = invitation_service_accept(r->store, &in, r->arena, &email, err);
    if (rc != 0)
        return rc;
    return respond_json(res, 200, json_pack("{s:s, s:s}", "status", "invitation accepted; you can sign in now",
                                            "email", email));
}
