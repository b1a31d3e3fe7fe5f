/*
 * network.c - the trade network's store functions (store/network.h).
 */
#include "store/network.h"

#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* Audits a change and releases the changes object. */
static int audit(struct store *st, const struct tb_actor *a, int64_t org, const char *action, const char *entity,
                 int64_t id, json_t *changes, struct tb_err *err)
{
    int rc = store_audit_add(st, a, org, action, entity, id, changes, err);
    json_decref(changes);
    return rc;
}

static const char *const CONTACT_JSON[] = {"hs", "languages", "markets", "tags", NULL};
static const char *const CONTACT_WRITE[] = {"kind", "category", "name", "organisation", "roles", "email", "phone",
                                            "country", "city", "nace", "hs", "languages", "markets", "tags",
                                            "source", "visibility", "legal_basis", "consent", NULL};

static void decode(json_t *row)
{
    for (int i = 0; CONTACT_JSON[i]; i++) {
        json_t *v = json_object_get(row, CONTACT_JSON[i]);
        json_t *parsed = json_is_string(v) ? json_loads(json_string_value(v), 0, NULL) : NULL;
        if (parsed)
            json_object_set_new(row, CONTACT_JSON[i], parsed);
    }
}

static void decode_all(json_t *rows)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        decode(row);
}

/* The written columns of c as parameters (absent ones NULL, lists "[]"). */
static json_t *write_params(const json_t *c)
{
    json_t *p = json_object();
    for (int i = 0; CONTACT_WRITE[i]; i++) {
        json_t *v = json_object_get(c, CONTACT_WRITE[i]);
        int list = !strcmp(CONTACT_WRITE[i], "hs") || !strcmp(CONTACT_WRITE[i], "languages") ||
                   !strcmp(CONTACT_WRITE[i], "markets") || !strcmp(CONTACT_WRITE[i], "tags");
        json_object_set_new(p, CONTACT_WRITE[i], v ? json_incref(v) : list ? json_array()
                                                  : !strcmp(CONTACT_WRITE[i], "roles") ? json_string("")
                                                                                       : json_null());
    }
    return p;
}

/* What the audit keeps of a contact: nothing personal. */
static json_t *audit_of(const json_t *c)
{
    return json_pack("{s:{s:O?}, s:{s:O?}, s:{s:O?}}", "kind", "new", json_object_get(c, "kind"), "category", "new",
                     json_object_get(c, "category"), "visibility", "new", json_object_get(c, "visibility"));
}

int store_contact_create(struct store *st, const struct tb_actor *a, const json_t *c, int64_t *id,
                         struct tb_err *err)
{
    int changes = 0;
    int64_t org = json_integer_value(json_object_get(c, "org_id"));
    json_t *p = write_params(c);
    json_object_set_new(p, "org_id", json_integer(org));
    if (st_jrun(st, a, STMT_CONTACT_INSERT, p, "contact", &changes, err) < 0)
        return -1;
    if (changes != 1)
        return TB_NOT_FOUND(err, "organization not found");
    *id = st_last_id(st);
    return audit(st, a, org, "create", "contact", *id, audit_of(c), err);
}

int store_contact_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err)
{
    if (st_jone(st, a, STMT_CONTACT_GET, json_pack("{s:I}", "id", (json_int_t)id), "contact", out, err) < 0)
        return -1;
    decode(*out);
    return 0;
}

int store_contact_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version, const json_t *c,
                         struct tb_err *err)
{
    json_t *old;
    if (store_contact_get(st, a, id, &old, err) < 0)
        return -1;
    int64_t org = json_integer_value(json_object_get(old, "org_id"));
    int rc = st_version_mismatch(old, version, err);
    json_decref(old);
    if (rc < 0)
        return -1;
    json_t *p = write_params(c);
    json_object_set_new(p, "id", json_integer(id));
    json_object_set_new(p, "version", json_integer(version));
    int changes = 0;
    if (st_jrun(st, a, STMT_CONTACT_UPDATE, p, "contact", &changes, err) < 0)
        return -1;
    if (changes != 1)   /* a shared contact of another operator, or removed */
        return tb_fail(err, 403, "forbidden", NULL, "only the operator that owns this contact can change it");
    json_t *fields = json_array();
    for (int i = 0; CONTACT_WRITE[i]; i++)
        json_array_append_new(fields, json_string(CONTACT_WRITE[i]));
    return audit(st, a, org, "update", "contact", id, json_pack("{s:o}", "fields", fields), err);
}

int store_contact_remove(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err)
{
    json_t *old;
    if (store_contact_get(st, a, id, &old, err) < 0)
        return -1;
    int64_t org = json_integer_value(json_object_get(old, "org_id"));
    json_decref(old);
    int owned, changes = 0;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = st_jrun(st, a, STMT_CONTACT_REMOVE, json_pack("{s:I}", "id", (json_int_t)id), "contact", &changes, err);
    if (rc == 0 && changes != 1)
        rc = tb_fail(err, 403, "forbidden", NULL, "only the operator that owns this contact can remove it");
    if (rc == 0)
        rc = st_jrun(st, a, STMT_CONTACT_LINKS_REMOVE, json_pack("{s:I}", "id", (json_int_t)id), "relationship",
                     NULL, err);
    if (rc == 0)
        rc = audit(st, a, org, "update", "contact", id,
                             json_pack("{s:{s:b, s:b}}", "removed", "old", 0, "new", 1), err);
    return st_tx_end(st, owned, rc, err);
}

static json_t *filter_params(const json_t *f)
{
    static const char *const names[] = {"country", "nace", "kind", "hs", "language", NULL};
    json_t *p = json_object();
    for (int i = 0; names[i]; i++) {
        char key[32];
        snprintf(key, sizeof key, "f_%s", names[i]);
        json_t *v = json_object_get(f, names[i]);
        json_object_set_new(p, key, v ? json_incref(v) : json_null());
    }
    return p;
}

int store_contact_list(struct store *st, const struct tb_actor *a, const json_t *filters, int64_t after_id, int limit,
                       json_t **out, struct tb_err *err)
{
    json_t *p = filter_params(filters);
    json_object_set_new(p, "after_id", json_integer(after_id));
    json_object_set_new(p, "limit", json_integer(limit));
    if (st_jrows(st, a, STMT_CONTACT_LIST, p, out, err) < 0)
        return -1;
    decode_all(*out);
    return 0;
}

/* Appends " AND facets : (tokens)" to the match: each token a prefix and its
 * value's letters and digits (sql/sqlite/0053_contact_search_facets.sql). */
static void facet(struct abuf *b, const char *prefix, const char *value, int starts)
{
    abuf_puts(b, " AND facets : (\"");
    abuf_puts(b, prefix);
    for (const char *c = value; *c; c++)
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9'))
            abuf_append(b, c, 1);
    abuf_puts(b, starts ? "\"*)" : "\")");
}

/* On SQLite the filters go into the full-text match, so that the bounded set
 * of matches ranked holds only rows of the filters asked for (the statement
 * still checks them exactly, and who may see each row):
 * "{name organisation roles tags city} : (words) AND facets : ("cSE") ...". */
static char *sqlite_match(const char *words, int whole, const json_t *f)
{
    struct abuf b;
    abuf_init_heap(&b, 4096);
    abuf_puts(&b, "{name organisation roles tags city} : (");
    for (const char *c = words; *c; c++)
        if (*c != '*' || !whole)   /* "w"* -> "w": the words are letters and digits */
            abuf_append(&b, c, 1);
    abuf_puts(&b, ")");
    const char *v;
    if ((v = json_string_value(json_object_get(f, "country"))))
        facet(&b, "c", v, 0);
    if ((v = json_string_value(json_object_get(f, "kind"))))
        facet(&b, "k", v, 0);
    if ((v = json_string_value(json_object_get(f, "nace"))))
        facet(&b, "n", v, 1);
    if ((v = json_string_value(json_object_get(f, "hs"))))
        facet(&b, "h", v, 1);
    if ((v = json_string_value(json_object_get(f, "language"))))
        facet(&b, "l", v, 0);
    return abuf_take(&b);
}

/* One pass of search over the first `cap` matches of `match`; rows not yet in
 * *out are appended (up to limit). *more: the cap held matches back. */
static int search_pass(struct store *st, const struct tb_actor *a, const json_t *filters, const char *match,
                       int limit, int cap, json_t *out, int *more, struct tb_err *err)
{
    json_t *p = filter_params(filters), *rows, *row, *have;
    json_object_set_new(p, "match", json_string(match));
    json_object_set_new(p, "limit", json_integer(limit));
    if (cap)
        json_object_set_new(p, "cap", json_integer(cap));
    if (st_jrows(st, a, STMT_CONTACT_SEARCH, p, &rows, err) < 0)
        return -1;
    size_t i, k;
    *more = json_array_size(rows) &&
            json_integer_value(json_object_get(json_array_get(rows, 0), "candidates")) >= cap;
    json_array_foreach(rows, i, row) {
        int dup = 0;
        json_array_foreach(out, k, have)
            dup |= json_equal(json_object_get(have, "id"), json_object_get(row, "id"));
        json_object_del(row, "candidates");
        if (!dup && (int)json_array_size(out) < limit)
            json_array_append(out, row);
    }
    json_decref(rows);
    return 0;
}

/* On SQLite, search ranks a bounded set of matches, in passes until `limit`
 * results: the whole words first (the first SEARCH_FIRST contacts holding
 * them: "holm" finds Holm), then words as prefixes ("holm" finds Holmberg
 * too) over the first SEARCH_FIRST matches, and when those were cut short
 * while some results were kept out (who may see what, a filter the index
 * holds only roughly), over the first SEARCH_WIDE. Each pass keeps the rows
 * of the passes before it on top. PostgreSQL ranks every match in one pass,
 * whole words ahead of prefixes (tb_contact_rank, sql/postgres/0072). */
#define SEARCH_FIRST 1000
#define SEARCH_WIDE 20000

int store_contact_search(struct store *st, const struct tb_actor *a, const char *match, const json_t *filters,
                         int limit, json_t **out, struct tb_err *err)
{
    int more = 0;
    *out = json_array();
    if (strcmp(store_backend_name(st), "sqlite")) {
        if (search_pass(st, a, filters, match, limit, 0, *out, &more, err) < 0)
            goto fail;
        decode_all(*out);
        return 0;
    }
    char *prefix = sqlite_match(match, 0, filters), *whole = sqlite_match(match, 1, filters);
    if (!prefix || !whole) {
        free(whole);
        free(prefix);
        json_decref(*out);
        *out = NULL;
        return TB_INTERNAL(err, "out of memory");
    }
    int rc = search_pass(st, a, filters, whole, limit, SEARCH_FIRST, *out, &more, err);
    if (rc == 0 && (int)json_array_size(*out) < limit)
        rc = search_pass(st, a, filters, prefix, limit, SEARCH_FIRST, *out, &more, err);
    if (rc == 0 && (int)json_array_size(*out) < limit && more)
        rc = search_pass(st, a, filters, prefix, limit, SEARCH_WIDE, *out, &more, err);
    free(prefix);
    free(whole);
    if (rc < 0)
        goto fail;
    decode_all(*out);
    return 0;
fail:
    json_decref(*out);
    *out = NULL;
    return -1;
}

static json_t *plain_filters(const json_t *f)
{
    return json_pack("{s:O?, s:O?}", "f_country", json_object_get(f, "country"), "f_kind", json_object_get(f, "kind"));
}

int store_contact_search_like(struct store *st, const struct tb_actor *a, const char *word, const json_t *filters,
                              int limit, json_t **out, struct tb_err *err)
{
    json_t *p = plain_filters(filters);
    json_object_set_new(p, "like", json_sprintf("%%%s%%", word));
    json_object_set_new(p, "limit", json_integer(limit));
    return st_jrows(st, a, STMT_CONTACT_SEARCH_LIKE, p, out, err);
}

int store_contact_by_email(struct store *st, const struct tb_actor *a, const char *email, json_t **out,
                           struct tb_err *err)
{
    if (st_jrows(st, a, STMT_CONTACT_BY_EMAIL, json_pack("{s:s}", "email", email), out, err) < 0)
        return -1;
    decode_all(*out);
    return 0;
}

int store_contact_facets(struct store *st, const struct tb_actor *a, const json_t *filters, json_t **out,
                         struct tb_err *err)
{
    json_t *rows;
    if (st_jrows(st, a, STMT_CONTACT_FACETS, plain_filters(filters), &rows, err) < 0)
        return -1;
    *out = json_pack("{s:[], s:[], s:[]}", "country", "category", "sector");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *list = json_object_get(*out, json_string_value(json_object_get(row, "facet")));
        if (list)
            json_array_append_new(list, json_pack("{s:O, s:O}", "value", json_object_get(row, "value"), "n",
                                                  json_object_get(row, "n")));
    }
    json_decref(rows);
    return 0;
}

int store_contact_alumnus(struct store *st, const struct tb_actor *a, int64_t graduate_id, const char *roles,
                          const char *visibility, int64_t *id, struct tb_err *err)
{
    int changes = 0;
    json_t *p = json_pack("{s:I, s:s, s:s}", "graduate_id", (json_int_t)graduate_id, "roles", roles ? roles : "",
                          "visibility", visibility);
    if (st_jrun(st, a, STMT_CONTACT_ALUMNUS_INSERT, p, "contact", &changes, err) < 0)
        return err->status == 409 ? tb_fail(err, 409, "conflict", "graduate_id",
                                            "graduate_id: this graduate is already in the directory")
                                  : -1;
    if (changes != 1)
        return TB_INVALID(err, "graduate_id", "graduate_id: no graduate of yours with a completed placement");
    *id = st_last_id(st);
    json_t *c;
    if (store_contact_get(st, a, *id, &c, err) < 0)
        return -1;
    int64_t org = json_integer_value(json_object_get(c, "org_id"));
    json_t *d = audit_of(c);
    json_decref(c);
    json_object_set_new(d, "graduate_id", json_pack("{s:I}", "new", (json_int_t)graduate_id));
    return audit(st, a, org, "create", "contact", *id, d, err);
}

/* ---- relationships ---- */

int store_link_create(struct store *st, const struct tb_actor *a, const struct link_write *w, int64_t *id,
                      struct tb_err *err)
{
    if (w->from_id == w->to_id)
        return TB_INVALID(err, "to_id", "to_id: a contact cannot be linked to itself");
    int changes = 0;
    json_t *p = json_pack("{s:I, s:I, s:I, s:s, s:i, s:s?}", "org_id", (json_int_t)w->org_id, "from_id",
                          (json_int_t)w->from_id, "to_id", (json_int_t)w->to_id, "kind", w->kind, "strength",
                          w->strength, "last_contact", w->last_contact);
    if (st_jrun(st, a, STMT_LINK_INSERT, p, "relationship", &changes, err) < 0)
        return err->status == 409 ? tb_fail(err, 409, "conflict", "kind",
                                            "kind: these two contacts already have this relationship")
                                  : -1;
    if (changes != 1)
        return TB_NOT_FOUND(err, "contact not found");
    *id = st_last_id(st);
    return audit(st, a, w->org_id, "create", "contact_link", *id,
                           json_pack("{s:{s:I}, s:{s:I}, s:{s:s}}", "from_id", "new", (json_int_t)w->from_id, "to_id",
                                     "new", (json_int_t)w->to_id, "kind", "new", w->kind),
                           err);
}

int store_link_list(struct store *st, const struct tb_actor *a, int64_t contact_id, json_t **out, struct tb_err *err)
{
    return st_jrows(st, a, STMT_LINK_LIST, json_pack("{s:I}", "id", (json_int_t)contact_id), out, err);
}

int store_link_delete(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err)
{
    json_t *row;
    if (st_jone(st, a, STMT_LINK_DELETE, json_pack("{s:I}", "id", (json_int_t)id), "relationship", &row, err) < 0)
        return -1;
    int64_t org = json_integer_value(json_object_get(row, "org_id"));
    json_decref(row);
    return audit(st, a, org, "delete", "contact_link", id, NULL, err);
}

/* ---- the graph ---- */

/* The graph's arrays grow in heap abufs (src/core/arena.h: checked sizes, the
 * old block kept and freed on failure) and are handed over with abuf_take. */
enum { G_ID, G_OWNER, G_SHARED, G_FROM, G_TO, G_STRENGTH, G_LAST, G_SOURCES, G_N };

void store_graph_free(struct store_graph *g)
{
    free(g->id);
    free(g->owner);
    free(g->shared);
    free(g->from);
    free(g->to);
    free(g->strength);
    free(g->last_contact);
    free(g->sources);
    memset(g, 0, sizeof *g);
}

int store_graph_load(struct store *st, const struct tb_actor *a, struct store_graph *g, struct tb_err *err)
{
    memset(g, 0, sizeof *g);
    struct abuf b[G_N];
    for (int i = 0; i < G_N; i++)
        abuf_init_heap(&b[i], SIZE_MAX);
    struct st_q *s = st_stmt(st, STMT_CONTACT_GRAPH_PEOPLE, a, err);
    int rc;
    if (!s)
        goto fail;
    while ((rc = st_step(st, s)) == ST_ROW) {
        int64_t id = st_col_i64(s, 0), owner = st_col_i64(s, 1);
        unsigned char shared = (unsigned char)st_col_int(s, 2);
        if (abuf_append(&b[G_ID], &id, sizeof id) < 0 || abuf_append(&b[G_OWNER], &owner, sizeof owner) < 0 ||
            abuf_append(&b[G_SHARED], &shared, 1) < 0)
            goto oom;
        g->people++;
    }
    if (rc != ST_DONE)
        goto db;
    if (!(s = st_stmt(st, STMT_CONTACT_GRAPH_LINKS, a, err)))
        goto fail;
    while ((rc = st_step(st, s)) == ST_ROW) {
        int64_t from = st_col_i64(s, 0), to = st_col_i64(s, 1);
        unsigned char strength = (unsigned char)st_col_int(s, 2);
        char last[11] = "";
        const char *d = st_col_text(s, 3);
        snprintf(last, sizeof last, "%s", d ? d : "");
        if (abuf_append(&b[G_FROM], &from, sizeof from) < 0 || abuf_append(&b[G_TO], &to, sizeof to) < 0 ||
            abuf_append(&b[G_STRENGTH], &strength, 1) < 0 || abuf_append(&b[G_LAST], last, sizeof last) < 0)
            goto oom;
        g->links++;
    }
    if (rc != ST_DONE)
        goto db;
    if (a->tenant_id) {
        if (!(s = st_stmt(st, STMT_CONTACT_SOURCES, a, err)))
            goto fail;
        while ((rc = st_step(st, s)) == ST_ROW) {
            int64_t id = st_col_i64(s, 0);
            if (abuf_append(&b[G_SOURCES], &id, sizeof id) < 0)
                goto oom;
            g->nsources++;
        }
        if (rc != ST_DONE)
            goto db;
    }
    g->id = (int64_t *)(void *)abuf_take(&b[G_ID]);
    g->owner = (int64_t *)(void *)abuf_take(&b[G_OWNER]);
    g->shared = (unsigned char *)abuf_take(&b[G_SHARED]);
    g->from = (int64_t *)(void *)abuf_take(&b[G_FROM]);
    g->to = (int64_t *)(void *)abuf_take(&b[G_TO]);
    g->strength = (unsigned char *)abuf_take(&b[G_STRENGTH]);
    g->last_contact = (char (*)[11])(void *)abuf_take(&b[G_LAST]);
    g->sources = (int64_t *)(void *)abuf_take(&b[G_SOURCES]);
    return 0;
oom:
    for (int i = 0; i < G_N; i++)
        abuf_release(&b[i]);
    memset(g, 0, sizeof *g);
    return TB_INTERNAL(err, "out of memory");
db:
    st_db_fail(st, err, "network graph");
fail:
    for (int i = 0; i < G_N; i++)
        abuf_release(&b[i]);
    memset(g, 0, sizeof *g);
    return -1;
}

/* ---- introductions ---- */

int store_intro_create(struct store *st, const struct tb_actor *a, const struct intro_write *w, int64_t *id,
                       int *needs_approval, struct tb_err *err)
{
    json_t *target;
    if (store_contact_get(st, a, w->target_id, &target, err) < 0)
        return -1;
    int64_t target_org = json_integer_value(json_object_get(target, "org_id"));
    json_decref(target);
    *needs_approval = target_org != w->org_id;
    int owned, changes = 0;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    json_t *p = json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:s, s:s?}", "org_id", (json_int_t)w->org_id, "asker_name",
                          w->asker_name, "company_id", (json_int_t)w->company_id, "graduate_id",
                          (json_int_t)w->graduate_id, "introducer_id", (json_int_t)w->introducer_id, "target_id",
                          (json_int_t)w->target_id, "purpose", w->purpose, "message", w->message);
    if (!w->company_id)
        json_object_set_new(p, "company_id", json_null());
    if (!w->graduate_id)
        json_object_set_new(p, "graduate_id", json_null());
    int rc = st_jrun(st, a, STMT_INTRO_INSERT, p, "introduction", &changes, err);
    if (rc == 0 && changes != 1)
        rc = TB_NOT_FOUND(err, "organization not found");
    if (rc == 0) {
        *id = st_last_id(st);
        rc = st_jrun(st, a, STMT_INTRO_EVENT_INSERT,
                     json_pack("{s:I, s:s?, s:s}", "id", (json_int_t)*id, "note", w->message, "by_name", w->asker_name),
                     "introduction event", NULL, err);
    }
    if (rc == 0 && *needs_approval)
        rc = st_jrun(st, a, STMT_INTRO_APPROVAL_INSERT,
                     json_pack("{s:I, s:I, s:s, s:s}", "introduction_id", (json_int_t)*id, "target_id",
                               (json_int_t)w->target_id, "asker_name", w->asker_name, "purpose", w->purpose),
                     "introduction approval", NULL, err);
    if (rc == 0)
        rc = audit(st, a, w->org_id, "create", "introduction", *id,
                             json_pack("{s:{s:I}, s:{s:I}}", "introducer_id", "new", (json_int_t)w->introducer_id,
                                       "target_id", "new", (json_int_t)w->target_id),
                             err);
    return st_tx_end(st, owned, rc, err);
}

int store_intro_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err)
{
    json_t *events;
    if (st_jone(st, a, STMT_INTRO_GET, json_pack("{s:I}", "id", (json_int_t)id), "introduction", out, err) < 0)
        return -1;
    if (st_jrows(st, a, STMT_INTRO_EVENTS, json_pack("{s:I}", "id", (json_int_t)id), &events, err) < 0) {
        json_decref(*out);
        return -1;
    }
    json_object_set_new(*out, "events", events);
    return 0;
}

int store_intro_list(struct store *st, const struct tb_actor *a, const char *state, json_t **out, struct tb_err *err)
{
    return st_jrows(st, a, STMT_INTRO_LIST, json_pack("{s:s?}", "f_state", state), out, err);
}

int store_intro_move(struct store *st, const struct tb_actor *a, int64_t id, const char *from, const char *to,
                     const struct intro_outcome *o, const char *by_name, const char *note, struct tb_err *err)
{
    int owned, changes = 0;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    json_t *p = json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s?}", "id", (json_int_t)id, "from_state", from, "state", to,
                          "currency", o ? o->currency : NULL, "market", o ? o->market : NULL, "hs", o ? o->hs : NULL);
    json_object_set_new(p, "value_minor", o && o->value_minor ? json_integer(o->value_minor) : json_null());
    int rc = st_jrun(st, a, STMT_INTRO_STATE, p, "introduction", &changes, err);
    if (rc == 0 && changes != 1)
        rc = tb_fail(err, 409, "conflict", "state", "state: the introduction is no longer '%s'", from);
    if (rc == 0)
        rc = st_jrun(st, a, STMT_INTRO_EVENT_INSERT,
                     json_pack("{s:I, s:s?, s:s}", "id", (json_int_t)id, "note", note, "by_name", by_name),
                     "introduction event", NULL, err);
    if (rc == 0) {
        json_t *row;
        rc = st_jone(st, a, STMT_INTRO_GET, json_pack("{s:I}", "id", (json_int_t)id), "introduction", &row, err);
        if (rc == 0) {
            int64_t org = json_integer_value(json_object_get(row, "org_id"));
            json_decref(row);
            rc = audit(st, a, org, "update", "introduction", id,
                                 json_pack("{s:{s:s, s:s}}", "state", "old", from, "new", to), err);
        }
    }
    return st_tx_end(st, owned, rc, err);
}

int store_intro_approvals(struct store *st, const struct tb_actor *a, const char *state, json_t **out,
                          struct tb_err *err)
{
    return st_jrows(st, a, STMT_INTRO_APPROVAL_LIST, json_pack("{s:s?}", "f_state", state), out, err);
}

int store_intro_approval_decide(struct store *st, const struct tb_actor *a, int64_t id, int approve,
                                struct tb_err *err)
{
    json_t *row;
    if (st_jone(st, a, STMT_INTRO_APPROVAL_DECIDE,
                json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", approve ? "approved" : "refused"), "approval",
                &row, err) < 0)
        return err->status == 404
                   ? tb_fail(err, 409, "conflict", "decision", "decision: this approval is unknown or already decided")
                   : -1;
    int64_t org = json_integer_value(json_object_get(row, "org_id"));
    json_decref(row);
    return audit(st, a, org, "update", "introduction_approval", id,
                 json_pack("{s:{s:s, s:s}}", "state", "old", "pending", "new", approve ? "approved" : "refused"), err);
}

int store_intro_link_create(struct store *st, const struct tb_actor *a, int64_t id, const char *email,
                            const char *token_hash, int64_t expires_at, struct tb_err *err)
{
    int changes = 0;
    if (st_jrun(st, a, STMT_INTRO_LINK_INSERT,
                json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)id, "email", email, "token_hash", token_hash,
                          "expires_at", (json_int_t)expires_at),
                "introduction link", &changes, err) < 0)
        return -1;
    return changes == 1 ? 0 : TB_NOT_FOUND(err, "introduction not found");
}

int store_intro_link_peek(struct store *st, const char *token_hash, json_t **out, struct tb_err *err)
{
    if (st_jone(st, NULL, STMT_INTRO_LINK_PEEK, json_pack("{s:s}", "token_hash", token_hash), "link", out, err) < 0)
        return err->status == 404 ? tb_fail(err, 404, "not_found", "token", "token: this link is unknown") : -1;
    const char *why = json_is_string(json_object_get(*out, "used_at"))       ? "was already used"
                      : json_integer_value(json_object_get(*out, "expired")) ? "has expired"
                                                                             : NULL;
    if (why) {
        json_decref(*out);
        *out = NULL;
        return tb_fail(err, 410, "link_gone", "token", "token: this link %s", why);
    }
    return 0;
}

int store_intro_link_claim(struct store *st, const char *token_hash, struct tb_err *err)
{
    json_t *row;
    if (st_jone(st, NULL, STMT_INTRO_LINK_CLAIM, json_pack("{s:s}", "token_hash", token_hash), "link", &row, err) < 0)
        return tb_fail(err, 410, "link_gone", "token", "token: this link was already used");
    json_decref(row);
    return 0;
}

int store_intro_reminders_due(struct store *st, const struct tb_actor *a, const char *before, json_t **out,
                              struct tb_err *err)
{
    return st_jrows(st, a, STMT_INTRO_REMINDERS_DUE, json_pack("{s:s}", "before", before), out, err);
}

int store_intro_reminded(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err)
{
    return st_jrun(st, a, STMT_INTRO_REMINDED, json_pack("{s:I}", "id", (json_int_t)id), "introduction", NULL, err);
}

int store_intro_outcomes(struct store *st, const struct tb_actor *a, json_t **out, struct tb_err *err)
{
    return st_jrows(st, a, STMT_INTRO_OUTCOMES, json_object(), out, err);
}
