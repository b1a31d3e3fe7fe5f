/*
 * store_audit.c - the audit log, and the change records written to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"


/* ---- audit --------------------------------------------------------------- */

int store_audit_add(struct store *st, const struct tb_actor *a, int64_t org_id,
                    const char *action, const char *entity, int64_t entity_id,
                    const json_t *changes, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_AUDIT_INSERT, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    st_bind_text(st, s, ":action", action);
    st_bind_text(st, s, ":entity", entity);
    st_bind_i64(st, s, ":entity_id", entity_id);
    char *text = changes ? json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    st_bind_text(st, s, ":changes", text ? text : "{}");
    free(text);
    int rc = st_step_done(st, s, "audit", err);
    if (rc == 0 && st_changes(st) != 1)
        return tb_fail(err, 404, "not_found", "", "%s not found", entity);
    return rc;
}

/* {"field":{"old":x,"new":y}} for each field in `changes` whose value differs. */
json_t *st_diff(const json_t *old, const json_t *changes)
{
    json_t *d = json_object();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)changes, k, v) {
        json_t *was = old ? json_object_get(old, k) : NULL;
        if (was && json_equal(was, v))
            continue;
        json_t *pair = json_object();
        if (old)
            json_object_set(pair, "old", was ? was : json_null());
        json_object_set(pair, "new", v);
        json_object_set_new(d, k, pair);
    }
    return d;
}

int store_audit_list(struct store *st, const struct tb_actor *a, const struct list_query *q,
                     struct list_page *page, struct tb_err *err)
{
    static const char *const sorts[] = {"-id", "id", NULL};
    int sort = st_sort_check(q->sort, sorts, err);
    if (sort < 0)
        return -1;
    struct st_q *s = st_stmt(st, sort == 1 ? STMT_AUDIT_LIST_ASC : STMT_AUDIT_LIST_DESC, a, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":entity", q->f1);
    st_bind_text(st, s, ":action", q->f2);
    st_bind_text(st, s, ":user_id", q->f3);
    st_bind_text(st, s, ":entity_id", q->q);
    return st_list_run(st, s, q, NULL, sort != 1, page, err);
}

/* Shared shape of versioned updates: read the row, check the version, write,
 * audit the difference, return the new row. */
int st_version_mismatch(const json_t *row, int64_t version, struct tb_err *err)
{
    int64_t current = json_integer_value(json_object_get(row, "version"));
    if (version && version != current)
        return tb_fail(err, 412, "version_mismatch", "version",
                       "version: the record was changed by someone else (now version %lld); reload and retry",
                       (long long)current);
    return 0;
}
