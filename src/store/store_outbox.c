/*
 * store_outbox.c - mail waiting to be sent, claimed by one sender at a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* ---- outbox ----------------------------------------------------------------- */

int store_outbox_add(struct store *st, const struct tb_actor *a, int64_t org_id,
                     const char *to, const char *subject, const char *body, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_OUTBOX_INSERT, a, err);
    if (!s)
        return -1;
    char now[32];
    st_now_text(now);
    st_bind_text(st, s, ":now_text", now);
    st_bind_i64(st, s, ":org_id", org_id);
    st_bind_text(st, s, ":to_addr", to);
    st_bind_text(st, s, ":subject", subject);
    st_bind_text(st, s, ":body", body);
    if (st_step_done(st, s, "mail", err) < 0)
        return -1;
    if (st_changes(st) != 1)
        return TB_NOT_FOUND(err, "organization not found");
    return 0;
}

int store_outbox_add_for_user(struct store *st, const struct tb_actor *a, int64_t user_id, int64_t org_id,
                              const char *to, const char *subject, const char *body, struct tb_err *err)
{
    json_t *roles, *m;
    size_t i;
    if (store_user_roles(st, user_id, &roles, err) < 0)
        return -1;
    int member = 0;
    json_array_foreach(roles, i, m)
        member |= json_integer_value(json_object_get(m, "org_id")) == org_id;
    json_decref(roles);
    if (!member)
        return TB_NOT_FOUND(err, "organization not found");
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    struct tb_actor sys = st_elevate(a, ELEV_MAIL_TO_MEMBER);
    sys.tenant_id = org_id;
    int rc = store_outbox_add(st, &sys, org_id, to, subject, body, err);
    if (rc == 0) {
        json_t *d = json_pack("{s:{s:s}}", "subject", "new", subject);
        rc = store_audit_add(st, &sys, org_id, "create", "mail", user_id, d, err);
        json_decref(d);
    }
    return st_tx_end(st, owned, rc, err);
}

int store_outbox_claim(struct store *st, const char *owner, int64_t now, int64_t lease,
                       struct outbox_row *out, struct tb_err *err)
{
    memset(out, 0, sizeof *out);
    struct st_q *s = st_stmt(st, STMT_OUTBOX_CLAIM, NULL, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":owner", owner);
    st_bind_i64(st, s, ":now", now);
    st_bind_i64(st, s, ":lease", lease);
    int rc = st_step(st, s);
    if (rc == ST_ROW) {
        out->id = st_col_i64(s, 0);
        out->to = strdup(st_col_text(s, 1));
        out->subject = strdup(st_col_text(s, 2));
        out->body = strdup(st_col_text(s, 3));
        out->attempts = st_col_int(s, 4);
    }
    st_reset(s);
    return (rc == ST_ROW || rc == ST_DONE) ? 0 : st_db_fail(st, err, "mail");
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
    struct st_q *s = st_stmt(st, ok ? STMT_OUTBOX_SENT : STMT_OUTBOX_FAILED, NULL, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":id", id);
    st_bind_text(st, s, ":owner", owner);
    if (ok) {
        char now[32];
        st_now_text(now);
        st_bind_text(st, s, ":now_text", now);
    } else {
        st_bind_text(st, s, ":error", error);
        st_bind_i64(st, s, ":retry_at", retry_at);
    }
    return st_step_done(st, s, "mail", err);
}
