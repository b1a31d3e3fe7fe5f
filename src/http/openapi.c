/*
 * openapi.c - the OpenAPI 3.1 document of the API, built from the one route
 * table (routes.c: method, path, roles, declared body, summary, resource,
 * success answers) and the declared fields (core/validate.h field_spec).
 * Nothing here is written by hand per route: a new row in routes.c appears
 * in GET /api/v1/openapi.json and `tradebridge openapi`.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/config.h"
#include "http/handlers.h"
#include "http/openapi.h"
#include "store/entity.h"

#ifndef TB_VERSION
#define TB_VERSION "0.1.0"
#endif

static json_t *field_schema(const struct field_spec *f);

#include "http/openapi_records.inc"   /* record_columns[]: read-only columns, from records/<type>.json */

/* The properties and required names of declared fields. */
static json_t *object_schema(const struct field_spec *fields, int closed, int nullable_optional)
{
    json_t *props = json_object(), *required = json_array();
    for (const struct field_spec *f = fields; f && f->name; f++) {
        json_t *s = field_schema(f);
        if (f->required)
            json_array_append_new(required, json_string(f->name));
        else if (nullable_optional) {
            /* optional fields may be sent (and are answered) as null */
            json_t *t = json_object_get(s, "type");
            if (json_is_string(t))
                json_object_set_new(s, "type", json_pack("[s, s]", json_string_value(t), "null"));
            if (json_object_get(s, "enum"))
                json_array_append_new(json_object_get(s, "enum"), json_null());
        }
        json_object_set_new(props, f->name, s);
    }
    json_t *o = json_pack("{s:s, s:o}", "type", "object", "properties", props);
    if (json_array_size(required))
        json_object_set_new(o, "required", required);
    else
        json_decref(required);
    if (closed)
        json_object_set_new(o, "additionalProperties", json_false());
    return o;
}

static json_t *field_schema(const struct field_spec *f)
{
    json_t *s = json_object();
    switch (f->type) {
    case FT_STRING:
    case FT_TEXT:
    case FT_PASSWORD:
        json_object_set_new(s, "type", json_string("string"));
        if (f->min)
            json_object_set_new(s, "minLength", json_integer(f->min));
        json_object_set_new(s, "maxLength", json_integer(f->max ? f->max : f->type == FT_TEXT ? 20000 : 500));
        if (f->type == FT_PASSWORD) {
            json_object_set_new(s, "format", json_string("password"));
            json_object_set_new(s, "writeOnly", json_true());
        }
        break;
    case FT_EMAIL:
        json_object_set_new(s, "type", json_string("string"));
        json_object_set_new(s, "format", json_string("email"));
        break;
    case FT_DATE:
        json_object_set_new(s, "type", json_string("string"));
        json_object_set_new(s, "format", json_string("date"));
        break;
    case FT_URL:
        json_object_set_new(s, "type", json_string("string"));
        json_object_set_new(s, "format", json_string("uri"));
        break;
    case FT_ENUM: {
        json_t *e = json_array();
        for (const char *const *a = f->allowed; a && *a; a++)
            json_array_append_new(e, json_string(*a));
        json_object_set_new(s, "type", json_string("string"));
        json_object_set_new(s, "enum", e);
        break;
    }
    case FT_CODE: {
        const char *list = codes_list_name((enum code_list)f->code_list);
        json_object_set_new(s, "type", json_string("string"));
        if (list)
            json_object_set_new(s, "description",
                                json_sprintf("a code of the list \"%s\" (GET /api/v1/codes/%s)", list, list));
        break;
    }
    case FT_INT:
    case FT_NUMBER:
        json_object_set_new(s, "type", json_string(f->type == FT_INT ? "integer" : "number"));
        if (f->min || f->max) {
            json_object_set_new(s, "minimum", json_integer(f->min));
            json_object_set_new(s, "maximum", json_integer(f->max));
        }
        break;
    case FT_BOOL:
        json_object_set_new(s, "type", json_string("boolean"));
        break;
    case FT_ARRAY:
        json_object_set_new(s, "type", json_string("array"));
        if (f->items)
            json_object_set_new(s, "items", field_schema(f->items));
        if (f->min)
            json_object_set_new(s, "minItems", json_integer(f->min));
        json_object_set_new(s, "maxItems", json_integer(f->max ? f->max : 100));
        break;
    case FT_OBJECT: {
        json_decref(s);
        return object_schema(f->items, 1, 1);
    }
    }
    return s;
}

/* The record schema of a resource: the fields of its first declared body
 * (the create route's, else the update route's), as answered: optional ones
 * may be null, write-only ones are left out, records carry more (id, version,
 * names of what they refer to), so the object stays open. */
static json_t *record_schema(const char *resource)
{
    const struct field_spec *fields = NULL;
    for (int pass = 0; pass < 2 && !fields; pass++)
        for (int i = 0; i < routes_count && !fields; i++)
            if (routes[i].body && routes[i].resource && !strcmp(routes[i].resource, resource) &&
                (pass || !(routes[i].flags & ROUTE_PARTIAL)) && strcmp(routes[i].method, "GET"))
                fields = routes[i].body;
    json_t *o = fields ? object_schema(fields, 0, 1) : json_pack("{s:s, s:{}}", "type", "object", "properties");
    json_t *props = json_object_get(o, "properties");
    const char *key;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(props, tmp, key, v) {
        if (json_is_true(json_object_get(v, "writeOnly")))
            json_object_del(props, key);
        else if (!strcmp(key, "version"))
            json_object_del(props, key);
    }
    json_object_del(o, "required");
    for (const struct record_column *c = record_columns; c->resource; c++)
        if (!strcmp(c->resource, resource) && !json_object_get(props, c->name))
            json_object_set_new(props, c->name, json_pack("{s:[s, s], s:b}", "type", c->type, "null", "readOnly", 1));
    json_object_set_new(props, "id", json_pack("{s:s, s:i}", "type", "integer", "minimum", 1));
    json_object_set_new(props, "version", json_pack("{s:s, s:i, s:s}", "type", "integer", "minimum", 1,
                                                    "description", "send it back as If-Match when changing the record"));
    if (fields) /* a record (code list entries are not) */
        json_object_set_new(o, "required", json_pack("[s]", "id"));
    return o;
}

static const char *shape_ref(const char *shape, const char *resource, char *buf, size_t size)
{
    const char *name = !strcmp(shape, "item") || !strcmp(shape, "page") ? resource : shape;
    snprintf(buf, size, "#/components/schemas/%s", name);
    return buf;
}

/* One operationId per (method, path): "get" + the path's words. */
static json_t *operation_id(const struct route *rt)
{
    char id[160];
    size_t n = 0;
    for (const char *m = rt->method; *m && n < sizeof id - 1; m++)
        id[n++] = (char)(*m | 0x20);
    int upper = 1;
    const char *p = rt->pattern;
    if (!strncmp(p, "/api/v1", 7))
        p += 7;
    for (; *p && n < sizeof id - 1; p++) {
        char c = *p;
        if (c == '{') {
            const char *by = "By";
            for (; *by && n < sizeof id - 1; by++)
                id[n++] = *by;
            upper = 1;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            id[n++] = upper && c >= 'a' ? (char)(c - 32) : c;
            upper = 0;
        } else {
            upper = 1;
        }
    }
    id[n] = 0;
    return json_string(id);
}

/* The path template: the n-th "{id}" (n > 1) becomes "{idN}", since OpenAPI
 * names each parameter once. Fills params with their declarations. */
static char *path_template(const char *pattern, json_t *params)
{
    static const char id_desc[] = "a record id (positive integer)";
    char *out = malloc(strlen(pattern) + 16);
    if (!out)
        return NULL;
    size_t n = 0;
    int ids = 0;
    for (const char *p = pattern; *p;) {
        if (*p != '{') {
            out[n++] = *p++;
            continue;
        }
        const char *end = strchr(p, '}');
        char name[48];
        snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
        json_t *schema;
        const char *desc;
        if (!strcmp(name, "id")) {
            if (++ids > 1)
                snprintf(name, sizeof name, "id%d", ids);
            schema = json_pack("{s:s, s:i}", "type", "integer", "minimum", 1);
            desc = id_desc;
        } else {
            schema = json_pack("{s:s, s:s}", "type", "string", "pattern", "^[a-z0-9-]{1,40}$");
            desc = "a name (1-40 of a-z, 0-9, -)";
        }
        n += (size_t)sprintf(out + n, "{%s}", name);
        json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", name, "in", "path",
                                                "required", 1, "description", desc, "schema", schema));
        p = end + 1;
    }
    out[n] = 0;
    return out;
}

static json_t *error_response(const char *description)
{
    return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", description, "content", "application/json",
                     "schema", "$ref", "#/components/schemas/Error");
}

/* The error answers a route can give, from what it declares. */
static void add_errors(json_t *responses, const struct route *rt)
{
    int has_body = rt->body || (rt->flags & ROUTE_RAW);
    int has_path = strchr(rt->pattern, '{') != NULL;
    int writes = strcmp(rt->method, "GET") != 0;
    json_object_set_new(responses, "400", error_response("the input is wrong (error.field names the field)"));
    if (rt->roles == ROLES_PUBLIC && has_body) { /* sign-in and single-use link flows */
        json_object_set_new(responses, "401", error_response("wrong credentials"));
        json_object_set_new(responses, "403", error_response("the account is disabled"));
        json_object_set_new(responses, "410", error_response("the link was used or has expired"));
    }
    if (rt->roles != ROLES_PUBLIC) {
        json_object_set_new(responses, "401", error_response("not signed in"));
        json_object_set_new(responses, "403", error_response("the role does not allow this (or CSRF token missing)"));
    }
    if (has_path || has_body || rt->roles != ROLES_PUBLIC)
        json_object_set_new(responses, "404", error_response("no such record (in the caller's scope)"));
    if (writes || has_path)
        json_object_set_new(responses, "409", error_response("the record's state does not allow this"));
    if (writes && has_path)
        json_object_set_new(responses, "412", error_response("the record changed since the version sent"));
    if (has_body)
        json_object_set_new(responses, "413", error_response("the body is over the route's limit"));
    if (has_body || writes)
        json_object_set_new(responses, "415", error_response("the body's Content-Type is not accepted"));
    json_object_set_new(responses, "422", error_response("well-formed input that cannot be processed"));
    if (writes && has_path)
        json_object_set_new(responses, "428", error_response("a version (If-Match) is required"));
    if (rt->roles == ROLES_PUBLIC)
        json_object_set_new(responses, "429", error_response("too many requests; see Retry-After"));
    json_object_set_new(responses, "500", error_response("an error the caller cannot act on"));
    json_object_set_new(responses, "503", error_response("busy or unavailable; retry"));
}

static const char xlsx_type[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/* The schema of a file answer of this media type. */
static json_t *file_schema(const char *type)
{
    return !strncmp(type, "text/", 5) ? json_pack("{s:s}", "type", "string")
                                      : json_pack("{s:s, s:s}", "type", "string", "contentMediaType", type);
}

/* One JSON shape: object, page (of the resource's records), item or a
 * resource's name (its record). */
static json_t *json_shape(const char *shape, const struct route *rt)
{
    char ref[160];
    if (!strcmp(shape, "object"))
        return json_pack("{s:s}", "type", "object");
    if (!strcmp(shape, "page"))
        return json_pack("{s:s, s:[s, s], s:{s:{s:s, s:{s:s}}, s:{s:[s, s], s:s}}}", "type", "object",
                         "required", "items", "next_cursor", "properties", "items", "type", "array", "items",
                         "$ref", shape_ref(shape, rt->resource, ref, sizeof ref), "next_cursor", "type",
                         "string", "null", "description", "pass as ?cursor= for the next page; null on the last");
    return json_pack("{s:s}", "$ref", shape_ref(shape, rt->resource, ref, sizeof ref));
}

/* shapes: NULL (no body) or alternatives a|b: JSON shapes, media types, and
 * "files" (the list as CSV or XLSX, ?format=csv|xlsx). */
static json_t *success_response(const char *status, const char *shapes, const struct route *rt)
{
    const char *desc = !strcmp(status, "201") ? "created" : !strcmp(status, "202") ? "accepted" : "OK";
    if (!shapes)
        return json_pack("{s:s}", "description", !strcmp(status, "204") ? "done; no body" : desc);
    json_t *content = json_object();
    char buf[160];
    snprintf(buf, sizeof buf, "%s", shapes);
    char *save = NULL;
    for (char *shape = strtok_r(buf, "|", &save); shape; shape = strtok_r(NULL, "|", &save)) {
        if (!strcmp(shape, "files")) {
            json_object_set_new(content, "text/csv", json_pack("{s:o}", "schema", file_schema("text/csv")));
            json_object_set_new(content, xlsx_type, json_pack("{s:o}", "schema", file_schema(xlsx_type)));
        } else if (strchr(shape, '/')) {
            json_object_set_new(content, shape, json_pack("{s:o}", "schema", file_schema(shape)));
        } else {
            json_object_set_new(content, "application/json", json_pack("{s:o}", "schema", json_shape(shape, rt)));
        }
    }
    return json_pack("{s:s, s:o}", "description", desc, "content", content);
}

static json_t *list_parameters(void)
{
    return json_pack("[{s:s, s:s, s:s, s:{s:s, s:i, s:i}}, {s:s, s:s, s:s, s:{s:s}},"
                     " {s:s, s:s, s:s, s:{s:s, s:i}}, {s:s, s:s, s:s, s:{s:s}}]",
                     "name", "limit", "in", "query", "description", "records per page", "schema", "type",
                     "integer", "minimum", 1, "maximum", 200, "name", "cursor", "in", "query", "description",
                     "next_cursor of the previous page", "schema", "type", "string", "name", "q", "in", "query",
                     "description", "free text, matched literally", "schema", "type", "string", "maxLength", 200,
                     "name", "sort", "in", "query", "description", "a column to sort by; prefix - for descending",
                     "schema", "type", "string");
}

static json_t *operation(const struct route *rt, json_t *path_params, json_t *schemas)
{
    json_t *op = json_pack("{s:o, s:s, s:[s]}", "operationId", operation_id(rt), "summary",
                           rt->summary ? rt->summary : rt->pattern, "tags", rt->resource ? rt->resource : "other");
    /* who may call it */
    char roles[160] = "";
    size_t used = 0;
    for (int role = 0; role < ROLE__MAX; role++)
        if (rt->roles & ROLE_BIT(role))
            used += (size_t)snprintf(roles + used, sizeof roles - used, "%s%s", used ? ", " : "",
                                     role_name((enum tb_role)role));
    json_object_set_new(op, "description",
                        rt->roles == ROLES_PUBLIC ? json_string("Public: no sign-in.")
                                                  : json_sprintf("Roles: %s.", roles));
    if (rt->roles == ROLES_PUBLIC) {
        json_object_set_new(op, "security", json_array());
    } else {
        json_t *rs = json_array();
        for (int role = 0; role < ROLE__MAX; role++)
            if (rt->roles & ROLE_BIT(role))
                json_array_append_new(rs, json_string(role_name((enum tb_role)role)));
        json_object_set_new(op, "x-roles", rs);
    }
    json_t *params = json_deep_copy(path_params);
    int paged = rt->response && strstr(rt->response, ":page") != NULL;
    if (paged) {
        json_t *list = list_parameters();
        json_array_extend(params, list);
        json_decref(list);
        /* the filters a programme resource's list documents (store/entity.h) */
        for (int e = 0; e < ENT__MAX; e++)
            if (!strcmp(entity_name((enum entity)e), rt->resource))
                for (const char *const *f = entity_filters((enum entity)e); f && *f; f++)
                    json_array_append_new(params, json_pack("{s:s, s:s, s:s, s:{s:s}}", "name", *f, "in", "query",
                                                            "description", "list filter", "schema", "type",
                                                            "string"));
    }
    if (rt->response && strstr(rt->response, "files"))
        json_array_append_new(params, json_pack("{s:s, s:s, s:s, s:{s:s, s:[s, s, s]}}", "name", "format", "in",
                                                "query", "description",
                                                "csv or xlsx: the whole list as a file, with human headers",
                                                "schema", "type", "string", "enum", "json", "csv", "xlsx"));
    if (json_array_size(params))
        json_object_set_new(op, "parameters", params);
    else
        json_decref(params);
    if (rt->body) {
        char name[64];
        json_t *id = json_object_get(op, "operationId");
        snprintf(name, sizeof name, "%sBody", json_string_value(id));
        json_t *schema = object_schema(rt->body, 1, 1);
        if (rt->flags & ROUTE_PARTIAL)
            json_object_del(schema, "required");
        json_object_set_new(schemas, name, schema);
        char ref[96];
        snprintf(ref, sizeof ref, "#/components/schemas/%s", name);
        json_object_set_new(op, "requestBody", json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content",
                                                         "application/json", "schema", "$ref", ref));
    } else if (rt->flags & ROUTE_RAW) {
        const char *type = rt->body_type ? rt->body_type : "application/octet-stream";
        json_t *schema = strstr(type, "json") ? json_pack("{s:s}", "type", "object")
                                              : json_pack("{s:s, s:s}", "type", "string", "contentMediaType", type);
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{s:o}}}", "required", 1, "content", type, "schema", schema));
    }
    json_t *responses = json_object();
    char answers[256];
    snprintf(answers, sizeof answers, "%s", rt->response ? rt->response : "200:object");
    char *save = NULL;
    for (char *tok = strtok_r(answers, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        char *shape = strchr(tok, ':');
        if (shape)
            *shape++ = 0;
        char alts[160];
        snprintf(alts, sizeof alts, "%s", shape ? shape : "");
        char *save2 = NULL;
        for (char *a = strtok_r(alts, "|", &save2); a; a = strtok_r(NULL, "|", &save2)) {
            if (!strcmp(a, "object") || !strcmp(a, "files") || strchr(a, '/'))
                continue;
            const char *name = !strcmp(a, "item") || !strcmp(a, "page") ? rt->resource : a;
            if (!json_object_get(schemas, name))
                json_object_set_new(schemas, name, record_schema(name));
        }
        json_object_set_new(responses, tok, success_response(tok, shape, rt));
    }
    if (!strcmp(rt->method, "GET"))
        json_object_set_new(responses, "304", json_pack("{s:s}", "description", "not modified (If-None-Match)"));
    add_errors(responses, rt);
    json_object_set_new(op, "responses", responses);
    return op;
}

/* One line per tag (a route's resource) for the reference's headings. */
static const struct {
    const char *tag, *about;
} tag_about[] = {
    {"operations", "Health, metrics and this document"},
    {"session", "Signing in and out, invitations, passwords, the signed-in user"},
    {"org", "The foundation and its operators (tenants)"},
    {"user", "People with an account and their roles"},
    {"invitation", "Invitations by mail to create an account"},
    {"token", "API tokens for scripts (Authorization: Bearer)"},
    {"audit", "Who changed what, when"},
    {"dashboard", "Counts of the programme's records"},
    {"company", "SMEs that host trainees"},
    {"graduate", "Graduates (trainees): profile, consent, CV, GDPR access and erasure"},
    {"import", "CSV import of companies and graduates"},
    {"cohort", "Programme years"},
    {"position", "Traineeships companies offer"},
    {"application", "Graduates applying for positions"},
    {"placement", "A graduate placed with a company: agreement and status"},
    {"matching", "Matching weights and shortlists"},
    {"match_constraint", "Vetoes and locks a matching run respects"},
    {"match_run", "Matching runs and their approval"},
    {"achievement", "What a credential certifies"},
    {"accreditation", "Which operators may issue credentials"},
    {"issuer_key", "The operator's signing keys and DID"},
    {"credential", "Open Badges 3.0 credentials: issue, revoke, suspend, certificate"},
    {"verification", "Public verification: shared credentials, DID documents, status lists"},
    {"curriculum", "Curricula and their versions"},
    {"training", "Learning plans, deliverables, reviews, tests and progress"},
    {"code", "Code lists (countries, currencies, languages, NACE, HS, ISCED-F, EQF)"},
    {"trade", "Export market ranking and exchange rates"},
    {"export_plan", "Export plans, their versions and actual figures"},
    {"todo", "Your to-do list, notification settings and calendar feed"},
    {"network", "The trade network: contacts, relationships, introduction paths and introductions"},
    {"offers", "The offers board: business offers and requests matched to companies and contacts"},
    {"impact", "Baselines, follow-up surveys, programme costs, measures and funder reports"},
};

static const char *tag_description(const char *tag)
{
    for (size_t i = 0; i < sizeof tag_about / sizeof tag_about[0]; i++)
        if (!strcmp(tag_about[i].tag, tag))
            return tag_about[i].about;
    return tag;
}

static json_t *build(void)
{
    json_t *schemas = json_object();
    json_object_set_new(
        schemas, "Error",
        json_pack("{s:s, s:s, s:[s], s:{s:{s:s, s:[s, s], s:{s:{s:s, s:s}, s:{s:s, s:i}, s:{s:s, s:s}}}}}",
                  "type", "object", "description",
                  "Every error answer: error.code is one of the documented codes (README, \"Errors\"), "
                  "error.field names the offending input field when there is one.",
                  "required", "error", "properties", "error", "type", "object", "required", "code", "message",
                  "properties", "code", "type", "string", "description", "machine code, e.g. validation_failed",
                  "message", "type", "string", "minLength", 1, "field", "type", "string", "description",
                  "the input field at fault"));
    json_t *paths = json_object(), *tags = json_array(), *seen = json_object();
    int oom = 0;
    for (int i = 0; i < routes_count; i++) {
        const char *tag = routes[i].resource ? routes[i].resource : "other";
        if (!json_object_get(seen, tag)) {
            json_object_set_new(seen, tag, json_true());
            json_array_append_new(tags, json_pack("{s:s, s:s}", "name", tag, "description", tag_description(tag)));
        }
        json_t *params = json_array();
        char *tmpl = path_template(routes[i].pattern, params);
        if (!tmpl) {
            oom = 1;   /* an incomplete document is not served: no document */
            json_decref(params);
            break;
        }
        json_t *item = json_object_get(paths, tmpl);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, tmpl, item);
        }
        char method[8];
        size_t k = 0;
        for (; routes[i].method[k] && k < sizeof method - 1; k++)
            method[k] = (char)(routes[i].method[k] | 0x20);
        method[k] = 0;
        json_object_set_new(item, method, operation(&routes[i], params, schemas));
        json_decref(params);
        free(tmpl);
    }
    json_t *doc = json_pack(
        "{s:s, s:s, s:{s:s, s:s, s:s, s:{s:s, s:s}}, s:[{s:s}], s:o,"
        " s:{s:o, s:{s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s}}}, s:[{s:[]}, {s:[]}]}",
        "openapi", "3.1.0", "jsonSchemaDialect", "https://spec.openapis.org/oas/3.1/dialect/base", "info", "title",
        "TradeBridge API", "version", TB_VERSION, "description",
        "Generated from the server's route table and declared fields (src/http/routes.c). "
        "Unsafe requests of a cookie session carry X-CSRF-Token (from GET /api/v1/me); "
        "changes to a record send its version as If-Match.",
        "license", "name", "AGPL-3.0-or-later", "identifier", "AGPL-3.0-or-later", "servers", "url", "/", "paths",
        paths, "components", "schemas", schemas, "securitySchemes", "session", "type", "apiKey", "in", "cookie",
        "name", "tb_session", "description", "the session cookie set by POST /api/v1/auth/login", "token",
        "type", "http", "scheme", "bearer", "description", "an API token (POST /api/v1/tokens)", "security",
        "session", "token");
    json_object_set_new(doc, "tags", tags);
    json_decref(seen);
    if (oom) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char *text;

static void build_text(void)
{
    json_t *doc = build();
    text = json_dumps(doc, JSON_INDENT(1) | JSON_SORT_KEYS);
    json_decref(doc);
}

const char *openapi_text(void)
{
    pthread_once(&once, build_text);
    return text;
}

int h_openapi(struct request *r, struct response *res, struct tb_err *err)
{
    const char *doc = openapi_text();
    if (!doc)
        return TB_INTERNAL(err, "the API document could not be built");
    return respond_bytes(r, res, doc, strlen(doc), "application/json", "public, max-age=3600");
}
