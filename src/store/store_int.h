/*
 * store_int.h - helpers shared by the store's source files
 * (store_*.c, entity.c): the executor, binding, transactions, paging. Not for use
 * outside src/store/.
 */
#ifndef TB_STORE_INT_H
#define TB_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "store/stmts.h"
#include "store/store.h"
#include "core/embedded.h"

/* Parameters the executor binds itself: the scope (from the actor; a
 * caller binding one of these is refused) and defaults a caller may replace
 * (:now, :now_unix from the clock, :client_addr from the actor). */
enum st_param {
    P_TENANT, P_ALL, P_SELF, P_STAFF, P_SCOPE_COMPANY, P_SCOPE_GRADUATE, P_SCOPE_MENTOR, P_OPEN_ONLY,
    P_NOW, P_NOW_UNIX, P_CLIENT_ADDR, P__MAX
};
#define P__SCOPE P_NOW   /* parameters before this one are scope parameters */

/* Step results, the same for every backend. */
enum { ST_ROW = 100, ST_DONE = 101, ST_CONSTRAINT = 19, ST_MISUSE = 21, ST_ERROR = 1 };
/* Column types as st_col_type reports them. */
enum { ST_INTEGER = 1, ST_FLOAT = 2, ST_TEXT = 3, ST_BLOB = 4, ST_NULL = 5 };

/* A statement of the closed set (opaque outside store_stmt.c and the backends):
 * what has been bound to it since st_stmt, and the backend's handle. At most
 * 64 parameters per statement (checked when prepared). */
struct st_q {
    struct store *st;
    void *h;             /* the backend's prepared statement */
    uint64_t params;     /* one bit per parameter of the statement */
    uint64_t bound;      /* bound since st_stmt */
    uint64_t defaults;   /* of those, bound by the executor (a caller may replace them once) */
    const char *refused; /* why the next step is refused (a misuse since st_stmt), or NULL */
    short ix[P__MAX];    /* parameter index of each executor parameter, 0 when unused */
    char tenant[24];     /* the actor's tenant for row-level security: an id, "all" or "none" */
};

/* A backend: SQLite (store_sqlite.c) or PostgreSQL (store_pg.c). Parameter
 * indexes are 1-based, columns 0-based, as in SQLite. */
enum { ST_CONFLICT_LOST = 1, ST_CONNECTION_LOST = 2 };

struct st_backend {
    const char *name;
    const struct store_stmt_info *(*statements)(int *n);
    int (*prepare)(struct store *st, struct st_q *q, const char *sql);   /* parameter count, or -1 */
    void (*finalize)(struct st_q *q);
    int (*param_index)(struct st_q *q, const char *name);
    const char *(*param_name)(struct st_q *q, int i);
    void (*clear)(struct st_q *q);   /* reset and forget the bindings */
    void (*reset)(struct st_q *q);   /* back to before the first step, bindings kept */
    void (*bind_null)(struct st_q *q, int i, int integer);   /* NULL of an integer or a text parameter */
    void (*bind_i64)(struct st_q *q, int i, int64_t v);
    void (*bind_double)(struct st_q *q, int i, double v);
    void (*bind_text)(struct st_q *q, int i, const char *v);
    void (*bind_blob)(struct st_q *q, int i, const void *v, size_t len);
    int (*step)(struct st_q *q);     /* ST_ROW, ST_DONE, ST_CONSTRAINT or ST_ERROR */
    int (*col_count)(struct st_q *q);
    const char *(*col_name)(struct st_q *q, int i);
    int (*col_type)(struct st_q *q, int i);
    int64_t (*col_i64)(struct st_q *q, int i);
    double (*col_double)(struct st_q *q, int i);
    const char *(*col_text)(struct st_q *q, int i);
    const void *(*col_blob)(struct st_q *q, int i);
    size_t (*col_bytes)(struct st_q *q, int i);
    int64_t (*changes)(struct store *st);
    int64_t (*last_id)(struct store *st);
    int (*exec)(struct store *st, const char *sql);   /* 0, or -1 with errmsg set */
    int (*in_tx)(struct store *st);
    const char *(*errmsg)(struct store *st);
    /* Why the last failure is worth repeating, and clears it: ST_CONFLICT_LOST
     * (a concurrent writer won: PostgreSQL's serialization failure or deadlock;
     * the transaction was rolled back), ST_CONNECTION_LOST (the database went
     * away; the next statement reconnects), else 0. NULL: never. */
    int (*transient)(struct store *st);
    void (*close)(struct store *st);
    int (*backup)(struct store *st, const char *dest_path, struct tb_err *err);
    int (*schema_dump)(struct store *st, char **out, struct tb_err *err);
    const char *begin_sql;           /* starts a write transaction */
    const struct embedded_file *migrations;
};

struct store {
    const struct st_backend *be;
    void *db;                        /* the backend's connection */
    int cur;                         /* the statement st_stmt handed out last */
    int refused;                     /* st_step refused the last run (already logged) */
    int conflict_lost;               /* a statement lost a conflict since store_in_tx began */
    struct st_q slots[STMT__MAX];
};

extern const struct st_backend st_sqlite_backend;
int st_sqlite_open(const char *path, struct store *st, struct tb_err *err);
extern const struct st_backend st_pg_backend;
int st_pg_open(const char *url, struct store *st, struct tb_err *err);

/* Columns of the current row, and the backend-neutral helpers. */
int st_col_count(struct st_q *s);
const char *st_col_name(struct st_q *s, int i);
int st_col_type(struct st_q *s, int i);
int64_t st_col_i64(struct st_q *s, int i);
int st_col_int(struct st_q *s, int i);
double st_col_double(struct st_q *s, int i);
const char *st_col_text(struct st_q *s, int i);
const void *st_col_blob(struct st_q *s, int i);
size_t st_col_bytes(struct st_q *s, int i);
void st_reset(struct st_q *s);
int64_t st_changes(struct store *st);    /* rows the last statement changed */
int64_t st_last_id(struct store *st);    /* id of the row the last INSERT made */
int st_exec(struct store *st, const char *sql);   /* statements without parameters: schema, transactions */
int st_in_tx(struct store *st);
/* The row-level security setting for an actor: its tenant id, "all" (elevated) or "none". */
void st_tenant_of(const struct tb_actor *a, char out[24]);

/* The statement, reset, with its scope bound from the actor `a` (NULL for
 * GLOBAL and SYSTEM statements); prepared on first use. Refuses (500, logged)
 * a TENANT or USER statement the actor gives no scope for, and any actor that
 * claims all tenants without an elevation the store granted. */
struct st_q *st_stmt(struct store *st, enum stmt id, const struct tb_actor *a, struct tb_err *err);
/* Binding by name. Every parameter of a statement must be bound before it is
 * stepped; naming a parameter the statement does not have, binding one twice
 * or binding a scope parameter makes st_step refuse to run it. */
void st_bind_i64(struct store *st, struct st_q *s, const char *name, int64_t v);
void st_bind_text(struct store *st, struct st_q *s, const char *name, const char *v);
void st_bind_blob(struct store *st, struct st_q *s, const char *name, const void *v, size_t len);
void st_bind_double(struct store *st, struct st_q *s, const char *name, double v);
void st_bind_opt_i64(struct store *st, struct st_q *s, const char *name, int64_t v);   /* 0 binds NULL */
/* Whether the statement has this parameter: for the generic helpers (paging,
 * free text) that serve statements of several shapes. */
int st_has_param(struct st_q *s, const char *name);
/* Binds :q (as given) and :q_like (with LIKE's wildcards escaped by '!'),
 * so free text matches literally: "50%" finds "50%", not everything. */
void st_bind_q(struct store *st, struct st_q *s, const char *q);
/* The backend's step, refused (ST_MISUSE, logged) while a parameter is unbound
 * or the bindings were misused. */
int st_step(struct store *st, struct st_q *s);

/* Named elevations: the only ways to an actor across tenants. Each is
 * granted by one store function, which says why (store_stmt.c). */
enum st_elevation {
    ELEV_SYSTEM,            /* actor_system(): the CLI, run by the server's operator */
    ELEV_FOUNDATION_ADMIN,  /* store_actor_load: an admin of the foundation */
    ELEV_DEFAULT_CATALOGUE, /* store_default_catalogue: a new operator's first achievement */
    ELEV_OWN_AUDIT,         /* store_user_set_password: audited under the person's own operator */
    ELEV_MAIL_TO_MEMBER,    /* store_outbox_add_for_user: mail to a person, filed under their operator */
    ELEV_TRAINING_NOTICE,   /* store_training_notice: a notice to the person a training record names */
    ELEV__MAX
};
struct tb_actor st_elevate(const struct tb_actor *a, enum st_elevation why);
const char *st_elevation_name(const struct tb_actor *a);   /* NULL when not elevated */
json_t *st_row_json(struct st_q *s);
/* Steps s to its one row, left there for st_col_* (the caller resets s);
 * -1 with 404 naming what when there is none. */
int st_step_row(struct store *st, struct st_q *s, const char *what, struct tb_err *err);
/* The same row as the JSON text the server sends for it, JSON columns (and
 * "changes") copied as stored, and x's member (if x) last; 0 or -1 (out
 * failed). */
struct abuf;
/* The same for each row of a run, with the columns' plan made once (at the
 * first row): st_row_plan fails past ROW_PLAN_MAX columns. */
#define ROW_PLAN_MAX 96
struct row_plan {
    int n;
    const char *name[ROW_PLAN_MAX];
    size_t name_len[ROW_PLAN_MAX];
    unsigned char plain_name[ROW_PLAN_MAX], stored[ROW_PLAN_MAX], read[ROW_PLAN_MAX];
};
int st_row_plan(struct st_q *s, const char *const *json_columns, const struct row_member *x, struct row_plan *p);
int st_row_text_planned(struct st_q *s, const struct row_plan *p, const struct row_member *x, struct abuf *out);
int st_row_text(struct st_q *s, const char *const *json_columns, const struct row_member *x, struct abuf *out);
/* st_list_run writing the page's items as JSON text (an array) into out, each
 * row as st_row_text writes it; *next_cursor as st_list_run's. */
int st_list_run_text(struct store *st, struct st_q *s, const struct list_query *q, const char *key_column,
                     int descending, const char *const *json_columns, const struct row_member *x,
                     struct abuf *out, char **next_cursor, struct tb_err *err);
int st_step_done(struct store *st, struct st_q *s, const char *what, struct tb_err *err);
/* Every row of s as a JSON array. */
int st_rows(struct store *st, struct st_q *s, json_t **out, struct tb_err *err);
int st_get_one(struct store *st, struct st_q *s, const char *what, json_t **out, struct tb_err *err);
int st_tx_begin(struct store *st, int *owned, struct tb_err *err);
int st_tx_end(struct store *st, int owned, int rc, struct tb_err *err);
int st_list_run(struct store *st, struct st_q *s, const struct list_query *q, const char *key_column,
                int descending, struct list_page *page, struct tb_err *err);
/* A next_cursor as issued by st_list_run: base64url of "key\x1fid"; 0, or -1 (400, field "cursor"). */
/* Actors built from membership rows (store_accounts.c). */
void st_actor_add_membership(struct tb_actor *a, int64_t org, const char *kind, const char *role_text,
                             struct st_q *s, int subject_col);
void st_actor_seal(struct tb_actor *a);
int st_cursor_parse(const char *cursor, char **key, int64_t *id, struct tb_err *err);   /* *key malloc'd */
int st_sort_check(const char *sort, const char *const *allowed, struct tb_err *err);
json_t *st_diff(const json_t *old, const json_t *changes);
int st_version_mismatch(const json_t *row, int64_t version, struct tb_err *err);
/* Statements with the members of a JSON object bound by name (":" + key; a
 * string, integer, boolean, null, or an array/object as JSON text), each of
 * which the statement must have; the executor binds the actor's scope. The
 * run/rows/one forms take (and release) params. */
struct st_q *st_jprep(struct store *st, const struct tb_actor *a, enum stmt id, const json_t *params,
                       struct tb_err *err);
int st_jrun(struct store *st, const struct tb_actor *a, enum stmt id, json_t *params, const char *what,
            int *changes, struct tb_err *err);
int st_jrows(struct store *st, const struct tb_actor *a, enum stmt id, json_t *params, json_t **out,
             struct tb_err *err);
int st_jone(struct store *st, const struct tb_actor *a, enum stmt id, json_t *params, const char *what,
            json_t **out, struct tb_err *err);
int st_db_fail(struct store *st, struct tb_err *err, const char *what);
void st_now_text(char buf[32]);

#endif
