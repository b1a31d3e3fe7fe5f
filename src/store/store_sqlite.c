/*
 * store_sqlite.c - the SQLite backend of the store: the connection, the
 * statement operations the executor (store_stmt.c) calls, online backup and
 * the schema dump. The only file of the store that calls sqlite3_*.
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
#include <unistd.h>

#include "core/arena.h"
#include "core/date.h"
#include "store/store_int.h"

extern const struct embedded_file sql_sqlite_files[];

#define DB(st) ((sqlite3 *)(st)->db)
#define S(q) ((sqlite3_stmt *)(q)->h)

static int sq_prepare(struct store *st, struct st_q *q, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(DB(st), sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
        return -1;
    q->h = s;
    return sqlite3_bind_parameter_count(s);
}

static void sq_finalize(struct st_q *q) { sqlite3_finalize(S(q)); }
static int sq_param_index(struct st_q *q, const char *name) { return sqlite3_bind_parameter_index(S(q), name); }
static const char *sq_param_name(struct st_q *q, int i) { return sqlite3_bind_parameter_name(S(q), i); }

static void sq_clear(struct st_q *q)
{
    sqlite3_reset(S(q));
    sqlite3_clear_bindings(S(q));
}

static void sq_reset(struct st_q *q) { sqlite3_reset(S(q)); }
static void sq_bind_null(struct st_q *q, int i, int integer)
{
    (void)integer;
    sqlite3_bind_null(S(q), i);
}
static void sq_bind_i64(struct st_q *q, int i, int64_t v) { sqlite3_bind_int64(S(q), i, v); }
static void sq_bind_double(struct st_q *q, int i, double v) { sqlite3_bind_double(S(q), i, v); }

static void sq_bind_text(struct st_q *q, int i, const char *v)
{
    sqlite3_bind_text(S(q), i, v, -1, SQLITE_TRANSIENT);
}

static void sq_bind_blob(struct st_q *q, int i, const void *v, size_t len)
{
    sqlite3_bind_blob(S(q), i, v, (int)len, SQLITE_TRANSIENT);
}

static int sq_step(struct st_q *q)
{
    int rc = sqlite3_step(S(q));
    switch (rc) {
    case SQLITE_ROW: return ST_ROW;
    case SQLITE_DONE: return ST_DONE;
    case SQLITE_CONSTRAINT: return ST_CONSTRAINT;
    default: return ST_ERROR;
    }
}

static int sq_col_count(struct st_q *q) { return sqlite3_column_count(S(q)); }
static const char *sq_col_name(struct st_q *q, int i) { return sqlite3_column_name(S(q), i); }

static int sq_col_type(struct st_q *q, int i)
{
    switch (sqlite3_column_type(S(q), i)) {
    case SQLITE_INTEGER: return ST_INTEGER;
    case SQLITE_FLOAT: return ST_FLOAT;
    case SQLITE_BLOB: return ST_BLOB;
    case SQLITE_NULL: return ST_NULL;
    default: return ST_TEXT;
    }
}

static int64_t sq_col_i64(struct st_q *q, int i) { return sqlite3_column_int64(S(q), i); }
static double sq_col_double(struct st_q *q, int i) { return sqlite3_column_double(S(q), i); }
static const char *sq_col_text(struct st_q *q, int i) { return (const char *)sqlite3_column_text(S(q), i); }
static const void *sq_col_blob(struct st_q *q, int i) { return sqlite3_column_blob(S(q), i); }
static size_t sq_col_bytes(struct st_q *q, int i) { return (size_t)sqlite3_column_bytes(S(q), i); }
static int64_t sq_changes(struct store *st) { return sqlite3_changes(DB(st)); }
static int64_t sq_last_id(struct store *st) { return sqlite3_last_insert_rowid(DB(st)); }
static int sq_in_tx(struct store *st) { return !sqlite3_get_autocommit(DB(st)); }
static const char *sq_errmsg(struct store *st) { return sqlite3_errmsg(DB(st)); }

static int sq_exec(struct store *st, const char *sql)
{
    return sqlite3_exec(DB(st), sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static void sq_close(struct store *st)
{
    for (int i = 0; i < STMT__MAX; i++)
        sqlite3_finalize(S(&st->slots[i]));
    /* Lets SQLite checkpoint and drop the WAL when this is the last connection. */
    sqlite3_close(DB(st));
}

static int sq_backup(struct store *st, const char *dest_path, struct tb_err *err)
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
    sqlite3_backup *b = sqlite3_backup_init(dest, "main", DB(st), "main");
    if (!b) {
        tb_fail(err, 500, "backup_failed", "", "backup failed: %s", sqlite3_errmsg(dest));
        sqlite3_close(dest);
        unlink(tmp);
        return -1;
    }
    int rc;
    /* One step: the whole copy under one read transaction. The database is
     * in WAL mode, so writers go on meanwhile and the copy is the snapshot
     * the step began with. Copying in chunks instead restarts from the first
     * page whenever another process writes between two chunks, and under a
     * steady stream of writes it never finished. */
    do {
        rc = sqlite3_backup_step(b, -1);
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

static int sq_schema_dump(struct store *st, char **out, struct tb_err *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(DB(st),
                           "SELECT type || ' ' || name || ': ' || IFNULL(sql, '') FROM sqlite_master "
                           "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
                           -1, &s, NULL) != SQLITE_OK)
        return st_db_fail(st, err, "schema");
    struct abuf b;
    abuf_init_heap(&b, (size_t)64 << 20);   /* a schema is a few hundred KiB */
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(s, 0);
        abuf_puts(&b, line ? line : "");
        abuf_puts(&b, "\n");
    }
    sqlite3_finalize(s);
    if (!(*out = abuf_take(&b)))
        return TB_INTERNAL(err, "out of memory");
    return 0;
}

const struct st_backend st_sqlite_backend = {
    .name = "sqlite",
    .statements = store_statements,
    .prepare = sq_prepare, .finalize = sq_finalize,
    .param_index = sq_param_index, .param_name = sq_param_name,
    .clear = sq_clear, .reset = sq_reset,
    .bind_null = sq_bind_null, .bind_i64 = sq_bind_i64, .bind_double = sq_bind_double,
    .bind_text = sq_bind_text, .bind_blob = sq_bind_blob,
    .step = sq_step,
    .col_count = sq_col_count, .col_name = sq_col_name, .col_type = sq_col_type,
    .col_i64 = sq_col_i64, .col_double = sq_col_double, .col_text = sq_col_text,
    .col_blob = sq_col_blob, .col_bytes = sq_col_bytes,
    .changes = sq_changes, .last_id = sq_last_id,
    .exec = sq_exec, .in_tx = sq_in_tx, .errmsg = sq_errmsg, .close = sq_close,
    .backup = sq_backup, .schema_dump = sq_schema_dump,
    /* IMMEDIATE takes the write lock now, so a transaction never fails half
     * way with SQLITE_BUSY on its first write; the busy timeout waits. */
    .begin_sql = "BEGIN IMMEDIATE",
    .migrations = sql_sqlite_files,
};

/* add_months(date, n): the date n calendar months on, clamped to the end of
 * a shorter month (2026-08-31 + 6 = 2027-02-28) as PostgreSQL's date +
 * make_interval(months => n) does - date(x, '+n months') would overflow into
 * the next month. NULL for NULL or an invalid date (issue 18). */
static void sq_add_months(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    char out[11];
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL ||
        tb_iso_add_months((const char *)sqlite3_value_text(argv[0]), sqlite3_value_int64(argv[1]), out) < 0) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_text(ctx, out, 10, SQLITE_TRANSIENT);
}

int st_sqlite_open(const char *path, struct store *st, struct tb_err *err)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        tb_fail(err, 500, "database_unavailable", "", "cannot open database %s: %s", path,
                db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    if (sqlite3_create_function(db, "add_months", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                sq_add_months, NULL, NULL) != SQLITE_OK) {
        tb_fail(err, 500, "database_unavailable", "", "cannot configure database %s: %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_extended_result_codes(db, 0);
    const char *pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                          "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";
    char *msg = NULL;
    if (sqlite3_exec(db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        tb_fail(err, 500, "database_unavailable", "", "cannot configure database %s: %s", path,
                msg ? msg : "unknown error");
        sqlite3_free(msg);
        sqlite3_close(db);
        return -1;
    }
    st->be = &st_sqlite_backend;
    st->db = db;
    return 0;
}
