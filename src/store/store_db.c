/*
 * store_db.c - the SQLite backend of store.h: opening a connection,
 * transactions, health, online backup and the schema dump.
 *
 * One connection per thread (the HTTP layer keeps one per worker), WAL mode,
 * synchronous=NORMAL: in WAL mode a committed transaction survives a crash of
 * the process (it is in the WAL file before COMMIT returns), though not a
 * power loss; FULL would cost ~10x on writes for the power-loss case only.
 * Statements are prepared on first use (after migrations created the tables)
 * with SQLITE_PREPARE_PERSISTENT and kept for the life of the connection.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include <unistd.h>

/* ---- transactions -------------------------------------------------------- */

int store_begin(struct store *st, struct tb_err *err)
{
    /* IMMEDIATE takes the write lock now, so a transaction never fails half
     * way with SQLITE_BUSY on its first write; the busy timeout waits. */
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return st_db_fail(st, err, "begin");
    return 0;
}

int store_commit(struct store *st, struct tb_err *err)
{
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        st_db_fail(st, err, "commit");
        store_rollback(st);
        return -1;
    }
    return 0;
}

void store_rollback(struct store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Starts a transaction unless the caller already holds one; *owned says
 * whether tx_end must commit it. */
int st_tx_begin(struct store *st, int *owned, struct tb_err *err)
{
    *owned = sqlite3_get_autocommit(st->db);
    return *owned ? store_begin(st, err) : 0;
}

int st_tx_end(struct store *st, int owned, int rc, struct tb_err *err)
{
    if (!owned)
        return rc;
    if (rc < 0) {
        store_rollback(st);
        return -1;
    }
    return store_commit(st, err);
}

/* ---- open, migrate, backup ---------------------------------------------- */

int store_open(const char *path, struct store **out, struct tb_err *err)
{
    struct store *st = calloc(1, sizeof *st);
    if (!st)
        return TB_INTERNAL(err, "out of memory");
    int rc = sqlite3_open_v2(path, &st->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        tb_fail(err, 500, "database_unavailable", "", "cannot open database %s: %s", path,
                st->db ? sqlite3_errmsg(st->db) : "out of memory");
        sqlite3_close(st->db);
        free(st);
        return -1;
    }
    sqlite3_busy_timeout(st->db, 5000);
    sqlite3_extended_result_codes(st->db, 0);
    const char *pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                          "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";
    char *msg = NULL;
    if (sqlite3_exec(st->db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        tb_fail(err, 500, "database_unavailable", "", "cannot configure database %s: %s", path,
                msg ? msg : "unknown error");
        sqlite3_free(msg);
        sqlite3_close(st->db);
        free(st);
        return -1;
    }
    *out = st;
    return 0;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    for (int i = 0; i < STMT__MAX; i++)
        sqlite3_finalize(st->slots[i].s);
    /* Lets SQLite checkpoint and drop the WAL when this is the last connection. */
    sqlite3_close(st->db);
    free(st);
}

int store_health(struct store *st, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_HEALTH, NULL, err);
    if (!s)
        return -1;
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? 0 : st_db_fail(st, err, "health");
}

int store_backup(struct store *st, const char *dest_path, struct tb_err *err)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.partial", dest_path);
    unlink(tmp);
    sqlite3 *dest;
    if (sqlite3_open(tmp, &dest) != SQLITE_OK) {
        tb_fail(err, 500, "backup_failed", "", "cannot create %s: %s", tmp, sqlite3_errmsg(dest));
        sqlite3_close(dest);
        return -1;
    }
    sqlite3_backup *b = sqlite3_backup_init(dest, "main", st->db, "main");
    if (!b) {
        tb_fail(err, 500, "backup_failed", "", "backup failed: %s", sqlite3_errmsg(dest));
        sqlite3_close(dest);
        unlink(tmp);
        return -1;
    }
    int rc;
    /* Copy in chunks so writers are held up only briefly between steps;
     * a step that sees a concurrent change restarts transparently. */
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        tb_fail(err, 500, "backup_failed", "", "backup failed: %s", sqlite3_errstr(rc));
        sqlite3_close(dest);
        unlink(tmp);
        return -1;
    }
    /* The copy is a self-contained file: no WAL beside it. */
    sqlite3_exec(dest, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    sqlite3_close(dest);
    if (rename(tmp, dest_path) != 0) {
        unlink(tmp);
        return tb_fail(err, 500, "backup_failed", "", "cannot write %s", dest_path);
    }
    return 0;
}

int store_schema_dump(struct store *st, char **out, struct tb_err *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT type || ' ' || name || ': ' || IFNULL(sql, '') FROM sqlite_master "
                           "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
                           -1, &s, NULL) != SQLITE_OK)
        return st_db_fail(st, err, "schema");
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    buf[0] = '\0';
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(s, 0);
        size_t n = strlen(line);
        while (len + n + 2 > cap)
            buf = realloc(buf, cap *= 2);
        memcpy(buf + len, line, n);
        len += n;
        buf[len++] = '\n';
        buf[len] = '\0';
    }
    sqlite3_finalize(s);
    *out = buf;
    return 0;
}
