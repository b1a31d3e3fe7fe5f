/*
 * h_codes.c - code lists for pickers: GET /api/v1/codes/{list}?q=
 * (countries, currencies, languages, cefr, nace, hs, eqf, isced-f).
 */
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "http/handlers.h"

#define CODES_PAGE_MAX 200

static json_t *entry_json(const struct code_entry *e)
{
    json_t *o = json_pack("{s:s, s:s}", "code", e->code, "name", e->name);
    if (e->parent[0])
        json_object_set_new(o, "parent", json_string(e->parent));
    json_object_set_new(o, "level", json_integer(e->level));
    if (e->extra[0])
        json_object_set_new(o, "extra", json_string(e->extra));
    return o;
}

int h_codes_search(struct request *r, struct response *res, struct tb_err *err)
{
    const char *name = r->path + strlen("/api/v1/codes/");
    enum code_list list;
    if (codes_list_by_name(name, &list) < 0)
        return TB_NOT_FOUND(err, "no code list '%s' (try countries, currencies, languages, cefr, nace, hs, eqf, isced-f)", name);
    const char *q = req_query(r, "q");
    const char *limit_text = req_query(r, "limit");
    long limit = 50;
    if (limit_text) {
        char *end;
        limit = strtol(limit_text, &end, 10);
        if (*end || limit < 1 || limit > CODES_PAGE_MAX)
            return TB_INVALID(err, "limit", "limit: must be a whole number from 1 to %d", CODES_PAGE_MAX);
    }
    if (q && (strlen(q) > 100 || !valid_utf8(q, strlen(q))))
        return TB_INVALID(err, "q", "q: must be UTF-8 text of at most 100 bytes");
    json_t *items = json_array();
    if (q && *q) {
        const struct code_entry *found[CODES_PAGE_MAX];
        size_t n = codes_search(list, q, found, (size_t)limit);
        for (size_t i = 0; i < n; i++)
            json_array_append_new(items, entry_json(found[i]));
    } else {
        size_t n = codes_count(list);
        for (size_t i = 0; i < n && i < (size_t)limit; i++)
            json_array_append_new(items, entry_json(codes_at(list, i)));
    }
    res->cache_control = "private, max-age=3600";
    return respond_json(res, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}
