/*
 * h_orgs.c - organizations: the foundation and the national operators.
 */
#include <string.h>

#include "core/codes.h"
#include "http/handlers.h"

static const char *const org_kinds[] = {"operator", "foundation", NULL};

const struct field_spec org_create_fields[] = {
    {.name = "name", .type = FT_STRING, .required = 1, .min = 2, .max = 120},
    {.name = "country", .type = FT_CODE, .code_list = CODES_COUNTRY},
    {.name = "kind", .type = FT_ENUM, .allowed = org_kinds},
    {0},
};

/* In a PATCH, required means "may be left out, may not be emptied". */
const struct field_spec org_update_fields[] = {
    {.name = "name", .type = FT_STRING, .required = 1, .min = 2, .max = 120},
    {.name = "country", .type = FT_CODE, .required = 1, .code_list = CODES_COUNTRY},
    {.name = "version", .type = FT_INT, .min = 1, .max = 1000000000},
    {0},
};

int h_org_list(struct request *r, struct response *res, struct tb_err *err)
{
    struct list_query q;
    struct list_page page;
    if (req_list_query(r, &q, "kind", NULL, NULL, err) < 0 ||
        store_org_list(r->store, &r->actor, &q, &page, err) < 0)
        return -1;
    return respond_page(res, &page);
}

int h_org_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *org;
    if (store_org_get(r->store, &r->actor, r->ids[0], &org, err) < 0)
        return -1;
    res->etag = req_etag(r, org);
    return respond_json(res, 200, org);
}

int h_org_create(struct request *r, struct response *res, struct tb_err *err)
{
    const char *kind = json_string_value(json_object_get(r->body, "kind"));
    const char *name = json_string_value(json_object_get(r->body, "name"));
    const char *country = json_string_value(json_object_get(r->body, "country"));
    if (!kind)
        kind = "operator";
    int64_t parent = 0, id;
    if (!strcmp(kind, "operator")) {
        if (!country)
            return TB_INVALID(err, "country", "country: is required for a national operator");
        if (store_org_foundation_id(r->store, &parent, err) < 0)
            return -1;
    } else {
        struct tb_err e;
        if (store_org_foundation_id(r->store, &parent, &e) == 0)
            return tb_error(err, TB_E_CONFLICT, "kind", "kind: there is already a foundation");
        parent = 0;
    }
    if (store_org_create(r->store, &r->actor, kind, name, country, parent, &id, err) < 0)
        return -1;
    json_t *org;
    if (store_org_get(r->store, &r->actor, id, &org, err) < 0)
        return -1;
    res->location = arena_printf(r->arena, "/api/v1/orgs/%lld", (long long)id);
    res->etag = req_etag(r, org);
    return respond_json(res, 201, org);
}

int h_org_update(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t version;
    if (req_version(r, &version, err) < 0)
        return -1;
    json_t *changes = json_deep_copy(r->body), *org;
    json_object_del(changes, "version");
    int rc = store_org_update(r->store, &r->actor, r->ids[0], version, changes, &org, err);
    json_decref(changes);
    if (rc < 0)
        return -1;
    res->etag = req_etag(r, org);
    return respond_json(res, 200, org);
}

int h_org_delete(struct request *r, struct response *res, struct tb_err *err)
{
    if (store_org_delete(r->store, &r->actor, r->ids[0], err) < 0)
        return -1;
    return respond_no_content(res);
}
