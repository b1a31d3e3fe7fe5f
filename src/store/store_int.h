/*
 * store_int.h - helpers shared by the SQLite store's source files
 * (store_*.c, entity.c): the executor, binding, transactions, paging. Not for use
 * outside src/store/.
 */
#ifndef TB_STORE_INT_H
#define TB_STORE_INT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "store/stmts.h"
#include "store/store.h"

/* Parameters the executor binds itself: the scope (from the actor; a
 * caller binding one of these is refused) and defaults a caller may replace
 * (:now, :now_unix from the clock, :client_addr from the actor). */
enum st_param {
    P_TENANT, P_ALL, P_SELF, P_STAFF, P_SCOPE_COMPANY, P_SCOPE_GRADUATE, P_SCOPE_MENTOR, P_OPEN_ONLY,
    P_NOW, P_NOW_UNIX, P_CLIENT_ADDR, P__MAX
};
#define P__SCOPE P_NOW   /* parameters before this one are scope parameters */

/* A prepared statement and what has been bound to it since st_stmt. At most
 * 64 parameters per statement (checked when prepared). */
struct st_slot {
    sqlite3_stmt *s;
    uint64_t params;     /* one bit per parameter of the statement */
    uint64_t bound;      /* bound since st_stmt */
    uint64_t defaults;   /* of those, bound by the executor (a caller may replace them once) */
    const char *refused; /* why the next step is refused (a misuse since st_stmt), or NULL */
    short ix[P__MAX];    /* parameter index of each executor parameter, 0 when unused */
};

struct store {
    sqlite3 *db;
    int cur;                         /* the statement st_stmt handed out last */
    int refused;                     /* st_step refused the last run (already logged) */
    struct st_slot slots[STMT__MAX];
};

/* The statement, reset, with its scope bound from the actor `a` (NULL for
 * GLOBAL and SYSTEM statements); prepared on first use. Refuses (500, logged)
 * a TENANT or USER statement the actor gives no scope for, and any actor that
 * claims all tenants without an elevation the store granted. */
sqlite3_stmt *st_stmt(struct store *st, enum stmt id, const struct tb_actor *a, struct tb_err *err);
/* Binding by name. Every parameter of a statement must be bound before it is
 * stepped; naming a parameter the statement does not have, binding one twice
 * or binding a scope parameter makes st_step refuse to run it. */
void st_bind_i64(struct store *st, sqlite3_stmt *s, const char *name, int64_t v);
void st_bind_text(struct store *st, sqlite3_stmt *s, const char *name, const char *v);
void st_bind_blob(struct store *st, sqlite3_stmt *s, const char *name, const void *v, size_t len);
void st_bind_double(struct store *st, sqlite3_stmt *s, const char *name, double v);
void st_bind_opt_i64(struct store *st, sqlite3_stmt *s, const char *name, int64_t v);   /* 0 binds NULL */
/* Whether the statement has this parameter: for the generic helpers (paging,
 * free text) that serve statements of several shapes. */
int st_has_param(sqlite3_stmt *s, const char *name);
/* Binds :q (as given) and :q_like (with LIKE's wildcards escaped by '!'),
 * so free text matches literally: "50%" finds "50%", not everything. */
void st_bind_q(struct store *st, sqlite3_stmt *s, const char *q);
/* sqlite3_step, refused (SQLITE_MISUSE, logged) while a parameter is unbound
 * or the bindings were misused. */
int st_step(struct store *st, sqlite3_stmt *s);

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
json_t *st_row_json(sqlite3_stmt *s);
int st_step_done(struct store *st, sqlite3_stmt *s, const char *what, struct tb_err *err);
/* Every row of s as a JSON array. */
int st_rows(struct store *st, sqlite3_stmt *s, json_t **out, struct tb_err *err);
int st_get_one(struct store *st, sqlite3_stmt *s, const char *what, json_t **out, struct tb_err *err);
int st_tx_begin(struct store *st, int *owned, struct tb_err *err);
int st_tx_end(struct store *st, int owned, int rc, struct tb_err *err);
int st_list_run(struct store *st, sqlite3_stmt *s, const struct list_query *q, const char *key_column,
                int descending, struct list_page *page, struct tb_err *err);
/* A next_cursor as issued by st_list_run: base64url of "key\x1fid"; 0, or -1 (400, field "cursor"). */
/* Actors built from membership rows (store_accounts.c). */
void st_actor_add_membership(struct tb_actor *a, int64_t org, const char *kind, const char *role_text,
                             sqlite3_stmt *s, int subject_col);
void st_actor_seal(struct tb_actor *a);
int st_cursor_parse(const char *cursor, char **key, int64_t *id, struct tb_err *err);   /* *key malloc'd */
int st_sort_check(const char *sort, const char *const *allowed, struct tb_err *err);
json_t *st_diff(const json_t *old, const json_t *changes);
int st_version_mismatch(const json_t *row, int64_t version, struct tb_err *err);
/* Statements with the members of a JSON object bound by name (":" + key; a
 * string, integer, boolean, null, or an array/object as JSON text), each of
 * which the statement must have; the executor binds the actor's scope. The
 * run/rows/one forms take (and release) params. */
sqlite3_stmt *st_jprep(struct store *st, const struct tb_actor *a, enum stmt id, const json_t *params,
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
