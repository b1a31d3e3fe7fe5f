/*
 * h_curricula.c - curricula as versioned competency frameworks: list, read
 * (answer keys only for staff), create from a curriculum document, new
 * versions, edits (a frozen version's edit becomes a new draft), the diff
 * between two versions. A curriculum document is the file the CLI imports
 * and exports: {"code", "title", "description", "modules": [...]}.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/curriculum.h"
#include "http/entity_http.h"
#include "http/handlers.h"
#include "http/training.h"
#include "store/store_training.h"

static int parse_body(struct request *r, json_t **doc, json_t **content, struct tb_err *err)
{
    const char *ct = req_header(r, "Content-Type");
    if (!ct || strncasecmp(ct, "application/json", 16))
        return tb_error(err, TB_E_UNSUPPORTED_MEDIA_TYPE, "Content-Type",
                       "Content-Type: send the curriculum document as application/json");
    return curriculum_document_parse(r->raw_body, r->raw_len, doc, content, err);
}

int h_curriculum_list(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *items;
    if (store_curriculum_list(r->store, &r->actor, &items, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

int h_curriculum_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *c;
    if (store_curriculum_get(r->store, &r->actor, r->ids[0], &c, err) < 0)
        return -1;
    return respond_json(res, 200, c);
}

int h_curriculum_create(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t org, id, vid;
    json_t *doc, *content;
    if (req_operator(r, &org, err) < 0 || parse_body(r, &doc, &content, err) < 0)
        return -1;
    int rc = store_curriculum_create(r->store, &r->actor, org, json_string_value(json_object_get(doc, "code")),
                                     json_string_value(json_object_get(content, "title")), content, &id, &vid, err);
    json_decref(doc);
    json_decref(content);
    json_t *c;
    if (rc < 0 || store_curriculum_get(r->store, &r->actor, id, &c, err) < 0)
        return -1;
    res->location = arena_printf(r->arena, "/api/v1/curricula/%lld", (long long)id);
    return respond_json(res, 201, c);
}

static int reply_version(struct request *r, struct response *res, int status, int64_t id, struct tb_err *err)
{
    json_t *v;
    if (store_cversion_get(r->store, &r->actor, id, &v, err) < 0)
        return -1;
    if (!is_staff(r))
        json_object_set_new(v, "content", curriculum_without_keys(json_object_get(v, "content")));
    if (status == 201)
        res->location = arena_printf(r->arena, "/api/v1/curriculum-versions/%lld", (long long)id);
    res->etag = req_etag(r, v);
    return respond_json(res, status, v);
}

int h_curriculum_version_add(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *c, *doc, *content;
    if (store_curriculum_get(r->store, &r->actor, r->ids[0], &c, err) < 0)
        return -1;
    int64_t org = json_integer_value(json_object_get(c, "org_id"));
    json_decref(c);
    if (org != r->actor.tenant_id && !r->actor.all_tenants)
        return tb_error(err, TB_E_FORBIDDEN, "", "this curriculum belongs to the foundation; import it to edit a copy");
    if (parse_body(r, &doc, &content, err) < 0)
        return -1;
    int64_t vid;
    int rc = store_cversion_add(r->store, &r->actor, r->ids[0], content, &vid, err);
    json_decref(doc);
    json_decref(content);
    return rc < 0 ? -1 : reply_version(r, res, 201, vid, err);
}

int h_curriculum_version_get(struct request *r, struct response *res, struct tb_err *err)
{
    return reply_version(r, res, 200, r->ids[0], err);
}

int h_curriculum_version_update(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *old, *doc, *content;
    int64_t version, new_id;
    if (store_cversion_get(r->store, &r->actor, r->ids[0], &old, err) < 0)
        return -1;
    int draft = !strcmp(json_string_value(json_object_get(old, "status")), "draft");
    int64_t current = json_integer_value(json_object_get(old, "version"));
    json_decref(old);
    if (req_version(r, &version, err) < 0)
        return -1;
    /* A stale edit of a draft is refused before the body is read; a frozen
     * version is never changed, so any edit of it becomes a new draft. */
    if (draft && version != current)
        return tb_error(err, TB_E_VERSION_MISMATCH, "version",
                       "version: the record was changed by someone else (now version %lld); reload and retry",
                       (long long)current);
    if (parse_body(r, &doc, &content, err) < 0)
        return -1;
    int rc = store_cversion_update(r->store, &r->actor, r->ids[0], version, content, &new_id, err);
    json_decref(doc);
    json_decref(content);
    if (rc < 0)
        return -1;
    return new_id ? reply_version(r, res, 201, new_id, err) : reply_version(r, res, 200, r->ids[0], err);
}

int h_curriculum_version_diff(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *a, *b;
    if (store_cversion_get(r->store, &r->actor, r->ids[0], &b, err) < 0)
        return -1;
    const char *with = req_query(r, "with");
    char *end;
    long long other = with ? strtoll(with, &end, 10) : 0;
    if (!with || *end || other <= 0) {
        json_decref(b);
        return TB_INVALID(err, "with", "with: the id of the version to compare with (?with=)");
    }
    if (store_cversion_get(r->store, &r->actor, other, &a, err) < 0) {
        json_decref(b);
        return -1;
    }
    json_t *d = curriculum_diff(json_object_get(a, "content"), json_object_get(b, "content"));
    json_t *out = json_pack("{s:O, s:O, s:o}", "from", json_object_get(a, "ref"), "to", json_object_get(b, "ref"), "diff", d);
    json_decref(a);
    json_decref(b);
    return respond_json(res, 200, out);
}

int training_cohort_curriculum(struct request *r, const json_t *body, const json_t *old, struct tb_err *err)
{
    const char *ref = json_string_value(json_object_get(body, "curriculum_version"));
    if (!ref || !strchr(ref, '@'))
        return 0;   /* a free label: no curriculum, no learning plans */
    json_t *org = json_object_get(body, "org_id");
    int64_t org_id = json_is_integer(org) ? json_integer_value(org)
                     : old ? json_integer_value(json_object_get(old, "org_id")) : r->actor.tenant_id;
    json_t *v;
    if (store_cversion_by_ref(r->store, &r->actor, org_id, ref, &v, err) < 0)
        return -1;
    int rc = store_cversion_freeze(r->store, &r->actor, json_integer_value(json_object_get(v, "id")), err);
    json_decref(v);
    return rc;
}
