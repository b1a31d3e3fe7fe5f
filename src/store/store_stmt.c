/*
 * store_stmt.c - running the closed statement set: preparing, binding by
 * name, stepping, rows as JSON, and the database-error count.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include <stdatomic.h>
#include <time.h>

static atomic_ulong db_errors;

unsigned long store_db_errors(void)
{
    return atomic_load(&db_errors);
}

int st_db_fail(struct store *st, struct tb_err *err, const char *what)
{
    atomic_fetch_add(&db_errors, 1);
    /* The detail goes to the server log only; clients get a plain 500. */
    fprintf(stderr, "store: %s: %s\n", what, st && st->db ? sqlite3_errmsg(st->db) : "no database");
    return TB_INTERNAL(err, "the database could not complete the request");
}

void st_now_text(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- statements and binding ------------------------------------------- */

sqlite3_stmt *st_stmt(struct store *st, enum stmt id, struct tb_err *err)
{
    int n;
    const struct store_stmt_info *info = store_statements(&n);
    if (!st->stmts[id]) {
        if (sqlite3_prepare_v3(st->db, info[id].sql, -1, SQLITE_PREPARE_PERSISTENT,
                               &st->stmts[id], NULL) != SQLITE_OK) {
            st_db_fail(st, err, info[id].name);
            return NULL;
        }
    }
    sqlite3_stmt *s = st->stmts[id];
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}

/* Binding by name; a statement that does not use the name ignores it, so the
 * actor can be bound to every statement the same way. */
void st_bind_i64(sqlite3_stmt *s, const char *name, int64_t v)
{
    int i = sqlite3_bind_parameter_index(s, name);
    if (i)
        sqlite3_bind_int64(s, i, v);
}

void st_bind_text(sqlite3_stmt *s, const char *name, const char *v)
{
    int i = sqlite3_bind_parameter_index(s, name);
    if (i) {
        if (v)
            sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(s, i);
    }
}

void st_bind_opt_i64(sqlite3_stmt *s, const char *name, int64_t v)
{
    int i = sqlite3_bind_parameter_index(s, name);
    if (i) {
        if (v)
            sqlite3_bind_int64(s, i, v);
        else
            sqlite3_bind_null(s, i);
    }
}

void st_bind_q(sqlite3_stmt *s, const char *q)
{
    st_bind_text(s, ":q", q);
    int i = sqlite3_bind_parameter_index(s, ":q_like");
    if (!i)
        return;
    if (!q) {
        sqlite3_bind_null(s, i);
        return;
    }
    size_t n = strlen(q);
    char *esc = malloc(2 * n + 1), *o = esc;
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '!')
            *o++ = '!';
        *o++ = *p;
    }
    *o = '\0';
    sqlite3_bind_text(s, i, esc, -1, free);
}

void st_bind_actor(sqlite3_stmt *s, const struct tb_actor *a)
{
    st_bind_i64(s, ":tenant", a->tenant_id);
    st_bind_i64(s, ":all", a->all_tenants ? 1 : 0);
    st_bind_i64(s, ":self", a->user_id);
    st_bind_i64(s, ":staff", actor_has(a, ROLES_STAFF));
    st_bind_i64(s, ":now_unix", (int64_t)time(NULL));
    st_bind_text(s, ":client_addr", a->client_addr);
    char now[32];
    st_now_text(now);
    st_bind_text(s, ":now", now);
}

json_t *st_row_json(sqlite3_stmt *s)
{
    json_t *o = json_object();
    int n = sqlite3_column_count(s);
    for (int i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(s, i);
        json_t *v;
        switch (sqlite3_column_type(s, i)) {
        case SQLITE_INTEGER:
            v = json_integer(sqlite3_column_int64(s, i));
            break;
        case SQLITE_FLOAT:
            v = json_real(sqlite3_column_double(s, i));
            break;
        case SQLITE_NULL:
            v = json_null();
            break;
        default: {
            const char *text = (const char *)sqlite3_column_text(s, i);
            /* Columns holding JSON documents are returned as structure. */
            if (!strcmp(name, "changes")) {
                v = json_loads(text, 0, NULL);
                if (!v)
                    v = json_null();
            } else {
                v = json_string(text);
            }
        }
        }
        json_object_set_new(o, name, v);
    }
    return o;
}

int st_step_done(struct store *st, sqlite3_stmt *s, const char *what, struct tb_err *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc == SQLITE_CONSTRAINT)
        return tb_fail(err, 409, "conflict", "", "%s: already exists or still referenced", what);
    return st_db_fail(st, err, what);
}

/* One row as JSON; 404 when there is none. */
int st_get_one(struct store *st, sqlite3_stmt *s, const char *what, json_t **out,
                   struct tb_err *err)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = st_row_json(s);
        sqlite3_reset(s);
        return 0;
    }
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return TB_NOT_FOUND(err, "%s not found", what);
    return st_db_fail(st, err, what);
}

int st_rows(struct store *st, sqlite3_stmt *s, json_t **out, struct tb_err *err)
{
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(arr, st_row_json(s));
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return st_db_fail(st, err, "list");
    }
    *out = arr;
    return 0;
}

int store_prepare_all(struct store *st, struct tb_err *err)
{
    int n;
    const struct store_stmt_info *info = store_statements(&n);
    for (int i = 0; i < n; i++)
        if (!st_stmt(st, (enum stmt)i, err))
            return tb_fail(err, 500, "internal_error", "", "statement %s does not compile", info[i].name);
    return 0;
}
