/*
 * store_pg.c - the PostgreSQL backend of the store (libpq): the same closed
 * statement set (stmts_pg.c, same names and scopes as the SQLite set), with
 * the statements' :name parameters mapped to $n when they are prepared.
 *
 * Row-level security is the second fence: every tenant table has a policy
 * keyed by the setting tradebridge.tenant (sql/postgres/0031_zz_row_security.sql).
 * Before a statement runs, the store sets it from the statement's actor: the
 * actor's tenant for a TENANT statement, "all" for an elevated actor and for
 * USER, GLOBAL and SYSTEM statements (which the executor already reviews by
 * scope), always local to the transaction (set_config(..., true), as SET
 * LOCAL); outside a transaction the statement and the setting are sent as
 * one pipeline, which PostgreSQL runs as one implicit transaction.
 *
 * PostgreSQL aborts a transaction at the first failing statement, SQLite does
 * not: a write inside a transaction runs under a savepoint, so a constraint
 * failure the store handles (409) leaves the transaction usable, as on SQLite.
 *
 * A statement of the closed set is prepared on the server once per connection,
 * on its first run, under the name s<ID> (its enum stmt), and later runs only
 * bind and execute it: PostgreSQL parses and plans it once, not per request.
 * The connection keeps which ones it prepared (with their parameter types: a
 * run with other types goes unnamed); it forgets them when it is opened again
 * (a new session has none), after SQL run with exec (migrations may change
 * what a plan returns: DEALLOCATE ALL), and when PostgreSQL reports a stale one
 * (0A000 "cached plan must not change result type", 26000, 42P05), after which
 * a statement outside a transaction is run once more. Row-level security holds:
 * the policies read the tenant setting at execution (current_setting), not at
 * planning. SQL made at run time (db copy, the test's probe) stays unnamed.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "store/store_int.h"

extern const struct embedded_file sql_postgres_files[];

#define MAXP 64

struct pgq {
    char *sql;                   /* with $n */
    int n;                       /* parameters */
    char *names[MAXP];           /* ":name" of $1.. */
    char *vals[MAXP];
    int lens[MAXP], fmts[MAXP];
    Oid types[MAXP];
    unsigned char null_test[MAXP];   /* "$n IS NULL" in the text: a text value must say it is text */
    int is_insert, is_write;
    PGresult *res;
    int row;                     /* current row, -1 before the first */
    unsigned char *blob;         /* decoded bytea of the current row, freed on the next */
    size_t blob_len;
};

struct pgconn {
    PGconn *c;
    Oid *prepared[STMT__MAX];    /* s<ID> on the server: [0] parameters, then their types; NULL not */
    int deallocate;              /* the server may hold statements this list forgot: DEALLOCATE ALL first */
    int in_tx;
    int64_t changes, last_id;
    char tenant[32];             /* the tenant setting of the open transaction, "" unknown */
    int transient;               /* ST_CONFLICT_LOST, ST_CONNECTION_LOST or 0: the last failure */
    char err[512];
};

/* Serialization failure or deadlock detected: the transaction was rolled back. */
static int is_conflict(const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    return state && (!strcmp(state, "40001") || !strcmp(state, "40P01"));
}

/* How often a statement outside a transaction is run again after a conflict. */
#define CONFLICT_RETRIES 4

#define C(st) ((struct pgconn *)(st)->db)
#define Q(q) ((struct pgq *)(q)->h)

static void set_err(struct pgconn *c, const char *msg)
{
    snprintf(c->err, sizeof c->err, "%s", msg ? msg : "unknown error");
    size_t n = strlen(c->err);
    while (n && c->err[n - 1] == '\n')
        c->err[--n] = '\0';
}

/* Forgets the statements prepared on this connection; `on_server`: they may
 * still exist there (the session goes on), so the next run deallocates them. */
static void forget_prepared(struct pgconn *c, int on_server)
{
    for (int i = 0; i < STMT__MAX; i++) {
        free(c->prepared[i]);
        c->prepared[i] = NULL;
    }
    c->deallocate = on_server;
}

/* A prepared statement the server no longer runs as prepared: its plan would
 * change what it returns (a migration), it is gone, or already there. */
static int is_stale(const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    return state && (!strcmp(state, "0A000") || !strcmp(state, "26000") || !strcmp(state, "42P05"));
}

/* ":name" -> "$n": skips string literals, quoted identifiers and "::" casts. */
static int translate(struct pgq *q, const char *sql)
{
    size_t len = strlen(sql);
    char *out = malloc(len * 2 + 16), *o = out;
    if (!out)
        return -1;
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') {
            char quote = *p;
            *o++ = *p++;
            while (*p) {
                if (*p == quote && p[1] == quote) {
                    *o++ = *p++;
                    *o++ = *p++;
                } else if (*p == quote) {
                    *o++ = *p++;
                    break;
                } else {
                    *o++ = *p++;
                }
            }
        } else if (p[0] == ':' && p[1] == ':') {
            *o++ = *p++;
            *o++ = *p++;
        } else if (*p == ':' && (p[1] == '_' || (p[1] >= 'a' && p[1] <= 'z'))) {
            const char *e = p + 1;
            while (*e == '_' || (*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9'))
                e++;
            size_t nl = (size_t)(e - p);
            int k = 0;
            for (int i = 0; i < q->n; i++)
                if (strlen(q->names[i]) == nl && !strncmp(q->names[i], p, nl))
                    k = i + 1;
            if (!k) {
                if (q->n >= MAXP) {
                    free(out);
                    return -1;
                }
                q->names[q->n] = strndup(p, nl);
                k = ++q->n;
            }
            o += sprintf(o, "$%d", k);
            p = e;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    q->sql = out;
    return 0;
}

static void clear_row(struct pgq *q)
{
    free(q->blob);
    q->blob = NULL;
}

static void clear_result(struct pgq *q)
{
    clear_row(q);
    PQclear(q->res);
    q->res = NULL;
    q->row = -1;
}

static void clear_bindings(struct pgq *q)
{
    for (int i = 0; i < q->n; i++) {
        free(q->vals[i]);
        q->vals[i] = NULL;
        q->lens[i] = q->fmts[i] = 0;
        q->types[i] = 0;
    }
}

static int pg_prepare(struct store *st, struct st_q *sq, const char *sql)
{
    (void)st;
    struct pgq *q = calloc(1, sizeof *q);
    if (!q || translate(q, sql) < 0) {
        free(q);
        set_err(C(st), "cannot translate the statement");
        return -1;
    }
    while (*sql == ' ')
        sql++;
    q->is_insert = !strncmp(sql, "INSERT", 6);
    q->is_write = q->is_insert || !strncmp(sql, "UPDATE", 6) || !strncmp(sql, "DELETE", 6);
    for (int i = 0; i < q->n; i++) {
        char pat[24];
        snprintf(pat, sizeof pat, "$%d IS NULL", i + 1);
        q->null_test[i] = strstr(q->sql, pat) != NULL;
    }
    q->row = -1;
    sq->h = q;
    return q->n;
}

static void pg_finalize(struct st_q *sq)
{
    struct pgq *q = Q(sq);
    if (!q)
        return;
    clear_result(q);
    clear_bindings(q);
    for (int i = 0; i < q->n; i++)
        free(q->names[i]);
    free(q->sql);
    free(q);
    sq->h = NULL;
}

static int pg_param_index(struct st_q *sq, const char *name)
{
    struct pgq *q = Q(sq);
    for (int i = 0; i < q->n; i++)
        if (!strcmp(q->names[i], name))
            return i + 1;
    return 0;
}

static const char *pg_param_name(struct st_q *sq, int i)
{
    return i >= 1 && i <= Q(sq)->n ? Q(sq)->names[i - 1] : NULL;
}

static void pg_clear(struct st_q *sq)
{
    clear_result(Q(sq));
    clear_bindings(Q(sq));
}

static void pg_reset(struct st_q *sq) { clear_result(Q(sq)); }

static void put(struct st_q *sq, int i, char *v, int len, int fmt, Oid type)
{
    struct pgq *q = Q(sq);
    free(q->vals[i - 1]);
    q->vals[i - 1] = v;
    q->lens[i - 1] = len;
    q->fmts[i - 1] = fmt;
    q->types[i - 1] = type;
}

/* A text value (or a NULL) is sent untyped, so PostgreSQL takes the type of
 * the column it meets, except where the statement tests it with IS NULL: an
 * untyped parameter there has no type at all. */
static Oid text_type(struct st_q *sq, int i) { return Q(sq)->null_test[i - 1] ? 25 : 0; }

static void pg_bind_null(struct st_q *sq, int i, int integer) { put(sq, i, NULL, 0, 0, integer ? 20 : text_type(sq, i)); }

static void pg_bind_i64(struct st_q *sq, int i, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    put(sq, i, strdup(buf), 0, 0, 20 /* int8 */);
}

static void pg_bind_double(struct st_q *sq, int i, double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", v);
    put(sq, i, strdup(buf), 0, 0, 701 /* float8 */);
}

static void pg_bind_text(struct st_q *sq, int i, const char *v) { put(sq, i, strdup(v), 0, 0, text_type(sq, i)); }

static void pg_bind_blob(struct st_q *sq, int i, const void *v, size_t len)
{
    char *copy = malloc(len ? len : 1);
    if (copy && len)
        memcpy(copy, v, len);
    put(sq, i, copy, (int)len, 1, 17 /* bytea */);
}

static PGresult *run(struct pgconn *c, const char *sql)
{
    PGresult *r = PQexec(c->c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
        set_err(c, PQerrorMessage(c->c));
        c->transient = is_conflict(r) ? ST_CONFLICT_LOST : PQstatus(c->c) == CONNECTION_BAD ? ST_CONNECTION_LOST : 0;
    }
    return r;
}

static int run_ok(struct pgconn *c, const char *sql)
{
    PGresult *r = run(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    return ok ? 0 : -1;
}

/* The session's settings: quiet NOTICEs (CREATE ... IF NOT EXISTS), the clock and text in UTC/UTF-8. */
static void session_settings(struct pgconn *c)
{
    PQclear(PQexec(c->c, "SET client_min_messages = warning; SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'"));
}

/* Between transactions, a connection the server dropped (a restart, a
 * failover) is opened again; while the database stays away each statement
 * fails at once as ST_CONNECTION_LOST (503 to a client), and the first one
 * after it is back reconnects: no server restart needed. */
static int reconnect(struct pgconn *c)
{
    if (PQstatus(c->c) != CONNECTION_BAD)
        return 0;
    PQreset(c->c);
    if (PQstatus(c->c) != CONNECTION_OK) {
        set_err(c, PQerrorMessage(c->c));
        c->transient = ST_CONNECTION_LOST;
        return -1;
    }
    session_settings(c);
    c->tenant[0] = '\0';
    forget_prepared(c, 0);
    return 0;
}

/* The statement's id in the closed set, -1 outside it (db copy, the test's probe). */
static int stmt_id(const struct store *st, const struct st_q *sq)
{
    return sq >= st->slots && sq < st->slots + STMT__MAX ? (int)(sq - st->slots) : -1;
}

/* The tenant setting for the statement about to run (see the comment at the top). */
static void tenant_for(struct store *st, const struct st_q *sq, char out[32])
{
    int n;
    const struct store_stmt_info *info = store_statements_pg(&n);
    int id = stmt_id(st, sq);   /* outside the set, the test's probe: TENANT */
    if (id >= 0 && info[id].scope != SCOPE_TENANT)
        snprintf(out, 32, "all");
    else
        snprintf(out, 32, "%s", sq->tenant);
}

/* Whether s<id> was prepared with the parameter types of this run. */
static int prepared_as(const struct pgconn *c, int id, const struct pgq *q)
{
    const Oid *p = c->prepared[id];
    return p && p[0] == (Oid)q->n && !memcmp(p + 1, q->types, (size_t)q->n * sizeof *q->types);
}

static void remember_prepared(struct pgconn *c, int id, const struct pgq *q)
{
    Oid *p = malloc(((size_t)q->n + 1) * sizeof *p);
    if (!p)
        return;   /* then s<id> goes unnamed: prepared_as() never matches */
    p[0] = (Oid)q->n;
    memcpy(p + 1, q->types, (size_t)q->n * sizeof *q->types);
    free(c->prepared[id]);
    c->prepared[id] = p;
}

/* Runs the statement in one round trip (libpq's pipeline mode): the tenant
 * setting, a savepoint around a write inside a transaction, the statement
 * (prepared first if it is of the closed set and not yet prepared on this
 * connection) and the savepoint's release. Outside a transaction the pipeline
 * is one implicit transaction, so the SET LOCAL holds for the statement alone. */
static PGresult *execute(struct pgconn *c, struct pgq *q, int id, const char *tenant, int set, int savepoint)
{
    const char *tv[1] = {tenant};
    PGresult *res = NULL;
    if (!PQenterPipelineMode(c->c))
        return NULL;
    int sent = 0, mine = -1, dealloc = -1, prep = -1;
    char name[16];
    snprintf(name, sizeof name, "s%d", id);
    int named = id >= 0 && (!c->prepared[id] || prepared_as(c, id, q));
    if (c->deallocate && PQsendQueryParams(c->c, "DEALLOCATE ALL", 0, NULL, NULL, NULL, NULL, 0))
        dealloc = sent++;
    if (set && PQsendQueryParams(c->c, "SELECT set_config('tradebridge.tenant', $1, true)", 1, NULL, tv, NULL,
                                 NULL, 0))
        sent++;
    if (savepoint && PQsendQueryParams(c->c, "SAVEPOINT st", 0, NULL, NULL, NULL, NULL, 0))
        sent++;
    if (named && !c->prepared[id] && PQsendPrepare(c->c, name, q->sql, q->n, q->types))
        prep = sent++;
    if (named ? PQsendQueryPrepared(c->c, name, q->n, (const char *const *)q->vals, q->lens, q->fmts, 0)
              : PQsendQueryParams(c->c, q->sql, q->n, q->types, (const char *const *)q->vals, q->lens, q->fmts, 0))
        mine = sent++;
    if (savepoint && PQsendQueryParams(c->c, "RELEASE SAVEPOINT st", 0, NULL, NULL, NULL, NULL, 0))
        sent++;
    PQpipelineSync(c->c);
    /* Each command's result, then NULL; finally the sync. */
    for (int k = 0;; ) {
        PGresult *r = PQgetResult(c->c);
        if (!r) {
            if (PQstatus(c->c) == CONNECTION_BAD)
                break;
            k++;
            continue;
        }
        ExecStatusType rs = PQresultStatus(r);
        if (rs == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (k == dealloc && rs == PGRES_COMMAND_OK)
            c->deallocate = 0;
        if (k == prep && rs == PGRES_COMMAND_OK)
            remember_prepared(c, id, q);
        /* A statement that does not prepare reports why, not the aborted run. */
        if ((k == mine || (k == prep && rs == PGRES_FATAL_ERROR)) && !res)
            res = r;
        else {
            if (rs == PGRES_FATAL_ERROR && !res)
                set_err(c, PQresultErrorMessage(r));
            PQclear(r);
        }
        if (PQstatus(c->c) == CONNECTION_BAD)
            break;
    }
    PQexitPipelineMode(c->c);
    return res;
}

static int pg_step(struct st_q *sq)
{
    struct store *st = sq->st;
    struct pgconn *c = C(st);
    struct pgq *q = Q(sq);
    if (!q->res && !c->in_tx && reconnect(c) < 0)
        return ST_ERROR;
    if (!q->res) {
        char tenant[32];
        tenant_for(st, sq, tenant);
        int savepoint = c->in_tx && q->is_write;
        int set = !c->in_tx || strcmp(c->tenant, tenant);
        if (c->in_tx)
            snprintf(c->tenant, sizeof c->tenant, "%s", tenant);
        int id = stmt_id(st, sq);
        q->res = execute(c, q, id, tenant, set, savepoint);
        /* A stale prepared statement: forget them all (DEALLOCATE ALL), and
         * alone (its own implicit transaction, nothing ran) run it once more. */
        if (id >= 0 && is_stale(q->res)) {
            forget_prepared(c, PQstatus(c->c) == CONNECTION_OK);
            if (!c->in_tx) {
                clear_result(q);
                q->res = execute(c, q, id, tenant, set, savepoint);
            }
        }
        /* Alone (its own implicit transaction), a statement that lost a conflict
         * with a concurrent writer left nothing behind: run it again, a few times. */
        for (int retry = 1; !c->in_tx && is_conflict(q->res) && retry <= CONFLICT_RETRIES; retry++) {
            clear_result(q);
            struct timespec pause = {0, 2000000L * retry};
            nanosleep(&pause, NULL);
            q->res = execute(c, q, id, tenant, set, savepoint);
        }
        c->transient = is_conflict(q->res) ? ST_CONFLICT_LOST
                       : PQstatus(c->c) == CONNECTION_BAD ? ST_CONNECTION_LOST : 0;
        ExecStatusType rs = PQresultStatus(q->res);
        if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK) {
            const char *state = q->res ? PQresultErrorField(q->res, PG_DIAG_SQLSTATE) : NULL;
            int constraint = state && !strncmp(state, "23", 2);
            set_err(c, q->res ? PQresultErrorMessage(q->res) : PQerrorMessage(c->c));
            if (getenv("TB_PG_DEBUG"))
                fprintf(stderr, "pg: tenant %s: %s: %s\n", tenant, c->err, q->sql);
            clear_result(q);
            if (savepoint)
                run_ok(c, "ROLLBACK TO SAVEPOINT st");
            return constraint ? ST_CONSTRAINT : ST_ERROR;
        }
        c->changes = atoll(PQcmdTuples(q->res));
        /* An INSERT ... RETURNING id reports its row as SQLite's last_insert_rowid. */
        if (q->is_insert) {
            if (rs == PGRES_TUPLES_OK && PQntuples(q->res) > 0)
                c->last_id = atoll(PQgetvalue(q->res, 0, 0));
            return ST_DONE;
        }
    }
    clear_row(q);
    if (PQresultStatus(q->res) != PGRES_TUPLES_OK || q->row + 1 >= PQntuples(q->res))
        return ST_DONE;
    q->row++;
    return ST_ROW;
}

static int pg_col_count(struct st_q *sq) { return Q(sq)->res ? PQnfields(Q(sq)->res) : 0; }
static const char *pg_col_name(struct st_q *sq, int i) { return PQfname(Q(sq)->res, i); }

static int null_at(struct pgq *q, int i)
{
    return !q->res || q->row < 0 || q->row >= PQntuples(q->res) || i >= PQnfields(q->res) ||
           PQgetisnull(q->res, q->row, i);
}

static int pg_col_type(struct st_q *sq, int i)
{
    struct pgq *q = Q(sq);
    if (null_at(q, i))
        return ST_NULL;
    switch (PQftype(q->res, i)) {
    case 16: case 20: case 21: case 23: case 26:   /* bool, int8, int2, int4, oid */
        return ST_INTEGER;
    case 700: case 701:
        return ST_FLOAT;
    case 1700: {   /* numeric: sum() of integers is numeric, an integer on SQLite */
        const char *v = PQgetvalue(q->res, q->row, i);
        return strpbrk(v, ".eE") ? ST_FLOAT : ST_INTEGER;
    }
    case 17:
        return ST_BLOB;
    default:
        return ST_TEXT;
    }
}

static const char *pg_col_text(struct st_q *sq, int i)
{
    struct pgq *q = Q(sq);
    if (null_at(q, i))
        return NULL;
    const char *v = PQgetvalue(q->res, q->row, i);
    if (PQftype(q->res, i) == 16)   /* bool as SQLite's 1 and 0 */
        return *v == 't' ? "1" : "0";
    return v;
}

static int64_t pg_col_i64(struct st_q *sq, int i)
{
    const char *v = pg_col_text(sq, i);
    return v ? atoll(v) : 0;
}

static double pg_col_double(struct st_q *sq, int i)
{
    const char *v = pg_col_text(sq, i);
    return v ? atof(v) : 0;
}

static const void *pg_col_blob(struct st_q *sq, int i)
{
    struct pgq *q = Q(sq);
    if (null_at(q, i))
        return NULL;
    clear_row(q);
    if (PQftype(q->res, i) != 17) {   /* text read as bytes, as SQLite does */
        q->blob_len = (size_t)PQgetlength(q->res, q->row, i);
        return PQgetvalue(q->res, q->row, i);
    }
    q->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(q->res, q->row, i), &q->blob_len);
    return q->blob;
}

static size_t pg_col_bytes(struct st_q *sq, int i)
{
    struct pgq *q = Q(sq);
    if (null_at(q, i))
        return 0;
    if (PQftype(q->res, i) != 17)
        return (size_t)PQgetlength(q->res, q->row, i);
    if (!q->blob)
        pg_col_blob(sq, i);
    return q->blob_len;
}

static int64_t pg_changes(struct store *st) { return C(st)->changes; }
static int64_t pg_last_id(struct store *st) { return C(st)->last_id; }
static int pg_in_tx(struct store *st) { return C(st)->in_tx; }
static const char *pg_errmsg(struct store *st) { return C(st)->err; }

static int pg_transient(struct store *st)
{
    int was = C(st)->transient;
    C(st)->transient = 0;
    return was;
}

static int pg_exec(struct store *st, const char *sql)
{
    struct pgconn *c = C(st);
    if (!c->in_tx && reconnect(c) < 0)
        return -1;
    if (run_ok(c, sql) < 0) {
        if (!strcmp(sql, "COMMIT") || !strcmp(sql, "ROLLBACK"))
            c->in_tx = 0;
        return -1;
    }
    if (!strncmp(sql, "BEGIN", 5)) {
        c->in_tx = 1;
        c->tenant[0] = '\0';
    } else if (!strcmp(sql, "COMMIT") || !strcmp(sql, "ROLLBACK")) {
        c->in_tx = 0;
    } else {
        forget_prepared(c, 1);   /* schema SQL (a migration): plans may return other columns */
    }
    return 0;
}

static void pg_close(struct store *st)
{
    for (int i = 0; i < STMT__MAX; i++)
        pg_finalize(&st->slots[i]);
    forget_prepared(C(st), 0);
    PQfinish(C(st)->c);
    free(C(st));
}

static int pg_backup(struct store *st, const char *dest_path, struct tb_err *err)
{
    (void)st;
    (void)dest_path;
    return tb_fail(err, 500, "backup_failed", "",
                   "the database is PostgreSQL: back it up with its own tools, e.g. "
                   "pg_dump --format=custom --file=tradebridge.dump DBNAME as a role that bypasses "
                   "row-level security (the superuser, or one with BYPASSRLS), restore with pg_restore; "
                   "or continuous archiving for point-in-time recovery");
}

static int pg_schema_dump(struct store *st, char **out, struct tb_err *err)
{
    PGresult *r = run(C(st), "SELECT table_name || ' ' || column_name || ' ' || data_type "
                             "FROM information_schema.columns WHERE table_schema = current_schema() "
                             "ORDER BY table_name, ordinal_position");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        PQclear(r);
        return st_db_fail(st, err, "schema");
    }
    struct abuf b;
    abuf_init_heap(&b, (size_t)64 << 20);   /* a schema is a few hundred KiB */
    for (int i = 0; i < PQntuples(r); i++) {
        const char *line = PQgetvalue(r, i, 0);
        abuf_puts(&b, line ? line : "");
        abuf_puts(&b, "\n");
    }
    PQclear(r);
    if (!(*out = abuf_take(&b)))
        return TB_INTERNAL(err, "out of memory");
    return 0;
}

const struct st_backend st_pg_backend = {
    .name = "postgresql",
    .statements = store_statements_pg,
    .prepare = pg_prepare, .finalize = pg_finalize,
    .param_index = pg_param_index, .param_name = pg_param_name,
    .clear = pg_clear, .reset = pg_reset,
    .bind_null = pg_bind_null, .bind_i64 = pg_bind_i64, .bind_double = pg_bind_double,
    .bind_text = pg_bind_text, .bind_blob = pg_bind_blob,
    .step = pg_step,
    .col_count = pg_col_count, .col_name = pg_col_name, .col_type = pg_col_type,
    .col_i64 = pg_col_i64, .col_double = pg_col_double, .col_text = pg_col_text,
    .col_blob = pg_col_blob, .col_bytes = pg_col_bytes,
    .changes = pg_changes, .last_id = pg_last_id,
    .exec = pg_exec, .in_tx = pg_in_tx, .errmsg = pg_errmsg, .transient = pg_transient, .close = pg_close,
    .backup = pg_backup, .schema_dump = pg_schema_dump,
    /* Read committed with the row locks the statements take, like SQLite's
     * single writer for what the store does in one transaction: SERIALIZABLE
     * would need every caller to retry. */
    .begin_sql = "BEGIN ISOLATION LEVEL READ COMMITTED",
    .migrations = sql_postgres_files,
};

int st_pg_open(const char *url, struct store *st, struct tb_err *err)
{
    struct pgconn *c = calloc(1, sizeof *c);
    if (!c)
        return TB_INTERNAL(err, "out of memory");
    c->c = PQconnectdb(url);
    if (PQstatus(c->c) != CONNECTION_OK) {
        tb_fail(err, 500, "database_unavailable", "", "cannot connect to PostgreSQL: %s",
                PQerrorMessage(c->c));
        PQfinish(c->c);
        free(c);
        return -1;
    }
    session_settings(c);
    st->be = &st_pg_backend;
    st->db = c;
    return 0;
}

/* A database copied with CREATE DATABASE ... TEMPLATE (PostgreSQL 15+'s
 * default WAL_LOG strategy) copies each sequence's page together with the
 * values its last WAL record fetched ahead (log_cnt), but not that record:
 * the copy's next nextval() writes no WAL, and after a crash or an immediate
 * shutdown recovery puts the sequence back, so the next insert reuses an id
 * (a duplicate key, 409). setval() WAL-logs each sequence with nothing
 * fetched ahead, so the first nextval() in a copy logs its own record.
 * For a database about to serve as a template (the demo); no-op on SQLite. */
int store_log_sequences(struct store *st, struct tb_err *err)
{
    if (st->be != &st_pg_backend)
        return 0;
    if (pg_exec(st, "DO $$DECLARE s record; BEGIN "
                    "FOR s IN SELECT format('%I.%I', schemaname, sequencename) AS name, last_value "
                    "FROM pg_sequences WHERE sequenceowner = current_user AND last_value IS NOT NULL LOOP "
                    "PERFORM setval(s.name::regclass, s.last_value, true); END LOOP; END$$") < 0)
        return st_db_fail(st, err, "sequences");
    return 0;
}

#ifdef TB_FAULT_INJECTION
/* For the row-level security test only (test builds): runs `sql`, outside the
 * closed set and deliberately without a tenant filter, with the tenant setting
 * a TENANT statement of actor `a` gets; every row as JSON. */
int store_pg_unfiltered(struct store *st, const struct tb_actor *a, const char *sql, json_t **rows,
                        struct tb_err *err)
{
    if (st->be != &st_pg_backend)
        return TB_INTERNAL(err, "not a PostgreSQL store");
    struct st_q q = {.st = st};
    st_tenant_of(a, q.tenant);
    if (pg_prepare(st, &q, sql) < 0)
        return st_db_fail(st, err, "probe");
    json_t *arr = json_array();
    int rc;
    while ((rc = pg_step(&q)) == ST_ROW)
        json_array_append_new(arr, st_row_json(&q));
    pg_finalize(&q);
    if (rc != ST_DONE) {
        json_decref(arr);
        return st_db_fail(st, err, "probe");
    }
    *rows = arr;
    return 0;
}
#endif
