/*
 * entity.c - generic create/read/list/update/delete for the programme's
 * records, over the literal statements of stmts_entities.inc.
 */
#include "store/entity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/shared_int.h"

#include "store/entity_columns.inc"

struct foreign_key {
    const char *column;
    enum entity target;
};

struct entity_desc {
    const char *name;
    const char *const *columns;
    const char *const *filters;
    const char *name_column;
    const char *const *json_columns;
    const struct foreign_key *fks;
};

/* entities[] and quiet_columns[], from records/<type>.json */
#include "store/entity_decl.inc"

/* Columns too large for the audit log: it records that they changed. */
static int quiet_column(const char *col)
{
    for (const char *const *q = quiet_columns; *q; q++)
        if (!strcmp(*q, col))
            return 1;
    return 0;
}

const char *entity_name(enum entity e)
{
    return (e >= 0 && e < ENT__MAX) ? entities[e].name : "record";
}

const char *const *entity_filters(enum entity e)
{
    return entities[e].filters;
}

static enum stmt stmt_of(enum entity e, enum entity_op op)
{
    return (enum stmt)(STMT_COMPANY_INSERT + (int)e * ENT_OP__MAX + (int)op);
}

static int is_json_column(enum entity e, const char *col)
{
    for (const char *const *c = entities[e].json_columns; *c; c++)
        if (!strcmp(*c, col))
            return 1;
    return 0;
}

/* JSON columns are stored as text and returned as structure. */
static void decode_json_columns(enum entity e, json_t *row)
{
    for (const char *const *c = entities[e].json_columns; *c; c++) {
        json_t *v = json_object_get(row, *c);
        if (json_is_string(v)) {
            json_t *parsed = json_loads(json_string_value(v), JSON_DECODE_ANY, NULL);
            json_object_set_new(row, *c, parsed ? parsed : json_null());
        }
    }
}

static void bind_column(struct store *st, struct st_q *s, enum entity e, const char *col, json_t *v)
{
    char name[80];
    snprintf(name, sizeof name, ":%s", col);
    if (!v || json_is_null(v)) {
        st_bind_text(st, s, name, is_json_column(e, col) && strcmp(col, "consent") ? "[]" : NULL);
    } else if (json_is_integer(v)) {
        st_bind_i64(st, s, name, json_integer_value(v));
    } else if (json_is_boolean(v)) {
        st_bind_i64(st, s, name, json_is_true(v));
    } else if (json_is_string(v)) {
        st_bind_text(st, s, name, json_string_value(v));
    } else {
        char *text = json_dumps(v, JSON_COMPACT);
        st_bind_text(st, s, name, text);
        free(text);
    }
}

int store_entity_get(struct store *st, const struct tb_actor *a, enum entity e, int64_t id,
                     json_t **out, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, stmt_of(e, ENT_OP_GET), a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":id", id);
    if (st_get_one(st, s, entities[e].name, out, err) < 0)
        return -1;
    decode_json_columns(e, *out);
    return 0;
}

int store_entity_get_text(struct store *st, const struct tb_actor *a, enum entity e, int64_t id,
                          const struct row_member *x, struct abuf *out, int64_t *version, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, stmt_of(e, ENT_OP_GET), a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":id", id);
    if (st_step_row(st, s, entities[e].name, err) < 0)
        return -1;
    *version = -1;
    for (int i = 0, n = st_col_count(s); i < n; i++)
        if (!strcmp(st_col_name(s, i), "version") && st_col_type(s, i) == ST_INTEGER)
            *version = st_col_i64(s, i);
    int rc = st_row_text(s, entities[e].json_columns, x, out);
    st_reset(s);
    return rc < 0 ? tb_error(err, TB_E_INTERNAL_ERROR, "", "out of memory") : 0;
}

/* A referenced record must exist, be visible to the actor, and belong to the
 * same operator; otherwise the field is named in a 400. */
static int check_foreign_keys(struct store *st, const struct tb_actor *a, enum entity e,
                              const json_t *fields, int64_t org_id, struct tb_err *err)
{
    for (const struct foreign_key *fk = entities[e].fks; fk->column; fk++) {
        json_t *v = json_object_get(fields, fk->column);
        if (!json_is_integer(v))
            continue;
        json_t *row;
        struct tb_err e2;
        if (store_entity_get(st, a, fk->target, json_integer_value(v), &row, &e2) < 0) {
            if (e2.status != 404) {
                *err = e2;
                return -1;
            }
            return TB_INVALID(err, fk->column, "%s: no %s with id %lld here", fk->column,
                              entities[fk->target].name, (long long)json_integer_value(v));
        }
        int64_t row_org = json_integer_value(json_object_get(row, "org_id"));
        json_decref(row);
        if (row_org != org_id)
            return TB_INVALID(err, fk->column, "%s: the %s belongs to another operator", fk->column,
                              entities[fk->target].name);
    }
    return 0;
}

static int resolve_org(struct store *st, const struct tb_actor *a, const json_t *fields,
                       int64_t *org_id, struct tb_err *err)
{
    json_t *v = json_object_get(fields, "org_id");
    if (!a->all_tenants) {
        if (v && json_integer_value(v) != a->tenant_id)
            return TB_INVALID(err, "org_id", "org_id: you can only add records to your own operator");
        *org_id = a->tenant_id;
        return 0;
    }
    if (!json_is_integer(v))
        return TB_INVALID(err, "org_id", "org_id: is required (which operator does this belong to?)");
    json_t *org;
    if (store_org_get(st, a, json_integer_value(v), &org, err) < 0) {
        snprintf(err->field, sizeof err->field, "org_id");
        err->status = 400;
        return -1;
    }
    int operator = !strcmp(json_string_value(json_object_get(org, "kind")), "operator");
    json_decref(org);
    if (!operator)
        return TB_INVALID(err, "org_id", "org_id: must be a national operator, not the foundation");
    *org_id = json_integer_value(v);
    return 0;
}

int store_entity_create(struct store *st, const struct tb_actor *a, enum entity e,
                        const json_t *fields, int64_t *id, struct tb_err *err)
{
    int64_t org_id = 0;
    int owned;
    if (resolve_org(st, a, fields, &org_id, err) < 0)
        return -1;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    if (check_foreign_keys(st, a, e, fields, org_id, err) < 0)
        goto out;
    struct st_q *s = st_stmt(st, stmt_of(e, ENT_OP_INSERT), a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":org_id", org_id);
    for (const char *const *c = entities[e].columns; *c; c++)
        bind_column(st, s, e, *c, json_object_get(fields, *c));
    if (st_step_done(st, s, entities[e].name, err) < 0)
        goto out;
    if (st_changes(st) != 1) {
        tb_fail(err, 403, "forbidden", "org_id", "org_id: not an operator you work for");
        goto out;
    }
    *id = st_last_id(st);
    json_t *shown = json_deep_copy(fields);
    json_object_del(shown, "org_id");
    const char *qk;
    json_t *qv;
    void *tmp;
    json_object_foreach_safe(shown, tmp, qk, qv)
        if (quiet_column(qk))
            json_object_set_new(shown, qk, json_string("(stored)"));
    json_t *d = st_diff(NULL, shown);
    rc = store_audit_add(st, a, org_id, "create", entities[e].name, *id, d, err);
    json_decref(d);
    json_decref(shown);
out:
    return st_tx_end(st, owned, rc, err);
}

/* The list statement of e for q, every filter bound; *key_column, *descending for st_list_run. */
static struct st_q *entity_list_stmt(struct store *st, const struct tb_actor *a, enum entity e,
                                     const struct list_query *q, const json_t *filters, const char **key_column,
                                     int *descending, struct tb_err *err)
{
    const char *sorts_named[] = {"id", "name", NULL}, *sorts_plain[] = {"id", "-id", NULL};
    int sort = st_sort_check(q->sort, entities[e].name_column ? sorts_named : sorts_plain, err);
    if (sort < 0)
        return NULL;
    struct st_q *s = st_stmt(st, stmt_of(e, sort == 1 ? ENT_OP_LIST_NAME : ENT_OP_LIST_ID), a, err);
    if (!s)
        return NULL;
    st_bind_q(st, s, q->q);
    /* Every declared filter is bound: to its value, or NULL (no filter). */
    for (const char *const *f = entities[e].filters; *f; f++) {
        char name[80];
        snprintf(name, sizeof name, ":f_%s", *f);
        st_bind_text(st, s, name, json_string_value(json_object_get(filters, *f)));
    }
    *key_column = sort == 1 ? entities[e].name_column : NULL;
    *descending = sort == 1 && !entities[e].name_column;
    return s;
}

int store_entity_list(struct store *st, const struct tb_actor *a, enum entity e,
                      const struct list_query *q, const json_t *filters, struct list_page *page,
                      struct tb_err *err)
{
    const char *key_column;
    int descending;
    struct st_q *s = entity_list_stmt(st, a, e, q, filters, &key_column, &descending, err);
    if (!s || st_list_run(st, s, q, key_column, descending, page, err) < 0)
        return -1;
    size_t i;
    json_t *row;
    json_array_foreach(page->items, i, row)
        decode_json_columns(e, row);
    return 0;
}

int store_entity_list_text(struct store *st, const struct tb_actor *a, enum entity e,
                           const struct list_query *q, const json_t *filters, const struct row_member *x,
                           struct abuf *items, char **next_cursor, struct tb_err *err)
{
    const char *key_column;
    int descending;
    struct st_q *s = entity_list_stmt(st, a, e, q, filters, &key_column, &descending, err);
    if (!s)
        return -1;
    return st_list_run_text(st, s, q, key_column, descending, entities[e].json_columns, x, items, next_cursor,
                            err);
}

int store_entity_update(struct store *st, const struct tb_actor *a, enum entity e, int64_t id,
                        int64_t version, const json_t *changes, json_t **out, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    json_t *old = NULL;
    int rc = -1;
    if (store_entity_get(st, a, e, id, &old, err) < 0 || st_version_mismatch(old, version, err) < 0)
        goto out;
    int64_t org_id = json_integer_value(json_object_get(old, "org_id"));
    if (check_foreign_keys(st, a, e, changes, org_id, err) < 0)
        goto out;
    struct st_q *s = st_stmt(st, stmt_of(e, ENT_OP_UPDATE), a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":id", id);
    st_bind_i64(st, s, ":version", json_integer_value(json_object_get(old, "version")));
    for (const char *const *c = entities[e].columns; *c; c++) {
        json_t *v = json_object_get(changes, *c);
        bind_column(st, s, e, *c, v ? v : json_object_get(old, *c));
    }
    if (st_step_done(st, s, entities[e].name, err) < 0)
        goto out;
    if (st_changes(st) != 1) {
        tb_fail(err, 412, "version_mismatch", "version", "version: the record was changed by someone else");
        goto out;
    }
    json_t *d = st_diff(old, changes);
    const char *k;
    json_t *v;
    json_object_foreach(d, k, v)
        if (quiet_column(k))
            json_object_set_new(d, k, json_pack("{s:s}", "new", "(stored)"));
    rc = json_object_size(d) ? store_audit_add(st, a, org_id, "update", entities[e].name, id, d, err) : 0;
    json_decref(d);
    if (rc == 0)
        rc = store_entity_get(st, a, e, id, out, err);
out:
    json_decref(old);
    return st_tx_end(st, owned, rc, err);
}

int store_entity_set_text(struct store *st, const struct tb_actor *a, enum entity e, int64_t id, int64_t version,
                          const char *field, const char *value, json_t **out, struct tb_err *err)
{
    json_t *changes = json_pack("{s:s}", field, value);
    int rc = changes ? store_entity_update(st, a, e, id, version, changes, out, err) : TB_INTERNAL(err, "out of memory");
    json_decref(changes);
    return rc;
}

int store_entity_delete(struct store *st, const struct tb_actor *a, enum entity e, int64_t id,
                        struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    json_t *old = NULL, *refs = NULL;
    int rc = -1;
    if (store_entity_get(st, a, e, id, &old, err) < 0)
        goto out;
    struct st_q *s = st_stmt(st, stmt_of(e, ENT_OP_REFS), a, err);
    if (!s)
        goto out;
    if (st_has_param(s, ":id"))   /* "0 AS unreferenced" for records nothing refers to */
        st_bind_i64(st, s, ":id", id);
    if (st_get_one(st, s, entities[e].name, &refs, err) < 0)
        goto out;
    char why[200] = "";
    const char *k;
    json_t *v;
    json_object_foreach(refs, k, v) {
        json_int_t n = json_integer_value(v);
        if (n > 0 && strcmp(k, "unreferenced") && strlen(why) < sizeof why - 40)
            snprintf(why + strlen(why), sizeof why - strlen(why), "%s%lld %s", why[0] ? ", " : "",
                     (long long)n, k);
    }
    if (why[0]) {
        tb_fail(err, 409, "still_referenced", "", "this %s is still referenced by %s", entities[e].name, why);
        goto out;
    }
    int64_t org_id = json_integer_value(json_object_get(old, "org_id"));
    s = st_stmt(st, stmt_of(e, ENT_OP_DELETE), a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":id", id);
    if (st_step_done(st, s, entities[e].name, err) < 0)
        goto out;
    /* The audit keeps what was deleted (less bookkeeping columns). */
    json_t *gone = json_object();
    for (const char *const *c = entities[e].columns; *c; c++) {
        json_t *val = json_object_get(old, *c);
        if (val && !json_is_null(val))
            json_object_set_new(gone, *c, json_pack("{s:O}", "old", val));
    }
    rc = store_audit_add(st, a, org_id, "delete", entities[e].name, id, gone, err);
    json_decref(gone);
out:
    json_decref(old);
    json_decref(refs);
    return st_tx_end(st, owned, rc, err);
}

/* ---- application history ---- */

int store_application_event(struct store *st, const struct tb_actor *a, int64_t org_id,
                            int64_t application_id, const char *from, const char *to,
                            const char *note, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_APP_EVENT_INSERT, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    st_bind_i64(st, s, ":application_id", application_id);
    st_bind_text(st, s, ":from_stage", from);
    st_bind_text(st, s, ":to_stage", to);
    st_bind_text(st, s, ":note", note);
    return st_step_done(st, s, "application history", err);
}

int store_application_events(struct store *st, const struct tb_actor *a, int64_t application_id,
                             json_t **out, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_APP_EVENTS_LIST, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":id", application_id);
    return st_rows(st, s, out, err);
}

/* ---- agreement ---- */

int store_agreement_accept(struct store *st, const struct tb_actor *a, int64_t org_id,
                           int64_t placement_id, const char *party, const char *terms_hash,
                           struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_AGREEMENT_INSERT, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    st_bind_i64(st, s, ":placement_id", placement_id);
    st_bind_text(st, s, ":party", party);
    st_bind_text(st, s, ":terms_hash", terms_hash);
    if (st_step_done(st, s, "agreement", err) < 0) {
        if (err->status == 409)
            tb_fail(err, 409, "already_accepted", "", "the %s has already accepted this agreement", party);
        return -1;
    }
    json_t *d = json_pack("{s:{s:s}, s:{s:s}}", "accepted_by", "new", party, "terms_hash", "new", terms_hash);
    int rc = store_audit_add(st, a, org_id, "update", "placement", placement_id, d, err);
    json_decref(d);
    return rc;
}

int store_agreement_list(struct store *st, const struct tb_actor *a, int64_t placement_id,
                         json_t **out, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_AGREEMENT_LIST, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":id", placement_id);
    return st_rows(st, s, out, err);
}

int store_agreement_clear(struct store *st, const struct tb_actor *a, int64_t placement_id,
                          struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_AGREEMENT_CLEAR, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":id", placement_id);
    return st_step_done(st, s, "agreement", err);
}

/* ---- CV files ---- */

int store_cv_put(struct store *st, const struct tb_actor *a, int64_t graduate_id, const void *data,
                 size_t len, const char *sha256, struct tb_err *err)
{
    json_t *g;
    if (store_entity_get(st, a, ENT_GRADUATE, graduate_id, &g, err) < 0)
        return -1;
    int64_t org_id = json_integer_value(json_object_get(g, "org_id"));
    json_decref(g);
    struct st_q *s = st_stmt(st, STMT_CV_PUT, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":graduate_id", graduate_id);
    st_bind_i64(st, s, ":org_id", org_id);
    st_bind_text(st, s, ":sha256", sha256);
    st_bind_blob(st, s, ":content", data, len);
    return st_step_done(st, s, "CV", err);
}

int store_cv_get(struct store *st, const struct tb_actor *a, int64_t graduate_id, void **data,
                 size_t *len, char sha256[65], struct tb_err *err)
{
    json_t *g;
    if (store_entity_get(st, a, ENT_GRADUATE, graduate_id, &g, err) < 0)
        return -1;
    json_decref(g);
    struct st_q *s = st_stmt(st, STMT_CV_GET, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":graduate_id", graduate_id);
    int rc = st_step(st, s);
    if (rc == ST_ROW) {
        *len = (size_t)st_col_bytes(s, 0);
        *data = malloc(*len ? *len : 1);
        memcpy(*data, st_col_blob(s, 0), *len);
        snprintf(sha256, 65, "%s", st_col_text(s, 1));
    }
    st_reset(s);
    if (rc == ST_DONE)
        return TB_NOT_FOUND(err, "no CV uploaded for this graduate");
    return rc == ST_ROW ? 0 : st_db_fail(st, err, "CV");
}

int store_cv_delete(struct store *st, const struct tb_actor *a, int64_t graduate_id,
                    struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_CV_DELETE, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":graduate_id", graduate_id);
    return st_step_done(st, s, "CV", err);
}

/* ---- dashboard counts ---- */

int store_programme_counts(struct store *st, const struct tb_actor *a, json_t **out,
                           struct tb_err *err)
{
    static const struct { enum entity e; const char *key; } sets[] = {
        {ENT_POSITION, "positions"}, {ENT_APPLICATION, "applications"}, {ENT_PLACEMENT, "placements"},
        {ENT_COMPANY, "companies"}, {ENT_GRADUATE, "graduates"}, {ENT_COHORT, "cohorts"},
    };
    /* Funders (viewers) see the operator-wide counts: aggregates, never
     * individual records (which their role scope hides). */
    struct tb_actor counted = *a;
    if (actor_has(a, ROLE_BIT(ROLE_VIEWER)) && !actor_has(a, ROLES_STAFF))
        counted.roles = ROLE_BIT(ROLE_COORDINATOR);
    json_t *result = json_object();
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        struct st_q *s = st_stmt(st, stmt_of(sets[i].e, ENT_OP_COUNTS), &counted, err);
        if (!s) {
            json_decref(result);
            return -1;
        }
        json_t *counts = json_object();
        int rc;
        while ((rc = st_step(st, s)) == ST_ROW)
            json_object_set_new(counts, st_col_text(s, 0),
                                json_integer(st_col_i64(s, 1)));
        st_reset(s);
        if (rc != ST_DONE) {
            json_decref(counts);
            json_decref(result);
            return st_db_fail(st, err, "counts");
        }
        /* Whole-table counts are numbers (0 when nothing is visible);
         * counts per status or stage are objects. */
        int scalar = sets[i].e == ENT_COMPANY || sets[i].e == ENT_GRADUATE || sets[i].e == ENT_COHORT;
        json_t *all = json_object_get(counts, "all");
        if (scalar)
            json_object_set_new(result, sets[i].key, json_integer(all ? json_integer_value(all) : 0));
        else
            json_object_set(result, sets[i].key, counts);
        json_decref(counts);
    }
    *out = result;
    return 0;
}

/* ---- GDPR erasure ---- */

static int run_by_id(struct store *st, const struct tb_actor *a, enum stmt id_stmt, const char *entity,
                     int64_t id, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, id_stmt, a, err);
    if (!s)
        return -1;
    /* The erasure statements name the graduate (or user) :id or :graduate_id. */
    st_bind_i64(st, s, st_has_param(s, ":id") ? ":id" : ":graduate_id", id);
    if (st_has_param(s, ":entity"))
        st_bind_text(st, s, ":entity", entity);
    return st_step_done(st, s, "erasure", err);
}

int store_graduate_erase(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    json_t *g = NULL;
    int rc = -1;
    if (store_entity_get(st, a, ENT_GRADUATE, id, &g, err) < 0)
        goto out;
    if (!json_is_null(json_object_get(g, "erased_at"))) {
        tb_fail(err, 409, "already_erased", "", "this graduate's personal data was already erased");
        goto out;
    }
    int64_t org_id = json_integer_value(json_object_get(g, "org_id"));
    /* queued mail first, while the graduate and the account still name the addresses */
    if (run_by_id(st, a, STMT_TR_ERASE_OUTBOX, "graduate", id, err) < 0)
        goto out;
    json_t *user = json_object_get(g, "user_id");
    if (json_is_integer(user)) {
        int64_t uid = json_integer_value(user);
        struct st_q *s = st_stmt(st, STMT_USER_ERASE, a, err);
        if (!s)
            goto out;
        st_bind_i64(st, s, ":id", uid);
        if (st_step_done(st, s, "erasure", err) < 0)
            goto out;
        s = st_stmt(st, STMT_SESSION_DELETE_USER, a, err);
        if (!s)
            goto out;
        st_bind_i64(st, s, ":user_id", uid);
        if (st_step_done(st, s, "erasure", err) < 0 || run_by_id(st, a, STMT_AUDIT_SCRUB, "user", uid, err) < 0)
            goto out;
    }
    if (run_by_id(st, a, STMT_CV_DELETE, "graduate", id, err) < 0 ||
        run_by_id(st, a, STMT_APP_EVENT_NOTES_SCRUB, "graduate", id, err) < 0 ||
        run_by_id(st, a, STMT_APP_NOTES_SCRUB, "graduate", id, err) < 0 ||
        run_by_id(st, a, STMT_AUDIT_SCRUB, "graduate", id, err) < 0 ||
        run_by_id(st, a, STMT_AUDIT_SCRUB_APPLICATIONS, "application", id, err) < 0 ||
        run_by_id(st, a, STMT_AUDIT_SCRUB_INVITATIONS, "invitation", id, err) < 0 ||
        run_by_id(st, a, STMT_INVITATIONS_ERASE, "invitation", id, err) < 0 ||
        /* training: the audit first, while the rows still name the graduate's work */
        run_by_id(st, a, STMT_TR_ERASE_AUDIT, "training", id, err) < 0 ||
        run_by_id(st, a, STMT_TR_ERASE_BODIES, "training", id, err) < 0 ||
        run_by_id(st, a, STMT_TR_ERASE_FILES, "training", id, err) < 0 ||
        run_by_id(st, a, STMT_TR_ERASE_REVIEWS, "training", id, err) < 0 ||
        run_by_id(st, a, STMT_TR_ERASE_ANSWERS, "training", id, err) < 0 ||
        run_by_id(st, a, STMT_IMPACT_SURVEY_SCRUB, "graduate", id, err) < 0 ||   /* impact: answers stay, anonymous */
        run_by_id(st, a, STMT_GRADUATE_ERASE, "graduate", id, err) < 0)
        goto out;
    json_t *d = json_pack("{s:{s:b}}", "erased", "new", 1);
    rc = store_audit_add(st, a, org_id, "update", "graduate", id, d, err);
    json_decref(d);
out:
    json_decref(g);
    return st_tx_end(st, owned, rc, err);
}

/* ---- matching settings ---- */

int st_settings_get(struct store *st, const struct tb_actor *a, enum stmt get, int64_t org_id,
                    json_t **out, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, get, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    int rc = st_step(st, s);
    *out = NULL;
    if (rc == ST_ROW)
        *out = json_loads(st_col_text(s, 0), 0, NULL);
    st_reset(s);
    return (rc == ST_ROW || rc == ST_DONE) ? 0 : st_db_fail(st, err, "settings");
}

int st_settings_put(struct store *st, const struct tb_actor *a, enum stmt get, enum stmt put,
                    const char *entity, int64_t org_id, const json_t *weights, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    json_t *old = NULL;
    int rc = st_settings_get(st, a, get, org_id, &old, err);
    struct st_q *s = rc == 0 ? st_stmt(st, put, a, err) : NULL;
    if (s) {
        st_bind_i64(st, s, ":org_id", org_id);
        char *text = json_dumps(weights, JSON_COMPACT | JSON_SORT_KEYS);
        st_bind_text(st, s, ":weights", text);
        free(text);
        rc = st_step_done(st, s, "settings", err);
        if (rc == 0 && st_changes(st) != 1)
            rc = TB_NOT_FOUND(err, "organization not found");
        if (rc == 0) {
            json_t *d = json_pack("{s:{s:O, s:O}}", "weights", "old", old ? old : json_null(), "new", weights);
            rc = store_audit_add(st, a, org_id, "update", entity, org_id, d, err);
            json_decref(d);
        }
    } else {
        rc = -1;
    }
    json_decref(old);
    return st_tx_end(st, owned, rc, err);
}

int store_match_settings_get(struct store *st, const struct tb_actor *a, int64_t org_id,
                             json_t **out, struct tb_err *err)
{
    return st_settings_get(st, a, STMT_MATCH_SETTINGS_GET, org_id, out, err);
}

int store_match_settings_put(struct store *st, const struct tb_actor *a, int64_t org_id,
                             const json_t *weights, struct tb_err *err)
{
    return st_settings_put(st, a, STMT_MATCH_SETTINGS_GET, STMT_MATCH_SETTINGS_PUT, "match_settings",
                           org_id, weights, err);
}

/* ---- issuing credentials ---- */

int store_issuer_key_current(struct store *st, const struct tb_actor *a, int64_t org_id,
                             struct issuer_key *out, int *found, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_ISSUER_KEY_CURRENT, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    int rc = st_step(st, s);
    *found = rc == ST_ROW;
    if (*found) {
        out->id = st_col_i64(s, 0);
        snprintf(out->public_key, sizeof out->public_key, "%s", st_col_text(s, 1));
        snprintf(out->sealed_secret, sizeof out->sealed_secret, "%s", st_col_text(s, 2));
    }
    st_reset(s);
    return (rc == ST_ROW || rc == ST_DONE) ? 0 : st_db_fail(st, err, "keys");
}

int store_issuer_key_rotate(struct store *st, const struct tb_actor *a, int64_t org_id,
                            const char *public_key, const char *sealed_secret, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    struct st_q *s = st_stmt(st, STMT_ISSUER_KEY_RETIRE, a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":org_id", org_id);
    if (st_step_done(st, s, "keys", err) < 0)
        goto out;
    s = st_stmt(st, STMT_ISSUER_KEY_INSERT, a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":org_id", org_id);
    st_bind_text(st, s, ":public_key", public_key);
    st_bind_text(st, s, ":sealed_secret", sealed_secret);
    if (st_step_done(st, s, "keys", err) < 0)
        goto out;
    if (st_changes(st) != 1) {
        TB_NOT_FOUND(err, "organization not found");
        goto out;
    }
    /* The public key is logged; the sealed secret never is. */
    json_t *d = json_pack("{s:{s:s}}", "public_key", "new", public_key);
    rc = store_audit_add(st, a, org_id, "create", "issuer_key", st_last_id(st), d, err);
    json_decref(d);
out:
    return st_tx_end(st, owned, rc, err);
}

int store_issuer_keys_public(struct store *st, int64_t org_id, json_t **out, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_ISSUER_KEYS_PUBLIC, NULL, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    return st_rows(st, s, out, err);
}

int store_status_list_get(struct store *st, const struct tb_actor *a, int64_t org_id,
                          const char *purpose, char **encoded, int *found, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_STATUS_LIST_GET, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    st_bind_text(st, s, ":purpose", purpose);
    int rc = st_step(st, s);
    *found = rc == ST_ROW;
    *encoded = *found ? strdup(st_col_text(s, 0)) : NULL;
    st_reset(s);
    return (rc == ST_ROW || rc == ST_DONE) ? 0 : st_db_fail(st, err, "status list");
}

int store_status_list_put(struct store *st, const struct tb_actor *a, int64_t org_id,
                          const char *purpose, const char *encoded, const json_t *credential,
                          struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_STATUS_LIST_PUT, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    st_bind_text(st, s, ":purpose", purpose);
    st_bind_text(st, s, ":encoded", encoded);
    char *text = credential ? json_dumps(credential, JSON_COMPACT) : NULL;
    st_bind_text(st, s, ":credential", text);
    free(text);
    if (st_step_done(st, s, "status list", err) < 0)
        return -1;
    return st_changes(st) == 1 ? 0 : TB_NOT_FOUND(err, "organization not found");
}

int store_status_list_public(struct store *st, int64_t org_id, const char *purpose, json_t **out,
                             struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_STATUS_LIST_PUBLIC, NULL, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    st_bind_text(st, s, ":purpose", purpose);
    int rc = st_step(st, s);
    *out = NULL;
    if (rc == ST_ROW && st_col_type(s, 0) == ST_TEXT)
        *out = json_loads(st_col_text(s, 0), 0, NULL);
    st_reset(s);
    if (rc != ST_ROW && rc != ST_DONE)
        return st_db_fail(st, err, "status list");
    return *out ? 0 : TB_NOT_FOUND(err, "no %s list has been published by this issuer", purpose);
}

int store_credential_next_index(struct store *st, const struct tb_actor *a, int64_t org_id,
                                int64_t *index, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_CREDENTIAL_NEXT_INDEX, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    int rc = st_step(st, s);
    *index = rc == ST_ROW ? st_col_i64(s, 0) : 0;
    st_reset(s);
    return rc == ST_ROW ? 0 : st_db_fail(st, err, "credentials");
}

int store_accredited_on(struct store *st, int64_t org_id, const char *date, int *yes,
                        struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_ACCREDITED_ON, NULL, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    st_bind_text(st, s, ":date", date);
    int rc = st_step(st, s);
    *yes = rc == ST_ROW && st_col_i64(s, 0) > 0;
    st_reset(s);
    return rc == ST_ROW ? 0 : st_db_fail(st, err, "accreditation");
}

int store_credential_set_status(struct store *st, const struct tb_actor *a, int64_t id,
                                const char *status, const char *reason, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    json_t *old = NULL;
    int rc = -1;
    if (store_entity_get(st, a, ENT_CREDENTIAL, id, &old, err) < 0)
        goto out;
    struct st_q *s = st_stmt(st, STMT_CREDENTIAL_SET_STATUS, a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":id", id);
    st_bind_text(st, s, ":status", status);
    st_bind_text(st, s, ":reason", reason);
    if (st_step_done(st, s, "credential", err) < 0)
        goto out;
    json_t *d = json_pack("{s:{s:O, s:s}, s:{s:s?}}", "status", "old", json_object_get(old, "status"), "new",
                          status, "status_reason", "new", reason);
    rc = store_audit_add(st, a, json_integer_value(json_object_get(old, "org_id")), "update", "credential", id, d, err);
    json_decref(d);
out:
    json_decref(old);
    return st_tx_end(st, owned, rc, err);
}

int store_credential_public(struct store *st, const char *credential_id, json_t **document,
                            struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_CREDENTIAL_PUBLIC, NULL, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":credential_id", credential_id);
    int rc = st_step(st, s);
    *document = rc == ST_ROW ? json_loads(st_col_text(s, 0), 0, NULL) : NULL;
    st_reset(s);
    if (rc != ST_ROW && rc != ST_DONE)
        return st_db_fail(st, err, "credential");
    return *document ? 0 : TB_NOT_FOUND(err, "no credential with this id");
}

int store_default_catalogue(struct store *st, const struct tb_actor *a, int64_t org_id, struct tb_err *err)
{
    /* ESCO skill alignments are left to each operator: they name the skills
     * their own curriculum covers. */
    json_t *ach = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:i, s:[]}", "org_id", (json_int_t)org_id, "name", DEFAULT_ACHIEVEMENT_NAME,
        "description",
        "Twelve months of applied international trade at an exporting SME: market research, market entry, "
        "international marketing, trade finance and payment, logistics, customs and Incoterms, trade law, "
        "negotiation and culture, digital trade, combined with the company's real export project.",
        "criteria",
        "Passed the test of each training module and delivered the workplace deliverables and the export "
        "project at the host company, signed off by the in-company mentor and reviewed by the operator.",
        "eqf_level", "6", "credits", 60, "alignments");
    /* Created by whoever creates the operator, into the new operator. */
    struct tb_actor sys = st_elevate(a, ELEV_DEFAULT_CATALOGUE);
    int64_t id;
    int rc = store_entity_create(st, &sys, ENT_ACHIEVEMENT, ach, &id, err);
    json_decref(ach);
    return rc;
}

int store_position_runs(struct store *st, const struct tb_actor *a, int64_t position_id,
                        const struct list_query *q, struct list_page *page, struct tb_err *err)
{
    json_t *pos;
    if (store_entity_get(st, a, ENT_POSITION, position_id, &pos, err) < 0)
        return -1;
    char cohort[24];
    snprintf(cohort, sizeof cohort, "%lld", (long long)json_integer_value(json_object_get(pos, "cohort_id")));
    json_decref(pos);
    struct tb_actor staff = *a;
    if (!a->all_tenants && !actor_has(a, ROLES_STAFF))
        staff.roles = ROLE_BIT(ROLE_COORDINATOR);
    json_t *filter = json_pack("{s:s}", "cohort_id", cohort);
    int rc = store_entity_list(st, &staff, ENT_MATCH_RUN, q, filter, page, err);
    json_decref(filter);
    return rc;
}
