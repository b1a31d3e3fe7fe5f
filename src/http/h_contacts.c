/*
 * h_contacts.c - the trade network's directory (issue 15):
 *   GET/POST /api/v1/contacts (?q= words, prefix, accents folded; &country=
 *   &sector= &hs= &language= &kind= &after= &limit=), GET /api/v1/contacts/facets,
 *   GET/PUT /api/v1/contacts/{id}, POST /api/v1/contacts/{id}/remove,
 *   POST /api/v1/contacts/alumni, POST /api/v1/contacts/{id}/links,
 *   DELETE /api/v1/contact-links/{id}, GET /api/v1/contacts/{id}/paths,
 *   GET /api/v1/network/paths (?country= &sector= &hs=),
 *   POST /api/v1/contacts/{id}/merge (a duplicate into this contact).
 * Staff manage their operator's contacts; the foundation curates shared ones;
 * company managers and trainees see shared contacts and the ones they
 * recorded; other operators' private contacts are 404.
 */
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/network/vcard.h"
#include "http/entity_http.h"
#include "http/export.h"
#include "http/handlers.h"
#include "service/network_service.h"
#include "store/network.h"

static const char *const visibilities[] = {"private", "shared", NULL};
static const char *const link_kinds[] = {"knows", "worked_with", "alumnus_of", "member_of", "introduced_by", NULL};

const struct field_spec contact_alumnus_fields[] = {
    {.name = "graduate_id", .type = FT_INT, .required = 1, .min = 1, .max = INT64_MAX},
    {.name = "roles", .type = FT_STRING, .max = 300},
    {.name = "visibility", .type = FT_ENUM, .allowed = visibilities}, {0},
};
const struct field_spec contact_merge_fields[] = {
    {.name = "from_id", .type = FT_INT, .required = 1, .min = 1, .max = INT64_MAX},
    {.name = "version", .type = FT_INT, .required = 1, .min = 1, .max = INT64_MAX}, {0},
};
const struct field_spec contact_link_fields[] = {
    {.name = "to_id", .type = FT_INT, .required = 1, .min = 1, .max = INT64_MAX},
    {.name = "kind", .type = FT_ENUM, .required = 1, .allowed = link_kinds},
    {.name = "strength", .type = FT_INT, .required = 1, .min = 1, .max = 5},
    {.name = "last_contact", .type = FT_DATE}, {0},
};

/* The record to store: the body, checked and defaults filled. */
static json_t *contact_of(struct request *r, struct tb_err *err)
{
    json_t *c = json_deep_copy(r->body);
    if (network_contact_normalize(c, is_staff(r), err) < 0) {
        json_decref(c);
        return NULL;
    }
    return c;
}

static int contact_org(struct request *r, int64_t *org, struct tb_err *err)
{
    json_int_t given = json_integer_value(json_object_get(r->body, "org_id"));
    if (!r->actor.all_tenants) {
        if (given && given != r->actor.tenant_id)
            return TB_NOT_FOUND(err, "organization not found");
        *org = r->actor.tenant_id;
        return 0;
    }
    if (given) {
        *org = given;
        return 0;
    }
    return store_org_foundation_id(r->store, org, err);
}

static int filters_of(struct request *r, json_t **out, struct tb_err *err)
{
    static const char *const q[] = {"country", "sector", "hs", "language", "kind", NULL};
    static const char *const key[] = {"country", "nace", "hs", "language", "kind", NULL};
    *out = json_object();
    for (int i = 0; q[i]; i++) {
        const char *v = req_query(r, q[i]);
        if (v && *v)
            json_object_set_new(*out, key[i], json_string(v));
    }
    if (network_filters_check(*out, err) < 0) {
        json_decref(*out);
        return -1;
    }
    return 0;
}

static int query_int(struct request *r, const char *name, long long lo, long long hi, long long dflt, long long *out,
                     struct tb_err *err)
{
    const char *s = req_query(r, name);
    char *end;
    long long v = s ? strtoll(s, &end, 10) : dflt;
    if (s && (*end || v < lo || v > hi))
        return TB_INVALID(err, name, "%s: expected a number from %lld to %lld", name, lo, hi);
    *out = v;
    return 0;
}

/* The columns of a directory export, as the CSV import reads them back: id
 * and version make an edited export update the contacts it names; the
 * operator's name (owner_name, under org_name) is for reading only. */
static const char *const export_columns[] = {"id", "kind", "category", "name", "organisation", "roles", "email",
                                             "phone", "country", "city", "nace", "hs", "languages", "markets", "tags",
                                             "source", "visibility", "legal_basis", "consent", "org_name", "version",
                                             NULL};

/* ?format=csv|xlsx|vcf: every contact the search finds (at most 10,000). */
static int export_contacts(struct request *r, struct response *res, const char *format, json_t *f, struct tb_err *err)
{
    json_t *all = json_array(), *page;
    int64_t after = 0;
    const char *q = req_query(r, "q");
    int rc = 0;
    do {   /* full text answers in one ranked page; the directory in pages of 200 */
        rc = network_search(r->store, &r->actor, q, f, after, 200, &page, err);
        if (rc < 0)
            break;
        size_t n = json_array_size(page);
        for (size_t i = 0; i < n; i++) {
            json_t *c = json_array_get(page, i), *row = json_object();
            after = json_integer_value(json_object_get(c, "id"));
            json_object_set(c, "org_name", json_object_get(c, "owner_name"));
            for (int k = 0; export_columns[k]; k++)
                json_object_set(row, export_columns[k], json_object_get(c, export_columns[k]) ? json_object_get(c, export_columns[k]) : json_null());
            json_array_append_new(all, row);
        }
        json_decref(page);
        if (n < 200 || (q && *q))
            break;
    } while (json_array_size(all) < 10000);
    if (rc < 0) {
        json_decref(all);
        return -1;
    }
    if (!strcmp(format, "vcf")) {
        size_t len;
        char *text = vcard_write(all, &len);
        json_decref(all);
        if (!text)
            return TB_INTERNAL(err, "out of memory");
        res->status = 200;
        res->raw = res->raw_owned = text;
        res->raw_len = len;
        res->content_type = "text/vcard; charset=utf-8";
        res->content_disposition = "attachment; filename=\"contacts.vcf\"";
        res->cache_control = "private, no-store";
        return 0;
    }
    enum export_format fmt;
    rc = export_format_of(r, &fmt, err);
    if (rc == 0)
        rc = export_send_rows(r, res, fmt, "contacts", all, err);
    json_decref(all);
    return rc;
}

int h_contact_list(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *f, *items;
    long long limit, after;
    if (query_int(r, "limit", 1, 200, 50, &limit, err) < 0 || query_int(r, "after", 0, INT64_MAX, 0, &after, err) < 0 ||
        filters_of(r, &f, err) < 0)
        return -1;
    const char *format = req_query(r, "format");
    if (format && strcmp(format, "json")) {
        int rc = export_contacts(r, res, format, f, err);
        json_decref(f);
        return rc;
    }
    int rc = network_search(r->store, &r->actor, req_query(r, "q"), f, after, (int)limit, &items, err);
    json_decref(f);
    return rc < 0 ? -1 : respond_json(res, 200, json_pack("{s:o}", "items", items));
}

int h_contact_facets(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *f, *out;
    if (filters_of(r, &f, err) < 0)
        return -1;
    int rc = store_contact_facets(r->store, &r->actor, f, &out, err);
    json_decref(f);
    return rc < 0 ? -1 : respond_json(res, 200, out);
}

static int reply_contact(struct request *r, struct response *res, int status, int64_t id, struct tb_err *err)
{
    json_t *c, *links;
    if (store_contact_get(r->store, &r->actor, id, &c, err) < 0)
        return -1;
    if (store_link_list(r->store, &r->actor, id, &links, err) < 0) {
        json_decref(c);
        return -1;
    }
    json_object_set_new(c, "links", links);
    if (status == 201)
        res->location = arena_printf(r->arena, "/api/v1/contacts/%lld", (long long)id);
    return entity_reply(r, res, status, c);
}

int h_contact_get(struct request *r, struct response *res, struct tb_err *err)
{
    return reply_contact(r, res, 200, r->ids[0], err);
}

int h_contact_create(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t org, id;
    json_t *c;
    if (contact_org(r, &org, err) < 0 || !(c = contact_of(r, err)))
        return -1;
    json_object_set_new(c, "org_id", json_integer(org));
    int rc = store_contact_create(r->store, &r->actor, c, &id, err);
    json_decref(c);
    return rc < 0 ? -1 : reply_contact(r, res, 201, id, err);
}

int h_contact_update(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t version;
    json_t *c;
    if (req_version(r, &version, err) < 0 || !(c = contact_of(r, err)))
        return -1;
    int rc = store_contact_update(r->store, &r->actor, r->ids[0], version, c, err);
    json_decref(c);
    return rc < 0 ? -1 : reply_contact(r, res, 200, r->ids[0], err);
}

int h_contact_remove(struct request *r, struct response *res, struct tb_err *err)
{
    if (store_contact_remove(r->store, &r->actor, r->ids[0], err) < 0)
        return -1;
    return reply_contact(r, res, 200, r->ids[0], err);
}

int h_contact_alumnus(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t id;
    const char *vis = json_string_value(json_object_get(r->body, "visibility"));
    if (store_contact_alumnus(r->store, &r->actor, json_integer_value(json_object_get(r->body, "graduate_id")),
                              json_string_value(json_object_get(r->body, "roles")), vis ? vis : "shared", &id,
                              err) < 0)
        return -1;
    return reply_contact(r, res, 201, id, err);
}

int h_contact_link_create(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t org, id;
    if (contact_org(r, &org, err) < 0)
        return -1;
    struct link_write w = {.org_id = org, .from_id = r->ids[0],
                           .to_id = json_integer_value(json_object_get(r->body, "to_id")),
                           .kind = json_string_value(json_object_get(r->body, "kind")),
                           .strength = (int)json_integer_value(json_object_get(r->body, "strength")),
                           .last_contact = json_string_value(json_object_get(r->body, "last_contact"))};
    if (store_link_create(r->store, &r->actor, &w, &id, err) < 0)
        return -1;
    return reply_contact(r, res, 201, r->ids[0], err);
}

int h_contact_link_delete(struct request *r, struct response *res, struct tb_err *err)
{
    if (store_link_delete(r->store, &r->actor, r->ids[0], err) < 0)
        return -1;
    return respond_no_content(res);
}

static int paths_reply(struct request *r, struct response *res, int64_t target, const json_t *f, struct tb_err *err)
{
    long long k;
    json_t *paths;
    if (query_int(r, "k", 1, 20, 5, &k, err) < 0 || network_paths(r->store, &r->actor, target, f, (int)k, &paths, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:o}", "paths", paths));
}

int h_contact_paths(struct request *r, struct response *res, struct tb_err *err)
{
    return paths_reply(r, res, r->ids[0], NULL, err);
}

int h_network_paths(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *f;
    if (filters_of(r, &f, err) < 0)
        return -1;
    if (!json_object_size(f)) {
        json_decref(f);
        return TB_INVALID(err, "country", "country: describe whom you look for (country, sector or hs)");
    }
    int rc = paths_reply(r, res, 0, f, err);
    json_decref(f);
    return rc;
}

/* POST /api/v1/contacts/{id}/merge {from_id, version}: the duplicate from_id
 * goes into this contact; the answer is the merged contact with "merge" (what moved). */
int h_contact_merge(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t version;
    json_t *summary = NULL;
    if (req_version(r, &version, err) < 0 ||
        network_contact_merge(r->store, &r->actor, r->ids[0], version,
                              json_integer_value(json_object_get(r->body, "from_id")), &summary, err) < 0)
        return -1;
    json_t *c, *links;
    if (store_contact_get(r->store, &r->actor, r->ids[0], &c, err) < 0) {
        json_decref(summary);
        return -1;
    }
    if (store_link_list(r->store, &r->actor, r->ids[0], &links, err) == 0)
        json_object_set_new(c, "links", links);
    json_object_set_new(c, "merge", summary);
    return entity_reply(r, res, 200, c);
}
