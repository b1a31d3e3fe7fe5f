/*
 * store_migrate.c - applying the embedded migrations (sql/sqlite/NNNN_*.sql)
 * in order, each in its own transaction, recorded in schema_migrations.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/embedded.h"

extern const struct embedded_file sql_sqlite_files[];

static int migration_applied(struct store *st, const char *version, int *yes, struct tb_err *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM schema_migrations WHERE version = ?1", -1, &s,
                           NULL) != SQLITE_OK)
        return st_db_fail(st, err, "migrations");
    sqlite3_bind_text(s, 1, version, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    *yes = rc == SQLITE_ROW;
    sqlite3_finalize(s);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : st_db_fail(st, err, "migrations");
}

int store_migrate(struct store *st, const char *upto, int *applied, struct tb_err *err)
{
    *applied = 0;
    if (sqlite3_exec(st->db,
                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     "version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
                     NULL, NULL, NULL) != SQLITE_OK)
        return st_db_fail(st, err, "migrations");
    for (const struct embedded_file *f = sql_sqlite_files; f->name; f++) {
        char version[128];
        snprintf(version, sizeof version, "%s", f->name);
        char *dot = strrchr(version, '.');
        if (dot)
            *dot = '\0';
        if (upto && strcmp(version, upto) > 0)
            break;
        int done = 0;
        if (migration_applied(st, version, &done, err) < 0)
            return -1;
        if (done)
            continue;
        if (store_begin(st, err) < 0)
            return -1;
        char *msg = NULL;
        if (sqlite3_exec(st->db, (const char *)f->data, NULL, NULL, &msg) != SQLITE_OK) {
            tb_fail(err, 500, "migration_failed", "", "migration %s failed: %s", version,
                    msg ? msg : "unknown error");
            sqlite3_free(msg);
            store_rollback(st);
            return -1;
        }
        sqlite3_stmt *s;
        char now[32];
        st_now_text(now);
        if (sqlite3_prepare_v2(st->db, "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                               -1, &s, NULL) != SQLITE_OK) {
            store_rollback(st);
            return st_db_fail(st, err, "migrations");
        }
        sqlite3_bind_text(s, 1, version, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, now, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(s);
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE) {
            store_rollback(st);
            return st_db_fail(st, err, "migrations");
        }
        if (store_commit(st, err) < 0)
            return -1;
        (*applied)++;
    }
    return 0;
}

int store_migrations_applied(struct store *st, json_t **out, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_MIGRATIONS_LIST, NULL, err);
    if (!s)
        return -1;
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(arr, json_string((const char *)sqlite3_column_text(s, 0)));
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return st_db_fail(st, err, "migrations");
    }
    *out = arr;
    return 0;
}
