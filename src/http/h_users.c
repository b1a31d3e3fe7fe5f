/*
 * h_users.c - people and their roles. New people arrive by invitation
 * (h_invitations.c); here staff list, read, rename and disable them.
 */
#include "http/export.h"
#include "http/handlers.h"

static const char *const user_statuses[] = {"active", "disabled", NULL};

const struct field_spec user_update_fields[] = {
    {.name = "name", .type = FT_STRING, .required = 1, .min = 1, .max = USER_NAME_MAX},
    {.name = "status", .type = FT_ENUM, .required = 1, .allowed = user_statuses},
    {.name = "version", .type = FT_INT, .min = 1, .max = 1000000000},
    {0},
};

int h_user_list(struct request *r, struct response *res, struct tb_err *err)
{
    struct list_query q;
    struct list_page page;
    if (req_list_query(r, &q, "role", "status", NULL, err) < 0)
        return -1;
    enum tb_role role;
    if (q.f1 && role_parse(q.f1, &role) < 0)
        return TB_INVALID(err, "role", "role: must be one of admin, coordinator, company, trainee, mentor, viewer");
    enum export_format fmt;
    if (export_format_of(r, &fmt, err) < 0)
        return -1;
    if (fmt)
        return export_store_list(r, res, fmt, "users", store_user_list, &q, err);
    if (store_user_list(r->store, &r->actor, &q, &page, err) < 0)
        return -1;
    return respond_page(res, &page);
}

int h_user_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *user;
    if (store_user_get(r->store, &r->actor, r->ids[0], &user, err) < 0)
        return -1;
    res->etag = req_etag(r, user);
    return respond_json(res, 200, user);
}

int h_user_update(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t version;
    if (req_version(r, &version, err) < 0)
        return -1;
    json_t *changes = json_deep_copy(r->body), *user;
    json_object_del(changes, "version");
    int rc = store_user_update(r->store, &r->actor, r->ids[0], version, changes, &user, err);
    json_decref(changes);
    if (rc < 0)
        return -1;
    res->etag = req_etag(r, user);
    return respond_json(res, 200, user);
}
