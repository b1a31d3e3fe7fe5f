/*
 * store.h - the only door to the database.
 *
 * Every SQL statement TradeBridge runs lives behind this API (src/store/
 * stmts_sqlite.c holds the closed set). Functions take the acting principal
 * (struct tb_actor); each statement declares its scope and the executor
 * (store_stmt.c) binds the actor's tenant and role scope into it, refusing to
 * run one whose scope is not bound (docs/store.md). A handler cannot read or
 * change another operator's rows: such ids simply are not found (404). Records come back as JSON objects (jansson) in
 * the shape the API shows, which keeps handlers thin and lets a PostgreSQL
 * backend implement the same functions with its own statement set.
 *
 * All functions return 0 or -1 with *err filled (404 not found, 409 conflict,
 * 412 version mismatch, 500 database error). The caller owns returned json_t.
 */
#ifndef TB_STORE_H
#define TB_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "core/auth.h"
#include "core/error.h"

struct store;

/* Opens `path`: a SQLite file (creating it if needed; WAL, foreign keys,
 * busy timeout, synchronous=NORMAL), optionally prefixed `sqlite:`, or a
 * PostgreSQL connection URL (`postgresql://...`). Does not migrate. */
int store_open(const char *path, struct store **out, struct tb_err *err);
void store_close(struct store *st);
/* Whether a database name selects PostgreSQL; the backend's name ("sqlite",
 * "postgresql") of an open store. */
int store_is_postgres(const char *db);
const char *store_backend_name(const struct store *st);
/* Test builds, PostgreSQL: `sql` run as actor a's TENANT statements are, but
 * outside the statement set (the row-level security test's unfiltered query). */
int store_pg_unfiltered(struct store *st, const struct tb_actor *a, const char *sql, json_t **rows,
                        struct tb_err *err);
/* PostgreSQL: WAL-logs every sequence's current value, so that a copy made
 * with CREATE DATABASE ... TEMPLATE keeps its ids after a crash (see
 * store_pg.c); 0 on SQLite. */
int store_log_sequences(struct store *st, struct tb_err *err);
/* Moving an installation (issue 18, store_copy.c): every table of the SQLite
 * store `from` into the PostgreSQL store `to` (migrated first), ids, times,
 * files and sealed keys as stored, in one transaction on `to`, verified
 * (per table: rows and a checksum of every row on both sides) before it
 * commits. Refuses (409) a source or target at another schema version than
 * the binary's, and a target with rows unless `replace` (which empties its
 * tables in the same transaction). On a verification mismatch nothing is
 * written and out->tables says where; free it with store_copy_result_free. */
struct store_copy_table {
    char name[64];
    int64_t rows_from, rows_to;
    char sum_from[33], sum_to[33];
    int ok;
};
struct store_copy_result {
    struct store_copy_table *tables;   /* in the order copied */
    int n, mismatches, replaced;
    int64_t rows;
};
int store_copy(struct store *from, struct store *to, int replace, struct store_copy_result *out,
               struct tb_err *err);
void store_copy_result_free(struct store_copy_result *r);
/* Applies pending migrations (all, or up to and including `upto` if not NULL).
 * *applied counts the files applied now. */
int store_migrate(struct store *st, const char *upto, int *applied, struct tb_err *err);
/* Names of applied migrations, oldest first, as a JSON array. */
int store_migrations_applied(struct store *st, json_t **out, struct tb_err *err);
int store_health(struct store *st, struct tb_err *err);
/* Online copy to dest_path (SQLite backup API): safe while others write. */
int store_backup(struct store *st, const char *dest_path, struct tb_err *err);
/* The schema as text (sqlite_master), used by the migration tests. */
int store_schema_dump(struct store *st, char **out, struct tb_err *err);
/* Database errors seen by this process (for /metrics). */
unsigned long store_db_errors(void);

/* The statement set, exposed for the scope unit test. Each statement
 * declares its scope; the executor (store_stmt.c) binds the scope's
 * parameters from the actor and refuses to run a statement whose scope the
 * actor does not supply. */
enum stmt_scope {
    SCOPE_TENANT,   /* one operator's rows: :tenant (and :all for an elevated actor) */
    SCOPE_USER,     /* people's accounts, seen through :self / :staff / :tenant / :all */
    SCOPE_GLOBAL,   /* across tenants by design (sign-in, public documents): reason says why */
    SCOPE_SYSTEM,   /* the server's own bookkeeping (schema, mail delivery): reason says why */
};
struct store_stmt_info {
    const char *name;
    const char *sql;
    enum stmt_scope scope;
    const char *reason;          /* GLOBAL and SYSTEM: why it must see across tenants */
};
const struct store_stmt_info *store_statements(int *count);       /* SQLite */
const struct store_stmt_info *store_statements_pg(int *count);    /* PostgreSQL */
const char *store_scope_name(enum stmt_scope s);
/* Prepares every statement once; fails naming the first that does not
 * compile against the migrated schema (tests, start-up self-check). */
int store_prepare_all(struct store *st, struct tb_err *err);
/* Runs statement `index` with the parameters named in `names` (NULL-terminated)
 * bound to 1, as the store's functions do: for the unit tests of the
 * executor's refusals. Returns 0 when it ran, -1 with *err when refused. */
int store_stmt_probe(struct store *st, int index, const struct tb_actor *a, const char *const *names,
                     struct tb_err *err);

/* Lists: keyset pagination. A cursor carries a whole sort key (a name of up
 * to 500 characters is 2,000 bytes of UTF-8, about 2,700 in base64); this
 * bounds only what a client can make the server decode. */
#define CURSOR_MAX 16384
struct list_query {
    int limit;                /* 1..200 */
    const char *cursor;       /* opaque, from a previous next_cursor; NULL first page */
    const char *sort;         /* documented per list; NULL = default */
    const char *q;            /* free-text filter */
    const char *f1, *f2, *f3; /* list-specific filters (documented at each function) */
};
struct list_page {
    json_t *items;            /* array */
    char *next_cursor;        /* malloc'd, NULL on the last page */
};
void list_page_free(struct list_page *p);

/* Answers written as JSON text from rows (the read path, issue 11): a
 * resource whose answer adds one member computed from a few columns of the
 * record names them; member = compute(an object of the columns in reads). */
struct row_member {
    const char *member;
    const char *const *reads;
    json_t *(*compute)(const json_t *columns);
};

/* ---- organizations ---- */
int store_org_create(struct store *st, const struct tb_actor *a, const char *kind,
                     const char *name, const char *country, int64_t parent_id,
                     int64_t *id, struct tb_err *err);
int store_org_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                  struct tb_err *err);
/* sort: id (default), name; f1 = kind */
int store_org_list(struct store *st, const struct tb_actor *a, const struct list_query *q,
                   struct list_page *page, struct tb_err *err);
/* changes: {"name":..,"country":..}; version must match (else 412). */
int store_org_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                     const json_t *changes, json_t **out, struct tb_err *err);
int store_org_delete(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err);
int store_org_foundation_id(struct store *st, int64_t *id, struct tb_err *err);
int store_org_by_name(struct store *st, const char *name, int64_t *id, struct tb_err *err);

/* ---- users and roles ---- */
struct user_auth {
    int64_t id;
    char email[256];
    char name[USER_NAME_MAX * 4 + 1];   /* every name validation lets in */
    char password_hash[128];
    char status[16];
};
int store_user_create(struct store *st, const struct tb_actor *a, const char *email,
                      const char *name, const char *password_hash, const char *status,
                      int64_t *id, struct tb_err *err);
int store_user_auth_by_email(struct store *st, const char *email, struct user_auth *out,
                             struct tb_err *err);
int store_user_auth_by_id(struct store *st, int64_t id, struct user_auth *out,
                          struct tb_err *err);
int store_user_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                   struct tb_err *err);
/* sort: id (default), email; f1 = role, f2 = status */
int store_user_list(struct store *st, const struct tb_actor *a, const struct list_query *q,
                    struct list_page *page, struct tb_err *err);
/* changes: {"name":..,"status":..} */
int store_user_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                      const json_t *changes, json_t **out, struct tb_err *err);
/* Sets the password and activates the account; ends the user's sessions. */
int store_user_set_password(struct store *st, const struct tb_actor *a, int64_t id,
                            const char *password_hash, struct tb_err *err);
int store_membership_add(struct store *st, const struct tb_actor *a, int64_t user_id,
                         int64_t org_id, enum tb_role role, const char *subject_type,
                         int64_t subject_id, struct tb_err *err);
/* Builds the actor for a logged-in user: the org it works in and its roles. */
int store_actor_load(struct store *st, int64_t user_id, struct tb_actor *out,
                     struct tb_err *err);
/* The user's roles as [{"org_id","org_name","role","subject_type","subject_id"}]. */
int store_user_roles(struct store *st, int64_t user_id, json_t **out, struct tb_err *err);

/* ---- sessions ---- */
struct session_row {
    int64_t user_id;
    char csrf_token[64];
    int64_t created_at, last_seen_at;
};
int store_session_create(struct store *st, const char *token_hash, int64_t user_id,
                         const char *csrf, int64_t now, const char *client_addr,
                         struct tb_err *err);
int store_session_get(struct store *st, const char *token_hash, struct session_row *out,
                      struct tb_err *err);
int store_session_touch(struct store *st, const char *token_hash, int64_t now,
                        struct tb_err *err);
int store_session_delete(struct store *st, const char *token_hash, struct tb_err *err);
int store_session_purge(struct store *st, int64_t idle_before, int64_t created_before,
                        struct tb_err *err);

/* ---- API tokens ---- */
/* scope: "read" or "read_write"; expires_at: ISO 8601 UTC. */
int store_token_create(struct store *st, const struct tb_actor *a, const char *name,
                       const char *token_hash, const char *prefix, const char *scope,
                       const char *expires_at, int64_t *id, struct tb_err *err);
int store_token_list(struct store *st, const struct tb_actor *a, const struct list_query *q,
                     struct list_page *page, struct tb_err *err);
int store_token_revoke(struct store *st, const struct tb_actor *a, int64_t id,
                       struct tb_err *err);
/* Authentication: the user behind a live token and whether the token is
 * read-only (404 when unknown, revoked or expired). A new password
 * (store_user_set_password) revokes every token of the user. */
int store_token_lookup(struct store *st, const char *token_hash, int64_t *user_id,
                       int *read_only, struct tb_err *err);
/* The same in one statement with what authentication needs next: whether the
 * user is active and the actor it acts as (store_actor_load). The token's
 * last use is written at most once a minute (TOKEN_TOUCH_SECONDS). */
#define TOKEN_TOUCH_SECONDS 60
struct token_auth {
    int64_t user_id;
    int read_only, active;
    struct tb_actor actor;
};
int store_token_auth(struct store *st, const char *token_hash, struct token_auth *out,
                     struct tb_err *err);

/* ---- invitations ---- */
struct invitation_new {
    int64_t org_id;
    const char *email, *name, *role;
    const char *subject_type;     /* NULL when the role is org-wide */
    int64_t subject_id;
    const char *token_hash;       /* of the link mailed to the address */
    int64_t expires_at;           /* unix seconds */
};
int store_invitation_create(struct store *st, const struct tb_actor *a, const struct invitation_new *inv,
                            int64_t *id, struct tb_err *err);
/* {id, org_id, email, name, role, subject_type, subject_id, invited_by, created_at,
 *  expires_at, accepted_at, withdrawn_at, status: pending|accepted|withdrawn|expired} */
int store_invitation_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                         struct tb_err *err);
/* Newest first. */
int store_invitation_list(struct store *st, const struct tb_actor *a, const struct list_query *q,
                          struct list_page *page, struct tb_err *err);
/* 409 invalid_transition unless pending. */
int store_invitation_withdraw(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err);
/* Marks the pending invitation behind the link accepted (audited) and returns
 * {id, org_id, email, name, role, subject_type, subject_id}; 404 on "token"
 * when unknown, used, withdrawn or expired. *acting is the actor the
 * acceptance runs as: staff of the invitation's operator, in that operator
 * only (never across tenants). Call inside a transaction. */
int store_invitation_claim(struct store *st, const char *token_hash, const char *client_addr, json_t **out,
                           struct tb_actor *acting, struct tb_err *err);

/* ---- single-use links (invitations, password resets) ---- */
/* Creating a link, or using one, ends every other unused link of the user. */
int store_user_token_create(struct store *st, int64_t user_id, const char *purpose,
                            const char *token_hash, int64_t expires_at, struct tb_err *err);
/* The user of a live (unused, unexpired) link, without using it; 404 otherwise. */
int store_user_token_peek(struct store *st, const char *purpose, const char *token_hash,
                          int64_t now, int64_t *user_id, struct tb_err *err);
/* Marks the token used and returns its user; 404 when unknown, used or expired. */
int store_user_token_consume(struct store *st, const char *purpose, const char *token_hash,
                             int64_t now, int64_t *user_id, struct tb_err *err);

/* ---- outbox ---- */
/* Mail filed under org_id, which must be the actor's operator (or the actor
 * works across tenants); 404 otherwise. */
int store_outbox_add(struct store *st, const struct tb_actor *a, int64_t org_id,
                     const char *to, const char *subject, const char *body,
                     struct tb_err *err);
/* Mail to a person (user_id) about their own account, for any actor (also
 * one not signed in, as in a password reset): filed under org_id, which must
 * be an operator the person holds a role in (404 otherwise). The one
 * elevation a handler may ask for, and it is audited ("mail" on the user). */
int store_outbox_add_for_user(struct store *st, const struct tb_actor *a, int64_t user_id, int64_t org_id,
                              const char *to, const char *subject, const char *body,
                              struct tb_err *err);
struct outbox_row {
    int64_t id;
    int attempts;
    char *to, *subject, *body;   /* malloc'd; free with store_outbox_row_free */
};
/* Claims the next message due at `now` for `owner` (a name unique to the
 * sending process) until now + lease seconds, in one UPDATE: two senders,
 * even in two processes, never claim one message. Returns 0 with
 * out->id == 0 when none is due and unclaimed. */
int store_outbox_claim(struct store *st, const char *owner, int64_t now, int64_t lease,
                       struct outbox_row *out, struct tb_err *err);
void store_outbox_row_free(struct outbox_row *r);
/* Records the outcome and releases the claim; a no-op unless `owner` still
 * holds it. */
int store_outbox_mark(struct store *st, int64_t id, const char *owner, int ok, const char *error,
                      int64_t retry_at, struct tb_err *err);

/* ---- audit ---- */
/* changes: {"field":{"old":..,"new":..}}; may be NULL for deletes. */
int store_audit_add(struct store *st, const struct tb_actor *a, int64_t org_id,
                    const char *action, const char *entity, int64_t entity_id,
                    const json_t *changes, struct tb_err *err);
/* sort: -id (default, newest first), id; f1 = entity, f2 = action, f3 = user_id;
 * q = entity_id */
int store_audit_list(struct store *st, const struct tb_actor *a, const struct list_query *q,
                     struct list_page *page, struct tb_err *err);

/* Transactions for callers composing several store calls. */
int store_begin(struct store *st, struct tb_err *err);
int store_commit(struct store *st, struct tb_err *err);
void store_rollback(struct store *st);

/* A unit of work: store calls only, returning 0 or -1 with err set. */
typedef int (*store_work_fn)(struct store *st, void *ctx, struct tb_err *err);
/* Runs `work` in one transaction: begin, work, commit; on failure nothing of
 * it is kept. When the unit lost a conflict with a concurrent writer
 * (PostgreSQL's serialization failure or deadlock: 503 `unavailable`) it is
 * rolled back and run again from the start, up to STORE_TX_ATTEMPTS times in
 * all, with a short jittered pause between; SQLite's single writer never loses
 * one, so there it runs once. Inside a transaction the caller already holds it
 * just runs `work` (the outermost unit retries). So `work` must have no effect
 * outside the database (mail goes through the outbox table) and must start
 * from `ctx` afresh each time: reset any output it fills. */
#define STORE_TX_ATTEMPTS 4
int store_in_tx(struct store *st, store_work_fn work, void *ctx, struct tb_err *err);
/* For tests: fails as a statement that lost a conflict does (503
 * `unavailable`, and store_in_tx runs the unit again). */
int store_fail_conflict(struct store *st, struct tb_err *err);

#endif
