/*
 * store_migrate.c - applying the backend's embedded migrations
 * (sql/sqlite/NNNN_*.sql or sql/postgres/NNNN_*.sql) in order, each in its
 * own transaction, recorded in schema_migrations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* The applied versions, from STMT_MIGRATIONS_LIST. */
static int applied_versions(struct store *st, json_t **out, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_MIGRATIONS_LIST, NULL, err);
    if (!s)
        return -1;
    return st_rows(st, s, out, err);
}

static int is_applied(const json_t *rows, const char *version)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *v = json_string_value(json_object_get(row, "version"));
        if (v && !strcmp(v, version))
            return 1;
    }
    return 0;
}

int store_migrate(struct store *st, const char *upto, int *applied, struct tb_err *err)
{
    *applied = 0;
    if (st_exec(st, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    "version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)") < 0)
        return st_db_fail(st, err, "migrations");
    json_t *done = NULL;
    if (applied_versions(st, &done, err) < 0)
        return -1;
    int rc = 0;
    for (const struct embedded_file *f = st->be->migrations; f->name && rc == 0; f++) {
        char version[128];
        snprintf(version, sizeof version, "%s", f->name);
        char *dot = strrchr(version, '.');
        if (dot)
            *dot = '\0';
        if (upto && strcmp(version, upto) > 0)
            break;
        if (is_applied(done, version))
            continue;
        if (store_begin(st, err) < 0) {
            rc = -1;
            break;
        }
        if (st_exec(st, (const char *)f->data) < 0) {
            tb_fail(err, 500, "migration_failed", "", "migration %s failed: %s", version, st->be->errmsg(st));
            store_rollback(st);
            rc = -1;
            break;
        }
        struct st_q *s = st_stmt(st, STMT_MIGRATION_INSERT, NULL, err);
        if (s)
            st_bind_text(st, s, ":version", version);
        if (!s || st_step_done(st, s, "migrations", err) < 0) {
            store_rollback(st);
            rc = -1;
            break;
        }
        if (store_commit(st, err) < 0) {
            rc = -1;
            break;
        }
        (*applied)++;
    }
    json_decref(done);
    return rc;
}

int store_migrations_applied(struct store *st, json_t **out, struct tb_err *err)
{
    json_t *rows;
    if (applied_versions(st, &rows, err) < 0)
        return -1;
    json_t *arr = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        json_array_append(arr, json_object_get(row, "version"));
    json_decref(rows);
    *out = arr;
    return 0;
}
