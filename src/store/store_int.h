/*
 * store_int.h - helpers shared by the SQLite store's source files
 * (store_sqlite.c, entity.c). Not for use outside src/store/.
 */
#ifndef TB_STORE_INT_H
#define TB_STORE_INT_H

#include <sqlite3.h>

#include "store/stmts.h"
#include "store/store.h"

struct store {
    sqlite3 *db;
    sqlite3_stmt *stmts[STMT__MAX];
};

/* The statement, reset and with bindings cleared; prepared on first use. */
sqlite3_stmt *st_stmt(struct store *st, enum stmt id, struct tb_err *err);
/* Binding by name; names a statement does not use are ignored. */
void st_bind_i64(sqlite3_stmt *s, const char *name, int64_t v);
void st_bind_text(sqlite3_stmt *s, const char *name, const char *v);
/* Binds :q (as given) and :q_like (with LIKE's wildcards escaped by '!'),
 * so free text matches literally: "50%" finds "50%", not everything. */
void st_bind_q(sqlite3_stmt *s, const char *q);
void st_bind_opt_i64(sqlite3_stmt *s, const char *name, int64_t v);   /* 0 binds NULL */
/* :tenant, :all, :self, :staff, :client_addr, :now and :now_unix from the actor. */
void st_bind_actor(sqlite3_stmt *s, const struct tb_actor *a);
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
int st_cursor_parse(const char *cursor, char **key, int64_t *id, struct tb_err *err);   /* *key malloc'd */
int st_sort_check(const char *sort, const char *const *allowed, struct tb_err *err);
json_t *st_diff(const json_t *old, const json_t *changes);
int st_version_mismatch(const json_t *row, int64_t version, struct tb_err *err);
int st_db_fail(struct store *st, struct tb_err *err, const char *what);
void st_now_text(char buf[32]);

#endif
