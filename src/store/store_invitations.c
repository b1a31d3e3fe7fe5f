/*
 * store_invitations.c - invitations: an address invited into an operator
 * with a role. The row is all an invitation changes; the role is added only
 * when the person who reads the mail accepts (h_auth.c).
 */
#include <string.h>

#include "store/store_int.h"

int store_invitation_create(struct store *st, const struct tb_actor *a, const struct invitation_new *inv,
                            int64_t *id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    struct st_q *s = st_stmt(st, STMT_INVITATION_INSERT, a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":org_id", inv->org_id);
    st_bind_text(st, s, ":email", inv->email);
    st_bind_text(st, s, ":name", inv->name);
    st_bind_text(st, s, ":role", inv->role);
    st_bind_text(st, s, ":subject_type", inv->subject_type);
    st_bind_opt_i64(st, s, ":subject_id", inv->subject_id);
    st_bind_text(st, s, ":token_hash", inv->token_hash);
    st_bind_i64(st, s, ":expires_at", inv->expires_at);
    if (st_step_done(st, s, "invitation", err) < 0)
        goto out;
    if (st_changes(st) != 1) {
        TB_NOT_FOUND(err, "organization not found");
        goto out;
    }
    *id = st_last_id(st);
    json_t *d = json_pack("{s:{s:s}, s:{s:s}, s:{s:I}}", "email", "new", inv->email, "role", "new", inv->role,
                          "org_id", "new", (json_int_t)inv->org_id);
    rc = store_audit_add(st, a, inv->org_id, "create", "invitation", *id, d, err);
    json_decref(d);
out:
    return st_tx_end(st, owned, rc, err);
}

int store_invitation_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                         struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_INVITATION_GET, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":id", id);
    return st_get_one(st, s, "invitation", out, err);
}

int store_invitation_list(struct store *st, const struct tb_actor *a, const struct list_query *q,
                          struct list_page *page, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_INVITATION_LIST, a, err);
    if (!s)
        return -1;
    return st_list_run(st, s, q, NULL, 1, page, err);
}

int store_invitation_withdraw(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    json_t *inv = NULL;
    if (store_invitation_get(st, a, id, &inv, err) < 0)
        goto out;
    struct st_q *s = st_stmt(st, STMT_INVITATION_WITHDRAW, a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":id", id);
    if (st_step_done(st, s, "invitation", err) < 0)
        goto out;
    if (st_changes(st) != 1) {
        tb_fail(err, 409, "invalid_transition", "", "the invitation is already %s",
                json_string_value(json_object_get(inv, "status")));
        goto out;
    }
    json_t *d = json_pack("{s:{s:s, s:s}}", "status", "old", "pending", "new", "withdrawn");
    rc = store_audit_add(st, a, json_integer_value(json_object_get(inv, "org_id")), "update", "invitation",
                         id, d, err);
    json_decref(d);
out:
    json_decref(inv);
    return st_tx_end(st, owned, rc, err);
}

int store_invitation_claim(struct store *st, const char *token_hash, const char *client_addr, json_t **out,
                           struct tb_actor *acting, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_INVITATION_CLAIM, NULL, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":token_hash", token_hash);
    int rc = st_step(st, s);
    *out = rc == ST_ROW ? st_row_json(s) : NULL;
    while (rc == ST_ROW)
        rc = st_step(st, s);
    st_reset(s);
    if (rc != ST_DONE) {
        json_decref(*out);
        *out = NULL;
        return st_db_fail(st, err, "invitation");
    }
    if (!*out)
        return tb_fail(err, 404, "not_found", "token",
                       "token: this link is unknown, already used, withdrawn or expired; ask for a new one");
    /* The invitation is the authority: staff of its operator, in that
     * operator only, for as long as the acceptance takes. */
    int64_t org_id = json_integer_value(json_object_get(*out, "org_id"));
    memset(acting, 0, sizeof *acting);
    acting->tenant_id = org_id;
    acting->roles = ROLE_BIT(ROLE_COORDINATOR);
    acting->client_addr = client_addr;
    json_t *d = json_pack("{s:{s:s, s:s}}", "status", "old", "pending", "new", "accepted");
    rc = store_audit_add(st, acting, org_id, "update", "invitation",
                         json_integer_value(json_object_get(*out, "id")), d, err);
    json_decref(d);
    if (rc < 0) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}
