/*
 * h_graduates.c - candidates and trainees: profiles, consent, CV files,
 * and the GDPR rights (export everything held; erase personal data).
 * A trainee reads and edits their own record; staff see their operator's.
 * The workflows are src/service/graduate_service.c.
 */
#include <stdlib.h>
#include <string.h>

#include "http/entity_http.h"
#include "core/fields.h"
#include "http/handlers.h"
#include "service/graduate_service.h"

const struct field_spec consent_fields[] = {
    {.name = "purpose", .type = FT_STRING, .required = 1, .min = 3, .max = 300},
    {.name = "text_version", .type = FT_STRING, .required = 1, .min = 1, .max = 40},
    {0},
};

static void decorate_graduate(struct request *r, json_t *g)
{
    (void)r;
    json_object_set_new(g, "has_cv", json_boolean(json_is_string(json_object_get(g, "cv_sha256"))));
}

int h_graduate_list(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_list(r, res, ENT_GRADUATE, decorate_graduate, err);
}

int h_graduate_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *g;
    if (entity_load(r, ENT_GRADUATE, &g, err) < 0)
        return -1;
    decorate_graduate(r, g);
    return entity_reply(r, res, 200, g);
}

int h_graduate_create(struct request *r, struct response *res, struct tb_err *err)
{
    if (graduate_languages_once(r->body, err) < 0)
        return -1;
    int rc = entity_create(r, res, ENT_GRADUATE, r->body, "graduates", decorate_graduate, err);
    if (rc < 0 && err->status == 409)
        tb_error(err, TB_E_CONFLICT, "email", "email: a graduate with this address is already registered");
    return rc;
}

int h_graduate_update(struct request *r, struct response *res, struct tb_err *err)
{
    if (graduate_service_editable(r->store, &r->actor, r->ids[0], err) < 0 || graduate_languages_once(r->body, err) < 0)
        return -1;
    int rc = entity_update(r, res, ENT_GRADUATE, r->body, decorate_graduate, err);
    if (rc < 0 && err->status == 409 && !strcmp(err->code, "conflict"))
        tb_error(err, TB_E_CONFLICT, "email", "email: a graduate with this address is already registered");
    return rc;
}

int h_graduate_delete(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_delete(r, res, ENT_GRADUATE, err);
}

int h_graduate_consent(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *out;
    if (graduate_service_consent(r->store, &r->actor, r->ids[0], json_string_value(json_object_get(r->body, "purpose")),
                                 json_string_value(json_object_get(r->body, "text_version")), &out, err) < 0)
        return -1;
    decorate_graduate(r, out);
    return entity_reply(r, res, 200, out);
}

int h_graduate_consent_withdraw(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *out;
    if (graduate_service_consent(r->store, &r->actor, r->ids[0], NULL, NULL, &out, err) < 0)
        return -1;
    decorate_graduate(r, out);
    return entity_reply(r, res, 200, out);
}

/* ---- CV ---- */

int h_graduate_cv_put(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *out;
    if (graduate_service_cv_put(r->store, &r->actor, r->ids[0], req_header(r, "Content-Type"), r->raw_body,
                                r->raw_len, req_query(r, "filename"), &out, err) < 0)
        return -1;
    decorate_graduate(r, out);
    return entity_reply(r, res, 200, out);
}

int h_graduate_cv_get(struct request *r, struct response *res, struct tb_err *err)
{
    void *data;
    size_t len;
    char sha[65];
    if (store_cv_get(r->store, &r->actor, r->ids[0], &data, &len, sha, err) < 0)
        return -1;
    void *copy = arena_alloc(r->arena, len ? len : 1);
    if (copy)
        memcpy(copy, data, len);
    free(data);
    if (!copy)
        return TB_INTERNAL(err, "out of memory");
    res->status = 200;
    res->raw = copy;
    res->raw_len = len;
    res->content_type = "application/pdf";
    res->content_disposition = arena_printf(r->arena, "attachment; filename=\"cv-%lld.pdf\"", (long long)r->ids[0]);
    res->etag = arena_printf(r->arena, "\"%s\"", sha);
    res->cache_control = "private, no-store";
    return 0;
}

/* ---- GDPR ---- */

int h_graduate_export(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *out;
    if (graduate_service_export(r->store, &r->actor, r->ids[0], &out, err) < 0)
        return -1;
    res->content_disposition = arena_printf(r->arena, "attachment; filename=\"graduate-%lld.json\"",
                                            (long long)r->ids[0]);
    return respond_json(res, 200, out);
}

int h_graduate_erase(struct request *r, struct response *res, struct tb_err *err)
{
    if (store_graduate_erase(r->store, &r->actor, r->ids[0], err) < 0)
        return -1;
    json_t *g;
    if (entity_load(r, ENT_GRADUATE, &g, err) < 0)
        return -1;
    decorate_graduate(r, g);
    return entity_reply(r, res, 200, g);
}
