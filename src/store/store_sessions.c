/*
 * store_sessions.c - what authenticates a request or a person: sessions,
 * API tokens and single-use links (invitations, password resets).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_int.h"

/* ---- sessions ------------------------------------------------------------ */

int store_session_create(struct store *st, const char *token_hash, int64_t user_id,
                         const char *csrf, int64_t now, const char *client_addr,
                         struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_SESSION_INSERT, NULL, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":token_hash", token_hash);
    st_bind_i64(st, s, ":user_id", user_id);
    st_bind_text(st, s, ":csrf", csrf);
    st_bind_i64(st, s, ":now", now);
    st_bind_text(st, s, ":client_addr", client_addr);
    return st_step_done(st, s, "session", err);
}

int store_session_get(struct store *st, const char *token_hash, struct session_row *out,
                      struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_SESSION_GET, NULL, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":token_hash", token_hash);
    int rc = st_step(st, s);
    if (rc == ST_ROW) {
        out->user_id = st_col_i64(s, 0);
        snprintf(out->csrf_token, sizeof out->csrf_token, "%s", st_col_text(s, 1));
        out->created_at = st_col_i64(s, 2);
        out->last_seen_at = st_col_i64(s, 3);
    }
    st_reset(s);
    if (rc == ST_ROW)
        return 0;
    if (rc == ST_DONE)
        return TB_NOT_FOUND(err, "session not found");
    return st_db_fail(st, err, "session");
}

int store_session_touch(struct store *st, const char *token_hash, int64_t now, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_SESSION_TOUCH, NULL, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":token_hash", token_hash);
    st_bind_i64(st, s, ":now", now);
    return st_step_done(st, s, "session", err);
}

int store_session_delete(struct store *st, const char *token_hash, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_SESSION_DELETE, NULL, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":token_hash", token_hash);
    return st_step_done(st, s, "session", err);
}

int store_session_purge(struct store *st, int64_t idle_before, int64_t created_before,
                        struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_SESSION_PURGE, NULL, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":idle_before", idle_before);
    st_bind_i64(st, s, ":created_before", created_before);
    return st_step_done(st, s, "session", err);
}

/* ---- API tokens ------------------------------------------------------------ */

int store_token_create(struct store *st, const struct tb_actor *a, const char *name,
                       const char *token_hash, const char *prefix, const char *scope,
                       const char *expires_at, int64_t *id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    struct st_q *s = st_stmt(st, STMT_TOKEN_INSERT, a, err);
    if (!s)
        goto out;
    st_bind_text(st, s, ":name", name);
    st_bind_text(st, s, ":token_hash", token_hash);
    st_bind_text(st, s, ":prefix", prefix);
    st_bind_text(st, s, ":scope", scope);
    st_bind_text(st, s, ":expires_at", expires_at);
    if (st_step_done(st, s, "token", err) < 0)
        goto out;
    *id = st_last_id(st);
    json_t *d = json_pack("{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}", "name", "new", name, "prefix", "new", prefix,
                          "scope", "new", scope, "expires_at", "new", expires_at);
    rc = store_audit_add(st, a, a->tenant_id, "create", "api_token", *id, d, err);
    json_decref(d);
out:
    return st_tx_end(st, owned, rc, err);
}

int store_token_list(struct store *st, const struct tb_actor *a, const struct list_query *q,
                     struct list_page *page, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_TOKEN_LIST, a, err);
    if (!s)
        return -1;
    return st_list_run(st, s, q, NULL, 0, page, err);
}

int store_token_revoke(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    struct st_q *s = st_stmt(st, STMT_TOKEN_REVOKE, a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":id", id);
    if (st_step_done(st, s, "token", err) < 0)
        goto out;
    if (st_changes(st) != 1) {
        TB_NOT_FOUND(err, "token not found (or already revoked)");
        goto out;
    }
    json_t *d = json_pack("{s:{s:b}}", "revoked", "new", 1);
    rc = store_audit_add(st, a, a->tenant_id, "update", "api_token", id, d, err);
    json_decref(d);
out:
    return st_tx_end(st, owned, rc, err);
}

int store_token_auth(struct store *st, const char *token_hash, struct token_auth *out,
                     struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_TOKEN_LOOKUP, NULL, err);
    if (!s)
        return -1;
    char now[32], stale[32];
    time_t t = time(NULL);
    struct tm tm;
    st_now_text(now);
    t -= TOKEN_TOUCH_SECONDS;
    gmtime_r(&t, &tm);
    strftime(stale, sizeof stale, "%Y-%m-%dT%H:%M:%SZ", &tm);
    st_bind_text(st, s, ":token_hash", token_hash);
    st_bind_text(st, s, ":now", now);
    memset(out, 0, sizeof *out);
    int rc, rows = 0, touch = 0;
    int64_t id = 0;
    while ((rc = st_step(st, s)) == ST_ROW) {
        if (!rows++) {
            id = st_col_i64(s, 0);
            out->user_id = out->actor.user_id = st_col_i64(s, 1);
            out->read_only = strcmp(st_col_text(s, 2), "read_write") != 0;
            const char *used = st_col_text(s, 3);
            touch = !used || strcmp(used, stale) < 0;
            out->active = !strcmp(st_col_text(s, 4), "active");
        }
        if (st_col_type(s, 5) == ST_INTEGER)
            st_actor_add_membership(&out->actor, st_col_i64(s, 5), st_col_text(s, 6),
                                    st_col_text(s, 7), s, 8);
    }
    st_reset(s);
    if (rc != ST_DONE)
        return st_db_fail(st, err, "token");
    if (!rows)
        return TB_NOT_FOUND(err, "token not found");
    st_actor_seal(&out->actor);
    /* Last use to the minute: a write on every request would serialise readers. */
    if (!touch)
        return 0;
    s = st_stmt(st, STMT_TOKEN_TOUCH, NULL, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":now", now);
    st_bind_i64(st, s, ":id", id);
    return st_step_done(st, s, "token", err);
}

int store_token_lookup(struct store *st, const char *token_hash, int64_t *user_id,
                       int *read_only, struct tb_err *err)
{
    struct token_auth ta;
    if (store_token_auth(st, token_hash, &ta, err) < 0)
        return -1;
    *user_id = ta.user_id;
    *read_only = ta.read_only;
    return 0;
}

/* ---- single-use links ------------------------------------------------------ */

/* A user has at most one live link: the newest, or none once one is used. */
static int revoke_other_links(struct store *st, int64_t user_id, const char *keep, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_USER_TOKENS_REVOKE_OTHERS, NULL, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":user_id", user_id);
    st_bind_text(st, s, ":keep", keep);
    return st_step_done(st, s, "link", err);
}

int store_user_token_create(struct store *st, int64_t user_id, const char *purpose,
                            const char *token_hash, int64_t expires_at, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = revoke_other_links(st, user_id, token_hash, err);
    struct st_q *s = rc < 0 ? NULL : st_stmt(st, STMT_USER_TOKEN_INSERT, NULL, err);
    if (s) {
        st_bind_i64(st, s, ":user_id", user_id);
        st_bind_text(st, s, ":purpose", purpose);
        st_bind_text(st, s, ":token_hash", token_hash);
        st_bind_i64(st, s, ":expires_at", expires_at);
        rc = st_step_done(st, s, "link", err);
    } else {
        rc = -1;
    }
    return st_tx_end(st, owned, rc, err);
}

static int link_gone(struct tb_err *err)
{
    return tb_fail(err, 404, "not_found", "token",
                   "token: this link is unknown, already used or expired; ask for a new one");
}

/* Runs a link statement (peek or consume) for (purpose, hash) at `now`; its
 * first row's user id goes to *user_id. Returns the step's SQLite code, or -1
 * when the statement could not be had (err set); *out is the statement. */
static int link_first_step(struct store *st, enum stmt id, const char *purpose, const char *token_hash,
                           int64_t now, struct st_q **out, int64_t *user_id, struct tb_err *err)
{
    struct st_q *s = *out = st_stmt(st, id, NULL, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":purpose", purpose);
    st_bind_text(st, s, ":token_hash", token_hash);
    st_bind_i64(st, s, ":now", now);
    int rc = st_step(st, s);
    if (rc == ST_ROW)
        *user_id = st_col_i64(s, 0);
    return rc;
}

int store_user_token_peek(struct store *st, const char *purpose, const char *token_hash,
                          int64_t now, int64_t *user_id, struct tb_err *err)
{
    struct st_q *s;
    int rc = link_first_step(st, STMT_USER_TOKEN_PEEK, purpose, token_hash, now, &s, user_id, err);
    if (rc < 0)
        return -1;
    st_reset(s);
    if (rc == ST_DONE)
        return link_gone(err);
    return rc == ST_ROW ? 0 : st_db_fail(st, err, "link");
}

int store_user_token_consume(struct store *st, const char *purpose, const char *token_hash,
                             int64_t now, int64_t *user_id, struct tb_err *err)
{
    struct st_q *s;
    int rc = link_first_step(st, STMT_USER_TOKEN_CONSUME, purpose, token_hash, now, &s, user_id, err);
    if (rc < 0)
        return -1;
    while (rc == ST_ROW)
        rc = st_step(st, s);
    st_reset(s);
    if (rc != ST_DONE)
        return st_db_fail(st, err, "link");
    if (st_changes(st) != 1)
        return link_gone(err);
    return revoke_other_links(st, *user_id, token_hash, err);
}
