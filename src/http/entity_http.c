/*
 * entity_http.c - list/read/create/update/delete shared by h_companies.c,
 * h_graduates.c, h_cohorts.c, h_positions.c, h_applications.c and
 * h_placements.c. Rules particular to a resource stay in its file.
 */
#include "http/entity_http.h"
#include "http/export.h"
#include "core/json_text.h"

#include <stdlib.h>
#include <string.h>

int is_staff(const struct request *r)
{
    return r->actor.all_tenants || actor_has(&r->actor, ROLES_STAFF);
}

int entity_list(struct request *r, struct response *res, enum entity e, entity_decorate_fn decorate,
                struct tb_err *err)
{
    return entity_list_with(r, res, e, decorate, NULL, err);
}

int entity_list_with(struct request *r, struct response *res, enum entity e, entity_decorate_fn decorate,
                     const struct row_member *x, struct tb_err *err)
{
    struct list_query q;
    enum export_format fmt;
    if (req_list_query(r, &q, NULL, NULL, NULL, err) < 0 || export_format_of(r, &fmt, err) < 0)
        return -1;
    json_t *filters = json_object();
    for (const char *const *f = entity_filters(e); *f; f++) {
        const char *v = req_query(r, *f);
        if (!v || !*v)
            continue;
        if (strlen(v) > 100 || !valid_utf8(v, strlen(v))) {
            json_decref(filters);
            return TB_INVALID(err, *f, "%s: must be UTF-8 text of at most 100 bytes", *f);
        }
        json_object_set_new(filters, *f, json_string(v));
    }
    int rc;
    if (fmt) {   /* ?format=csv|xlsx: every page as a download (export.c) */
        rc = export_entity_list(r, res, fmt, e, &q, filters, decorate, err);
    } else if (decorate && !x) {   /* a decoration only a JSON tree can make */
        struct list_page page;
        rc = store_entity_list(r->store, &r->actor, e, &q, filters, &page, err);
        if (rc == 0) {
            size_t i;
            json_t *row;
            json_array_foreach(page.items, i, row)
                decorate(r, row);
            rc = respond_page(res, &page);
        }
    } else {   /* {"items": [...], "next_cursor": ...} as respond_page writes it */
        struct abuf text;
        char *next = NULL;
        abuf_init(&text, r->arena, SIZE_MAX);
        abuf_append(&text, "{", 1);
        jt_key(&text, "items");
        rc = store_entity_list_text(r->store, &r->actor, e, &q, filters, x, &text, &next, err);
        if (rc == 0) {
            abuf_append(&text, ",", 1);
            jt_key(&text, "next_cursor");
            if (next)
                jt_string(&text, next, strlen(next));
            else
                abuf_append(&text, "null", 4);
            abuf_append(&text, "}", 1);
            free(next);
            rc = respond_json_text(res, 200, &text);
        }
    }
    json_decref(filters);
    return rc < 0 ? -1 : 0;
}

int entity_load(struct request *r, enum entity e, json_t **out, struct tb_err *err)
{
    return store_entity_get(r->store, &r->actor, e, r->ids[0], out, err);
}

int entity_get_answer(struct request *r, struct response *res, enum entity e, const struct row_member *x,
                      struct tb_err *err)
{
    struct abuf text;
    abuf_init(&text, r->arena, SIZE_MAX);
    int64_t version;
    if (store_entity_get_text(r->store, &r->actor, e, r->ids[0], x, &text, &version, err) < 0)
        return -1;
    res->etag = version >= 0 ? arena_printf(r->arena, "\"v%lld\"", (long long)version) : NULL;
    return respond_json_text(res, 200, &text);
}

int entity_reply(struct request *r, struct response *res, int status, json_t *record)
{
    res->etag = req_etag(r, record);
    return respond_json(res, status, record);
}

int entity_answer(struct request *r, struct response *res, int rc, json_t **record)
{
    return rc < 0 ? -1 : entity_reply(r, res, 200, *record);
}

int entity_created(struct request *r, struct response *res, int rc, const char *collection, const int64_t *id,
                   json_t **record)
{
    if (rc < 0)
        return -1;
    res->location = arena_printf(r->arena, "/api/v1/%s/%lld", collection, (long long)*id);
    return entity_reply(r, res, 201, *record);
}

int entity_create(struct request *r, struct response *res, enum entity e, const json_t *fields,
                  const char *collection, entity_decorate_fn decorate, struct tb_err *err)
{
    int64_t id;
    json_t *record;
    if (store_entity_create(r->store, &r->actor, e, fields, &id, err) < 0 ||
        store_entity_get(r->store, &r->actor, e, id, &record, err) < 0)
        return -1;
    if (decorate)
        decorate(r, record);
    res->location = arena_printf(r->arena, "/api/v1/%s/%lld", collection, (long long)id);
    return entity_reply(r, res, 201, record);
}

int entity_update(struct request *r, struct response *res, enum entity e, const json_t *changes,
                  entity_decorate_fn decorate, struct tb_err *err)
{
    int64_t version;
    if (req_version(r, &version, err) < 0)
        return -1;
    json_t *c = json_deep_copy(changes), *record;
    json_object_del(c, "version");
    int rc = store_entity_update(r->store, &r->actor, e, r->ids[0], version, c, &record, err);
    json_decref(c);
    if (rc < 0)
        return -1;
    if (decorate)
        decorate(r, record);
    return entity_reply(r, res, 200, record);
}

int entity_delete(struct request *r, struct response *res, enum entity e, struct tb_err *err)
{
    if (store_entity_delete(r->store, &r->actor, e, r->ids[0], err) < 0)
        return -1;
    return respond_no_content(res);
}

int req_operator(struct request *r, int64_t *org, struct tb_err *err)
{
    const char *q = req_query(r, "org_id");
    if (!q) {
        if (r->actor.all_tenants)
            return TB_INVALID(err, "org_id", "org_id: the foundation must say which operator (?org_id=)");
        *org = r->actor.tenant_id;
        return 0;
    }
    char *end;
    long long v = strtoll(q, &end, 10);
    if (*end || v <= 0)
        return TB_INVALID(err, "org_id", "org_id: expected an operator id");
    json_t *o;
    if (store_org_get(r->store, &r->actor, v, &o, err) < 0)
        return -1;
    json_decref(o);
    *org = v;
    return 0;
}
