/*
 * store_db.c - the backend-neutral part of store.h's connection functions:
 * choosing the backend by the database name, transactions, health, backup and
 * the schema dump (which the backend does its own way).
 *
 * `postgresql://...` or `postgres://...` opens PostgreSQL (store_pg.c); a
 * path, optionally prefixed `sqlite:`, opens SQLite (store_sqlite.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "store/store_int.h"

int store_is_postgres(const char *db)
{
    return db && (!strncmp(db, "postgresql://", 13) || !strncmp(db, "postgres://", 11));
}

/* ---- transactions -------------------------------------------------------- */

int store_begin(struct store *st, struct tb_err *err)
{
    if (st_exec(st, st->be->begin_sql) < 0)
        return st_db_fail(st, err, "begin");
    return 0;
}

int store_commit(struct store *st, struct tb_err *err)
{
    if (st_exec(st, "COMMIT") < 0) {
        st_db_fail(st, err, "commit");
        store_rollback(st);
        return -1;
    }
    return 0;
}

void store_rollback(struct store *st)
{
    if (st_in_tx(st))
        st_exec(st, "ROLLBACK");
}

int store_fail_conflict(struct store *st, struct tb_err *err)
{
    st->conflict_lost = 1;
    return tb_error(err, TB_E_UNAVAILABLE, "",
                    "the database was busy with a conflicting change; nothing was saved, try again");
}

int store_in_tx(struct store *st, store_work_fn work, void *ctx, struct tb_err *err)
{
    if (st_in_tx(st))   /* the caller's transaction: its owner commits and retries */
        return work(st, ctx, err);
    for (int attempt = 1;; attempt++) {
        st->conflict_lost = 0;
        int rc = store_begin(st, err);
        if (rc == 0) {
            rc = work(st, ctx, err);
            if (rc < 0)
                store_rollback(st);
            else
                rc = store_commit(st, err);
        }
        if (rc == 0 || !st->conflict_lost || attempt >= STORE_TX_ATTEMPTS)
            return rc;
        /* Lost to a concurrent writer, nothing kept: a pause that grows and
         * differs between the two sides, then the whole unit again. */
        fprintf(stderr, "store: transaction lost a conflict, attempt %d of %d\n", attempt + 1,
                STORE_TX_ATTEMPTS);
        struct timespec pause = {0, 1000000L * (2L * attempt + (long)randombytes_uniform(4000) / 1000)};
        nanosleep(&pause, NULL);
    }
}

/* Starts a transaction unless the caller already holds one; *owned says
 * whether tx_end must commit it. */
int st_tx_begin(struct store *st, int *owned, struct tb_err *err)
{
    *owned = !st_in_tx(st);
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

/* ---- open, health, backup ------------------------------------------------ */

int store_open(const char *path, struct store **out, struct tb_err *err)
{
    struct store *st = calloc(1, sizeof *st);
    if (!st)
        return TB_INTERNAL(err, "out of memory");
    int rc;
    if (store_is_postgres(path))
        rc = st_pg_open(path, st, err);
    else
        rc = st_sqlite_open(!strncmp(path, "sqlite:", 7) ? path + 7 : path, st, err);
    if (rc < 0) {
        free(st);
        return -1;
    }
    for (int i = 0; i < STMT__MAX; i++)
        st->slots[i].st = st;
    *out = st;
    return 0;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    st->be->close(st);
    free(st);
}

const char *store_backend_name(const struct store *st)
{
    return st->be->name;
}

int store_health(struct store *st, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_HEALTH, NULL, err);
    if (!s)
        return -1;
    int rc = st_step(st, s);
    st_reset(s);
    return rc == ST_ROW ? 0 : st_db_fail(st, err, "health");
}

int store_backup(struct store *st, const char *dest_path, struct tb_err *err)
{
    return st->be->backup(st, dest_path, err);
}

int store_schema_dump(struct store *st, char **out, struct tb_err *err)
{
    return st->be->schema_dump(st, out, err);
}
