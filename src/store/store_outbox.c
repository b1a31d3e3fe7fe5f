/*
 * store_outbox.c - mail waiting to be sent, claimed by one sender at a time.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* ---- outbox ----------------------------------------------------------------- */

int store_outbox_add(struct store *st, const struct tb_actor *a, int64_t org_id,
                     const char *to, const char *subject, const char *body, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_OUTBOX_INSERT, err);
    if (!s)
        return -1;
    st_bind_actor(s, a);
    char now[32];
    st_now_text(now);
    st_bind_text(s, ":now_text", now);
    st_bind_i64(s, ":org_id", org_id);
    st_bind_text(s, ":to_addr", to);
    st_bind_text(s, ":subject", subject);
    st_bind_text(s, ":body", body);
    if (st_step_done(st, s, "mail", err) < 0)
        return -1;
    if (sqlite3_changes(st->db) != 1)
        return TB_NOT_FOUND(err, "organization not found");
    return 0;
}

int store_outbox_claim(struct store *st, const char *owner, int64_t now, int64_t lease,
                       struct outbox_row *out, struct tb_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = st_stmt(st, STMT_OUTBOX_CLAIM, err);
    if (!s)
        return -1;
    st_bind_text(s, ":owner", owner);
    st_bind_i64(s, ":now", now);
    st_bind_i64(s, ":lease", lease);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(s, 0);
        out->to = strdup((const char *)sqlite3_column_text(s, 1));
        out->subject = strdup((const char *)sqlite3_column_text(s, 2));
        out->body = strdup((const char *)sqlite3_column_text(s, 3));
        out->attempts = sqlite3_column_int(s, 4);
    }
    sqlite3_reset(s);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : st_db_fail(st, err, "mail");
}

void store_outbox_row_free(struct outbox_row *r)
{
    free(r->to);
    free(r->subject);
    free(r->body);
    memset(r, 0, sizeof *r);
}

int store_outbox_mark(struct store *st, int64_t id, const char *owner, int ok, const char *error,
                      int64_t retry_at, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, ok ? STMT_OUTBOX_SENT : STMT_OUTBOX_FAILED, err);
    if (!s)
        return -1;
    char now[32];
    st_now_text(now);
    st_bind_text(s, ":now_text", now);
    st_bind_i64(s, ":id", id);
    st_bind_text(s, ":owner", owner);
    st_bind_text(s, ":error", error);
    st_bind_i64(s, ":retry_at", retry_at);
    return st_step_done(st, s, "mail", err);
}
