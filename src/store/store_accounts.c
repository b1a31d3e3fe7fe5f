/*
 * store_accounts.c - organizations, users, their roles (memberships), and
 * the actor built from a user's roles.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "store/entity.h"

/* ---- organizations -------------------------------------------------------- */

int store_org_create(struct store *st, const struct tb_actor *a, const char *kind,
                     const char *name, const char *country, int64_t parent_id,
                     int64_t *id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    struct st_q *s = st_stmt(st, STMT_ORG_INSERT, a, err);
    if (!s)
        goto out;
    st_bind_text(st, s, ":kind", kind);
    st_bind_text(st, s, ":name", name);
    st_bind_text(st, s, ":country", country);
    st_bind_opt_i64(st, s, ":parent_id", parent_id);
    if (st_step_done(st, s, "organization", err) < 0) {
        if (err->status == 409)
            tb_fail(err, 409, "conflict", "name", "name: an organization called '%s' already exists", name);
        goto out;
    }
    if (st_changes(st) != 1) {
        tb_fail(err, 403, "forbidden", "", "only the foundation can create organizations");
        goto out;
    }
    *id = st_last_id(st);
    json_t *fields = json_pack("{s:s, s:s, s:s?}", "kind", kind, "name", name, "country", country);
    json_t *d = st_diff(NULL, fields);
    rc = store_audit_add(st, a, *id, "create", "organization", *id, d, err);
    json_decref(d);
    json_decref(fields);
    if (rc == 0 && !strcmp(kind, "operator"))
        rc = store_default_catalogue(st, a, *id, err);
out:
    return st_tx_end(st, owned, rc, err);
}

int store_org_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                  struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_ORG_GET, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":id", id);
    return st_get_one(st, s, "organization", out, err);
}

int store_org_list(struct store *st, const struct tb_actor *a, const struct list_query *q,
                   struct list_page *page, struct tb_err *err)
{
    static const char *const sorts[] = {"id", "name", NULL};
    int sort = st_sort_check(q->sort, sorts, err);
    if (sort < 0)
        return -1;
    struct st_q *s = st_stmt(st, sort == 1 ? STMT_ORG_LIST_NAME : STMT_ORG_LIST_ID, a, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":kind", q->f1);
    st_bind_q(st, s, q->q);
    return st_list_run(st, s, q, sort == 1 ? "name" : NULL, 0, page, err);
}

int store_org_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                     const json_t *changes, json_t **out, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    json_t *old = NULL;
    int rc = -1;
    if (store_org_get(st, a, id, &old, err) < 0 || st_version_mismatch(old, version, err) < 0)
        goto out;
    if (!actor_has(a, ROLES_STAFF)) {
        tb_fail(err, 403, "forbidden", "", "only coordinators and admins can change an organization");
        goto out;
    }
    struct st_q *s = st_stmt(st, STMT_ORG_UPDATE, a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":id", id);
    st_bind_i64(st, s, ":version", json_integer_value(json_object_get(old, "version")));
    json_t *name = json_object_get(changes, "name"), *country = json_object_get(changes, "country");
    st_bind_text(st, s, ":name", name ? json_string_value(name) : json_string_value(json_object_get(old, "name")));
    st_bind_text(st, s, ":country", country ? json_string_value(country)
                                  : json_string_value(json_object_get(old, "country")));
    if (st_step_done(st, s, "organization", err) < 0) {
        if (err->status == 409)
            tb_fail(err, 409, "conflict", "name", "name: another organization already has this name");
        goto out;
    }
    if (st_changes(st) != 1) {
        tb_fail(err, 412, "version_mismatch", "version", "version: the record was changed by someone else");
        goto out;
    }
    json_t *d = st_diff(old, changes);
    rc = store_audit_add(st, a, id, "update", "organization", id, d, err);
    json_decref(d);
    if (rc == 0)
        rc = store_org_get(st, a, id, out, err);
out:
    json_decref(old);
    return st_tx_end(st, owned, rc, err);
}

int store_org_delete(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    json_t *old = NULL;
    int rc = -1;
    if (store_org_get(st, a, id, &old, err) < 0)
        goto out;
    if (!a->all_tenants) {
        tb_fail(err, 403, "forbidden", "", "only the foundation can delete organizations");
        goto out;
    }
    struct st_q *s = st_stmt(st, STMT_ORG_REFS, a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":id", id);
    if (st_step(st, s) == ST_ROW) {
        int64_t members = st_col_i64(s, 0), children = st_col_i64(s, 1);
        int64_t records = st_col_i64(s, 3);
        st_reset(s);
        if (members || children || records) {
            tb_fail(err, 409, "still_referenced", "",
                    "organization is still referenced by %lld role(s), %lld organization(s) and %lld programme record(s)",
                    (long long)members, (long long)children, (long long)records);
            goto out;
        }
    } else {
        st_reset(s);
    }
    /* The entry goes to the foundation's log, where admins will look for it;
     * the deleted organization's own audit rows stay (audit_log has no FK). */
    int64_t foundation;
    if (store_org_foundation_id(st, &foundation, err) < 0)
        goto out;
    json_t *gone = json_pack("{s:{s:O}}", "name", "old", json_object_get(old, "name"));
    rc = store_audit_add(st, a, foundation, "delete", "organization", id, gone, err);
    json_decref(gone);
    if (rc < 0)
        goto out;
    rc = -1;
    /* The default catalogue it was given goes with it, if never awarded. */
    s = st_stmt(st, STMT_ORG_CATALOGUE_DELETE, a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":id", id);
    if (st_step_done(st, s, "organization", err) < 0)
        goto out;
    s = st_stmt(st, STMT_ORG_DELETE, a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":id", id);
    rc = st_step_done(st, s, "organization", err);
out:
    json_decref(old);
    return st_tx_end(st, owned, rc, err);
}

int store_org_foundation_id(struct store *st, int64_t *id, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_ORG_FOUNDATION, NULL, err);
    if (!s)
        return -1;
    int rc = st_step(st, s);
    *id = rc == ST_ROW ? st_col_i64(s, 0) : 0;
    st_reset(s);
    if (rc == ST_ROW)
        return 0;
    if (rc == ST_DONE)
        return TB_NOT_FOUND(err, "no foundation organization exists yet (run 'tradebridge org add --foundation')");
    return st_db_fail(st, err, "organization");
}

int store_org_by_name(struct store *st, const char *name, int64_t *id, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_ORG_BY_NAME, NULL, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":name", name);
    int rc = st_step(st, s);
    *id = rc == ST_ROW ? st_col_i64(s, 0) : 0;
    st_reset(s);
    if (rc == ST_ROW)
        return 0;
    if (rc == ST_DONE)
        return TB_NOT_FOUND(err, "no organization called '%s'", name);
    return st_db_fail(st, err, "organization");
}

/* ---- users and roles ------------------------------------------------------ */

int store_user_create(struct store *st, const struct tb_actor *a, const char *email,
                      const char *name, const char *password_hash, const char *status,
                      int64_t *id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    struct st_q *s = st_stmt(st, STMT_USER_INSERT, a, err);
    if (!s)
        goto out;
    st_bind_text(st, s, ":email", email);
    st_bind_text(st, s, ":name", name);
    st_bind_text(st, s, ":password_hash", password_hash);
    st_bind_text(st, s, ":status", status);
    if (st_step_done(st, s, "user", err) < 0) {
        if (err->status == 409)
            tb_fail(err, 409, "conflict", "email", "email: a user with this address already exists");
        goto out;
    }
    if (st_changes(st) != 1) {
        tb_fail(err, 403, "forbidden", "", "only coordinators and admins can create accounts");
        goto out;
    }
    *id = st_last_id(st);
    /* Audited under the actor's tenant; the password hash is never logged. */
    json_t *fields = json_pack("{s:s, s:s, s:s}", "email", email, "name", name, "status", status);
    json_t *d = st_diff(NULL, fields);
    rc = store_audit_add(st, a, a->tenant_id, "create", "user", *id, d, err);
    json_decref(d);
    json_decref(fields);
out:
    return st_tx_end(st, owned, rc, err);
}

static int user_auth_row(struct store *st, struct st_q *s, struct user_auth *out,
                         struct tb_err *err)
{
    int rc = st_step(st, s);
    if (rc == ST_ROW) {
        memset(out, 0, sizeof *out);
        out->id = st_col_i64(s, 0);
        snprintf(out->email, sizeof out->email, "%s", st_col_text(s, 1));
        snprintf(out->name, sizeof out->name, "%s", st_col_text(s, 2));
        const char *h = st_col_text(s, 3);
        snprintf(out->password_hash, sizeof out->password_hash, "%s", h ? h : "");
        snprintf(out->status, sizeof out->status, "%s", st_col_text(s, 4));
    }
    st_reset(s);
    if (rc == ST_ROW)
        return 0;
    if (rc == ST_DONE)
        return TB_NOT_FOUND(err, "user not found");
    return st_db_fail(st, err, "user");
}

int store_user_auth_by_email(struct store *st, const char *email, struct user_auth *out,
                             struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_USER_AUTH_BY_EMAIL, NULL, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":email", email);
    return user_auth_row(st, s, out, err);
}

int store_user_auth_by_id(struct store *st, int64_t id, struct user_auth *out,
                          struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_USER_AUTH_BY_ID, NULL, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":id", id);
    return user_auth_row(st, s, out, err);
}

static int user_roles_scoped(struct store *st, const struct tb_actor *a, int64_t user_id,
                             json_t **out, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_MEMBERSHIPS_OF_USER_SCOPED, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":user_id", user_id);
    return st_rows(st, s, out, err);
}

int store_user_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                   struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_USER_GET, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":id", id);
    if (st_get_one(st, s, "user", out, err) < 0)
        return -1;
    json_t *roles = NULL;
    if (user_roles_scoped(st, a, id, &roles, err) < 0) {
        json_decref(*out);
        return -1;
    }
    json_object_set_new(*out, "roles", roles);
    return 0;
}

int store_user_list(struct store *st, const struct tb_actor *a, const struct list_query *q,
                    struct list_page *page, struct tb_err *err)
{
    static const char *const sorts[] = {"id", "email", NULL};
    int sort = st_sort_check(q->sort, sorts, err);
    if (sort < 0)
        return -1;
    struct st_q *s = st_stmt(st, sort == 1 ? STMT_USER_LIST_EMAIL : STMT_USER_LIST_ID, a, err);
    if (!s)
        return -1;
    st_bind_q(st, s, q->q);
    st_bind_text(st, s, ":role", q->f1);
    st_bind_text(st, s, ":status", q->f2);
    return st_list_run(st, s, q, sort == 1 ? "email" : NULL, 0, page, err);
}

int store_user_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                      const json_t *changes, json_t **out, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    json_t *old = NULL;
    int rc = -1;
    if (store_user_get(st, a, id, &old, err) < 0 || st_version_mismatch(old, version, err) < 0)
        goto out;
    json_t *status = json_object_get(changes, "status");
    if (status && !actor_has(a, ROLES_STAFF)) {
        tb_fail(err, 403, "forbidden", "status", "status: only coordinators and admins can change it");
        goto out;
    }
    if (!actor_has(a, ROLES_STAFF) && id != a->user_id) {
        tb_fail(err, 403, "forbidden", "", "you can only change your own account");
        goto out;
    }
    /* An account is shared by every organization it has roles in: only the
     * foundation may change one that reaches beyond the actor's operator. */
    if (!a->all_tenants && id != a->user_id) {
        json_t *roles = NULL;
        if (store_user_roles(st, id, &roles, err) < 0)
            goto out;
        size_t i;
        json_t *role;
        int elsewhere = 0;
        json_array_foreach(roles, i, role)
            elsewhere |= json_integer_value(json_object_get(role, "org_id")) != a->tenant_id;
        json_decref(roles);
        if (elsewhere) {
            tb_fail(err, 403, "forbidden", "", "this person also holds roles in other organizations; "
                    "only the foundation can change their account");
            goto out;
        }
    }
    if (status && id == a->user_id && strcmp(json_string_value(status), "active")) {
        tb_fail(err, 422, "unprocessable", "status", "status: you cannot disable your own account");
        goto out;
    }
    struct st_q *s = st_stmt(st, STMT_USER_UPDATE, a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":id", id);
    st_bind_i64(st, s, ":version", json_integer_value(json_object_get(old, "version")));
    json_t *name = json_object_get(changes, "name");
    st_bind_text(st, s, ":name", json_string_value(name ? name : json_object_get(old, "name")));
    st_bind_text(st, s, ":status", json_string_value(status ? status : json_object_get(old, "status")));
    if (st_step_done(st, s, "user", err) < 0)
        goto out;
    if (st_changes(st) != 1) {
        tb_fail(err, 412, "version_mismatch", "version", "version: the record was changed by someone else");
        goto out;
    }
    if (status && strcmp(json_string_value(status), "active")) {
        /* A disabled account loses its sessions at once. */
        struct st_q *d = st_stmt(st, STMT_SESSION_DELETE_USER, a, err);
        if (!d)
            goto out;
        st_bind_i64(st, d, ":user_id", id);
        if (st_step_done(st, d, "session", err) < 0)
            goto out;
    }
    json_t *d = st_diff(old, changes);
    rc = store_audit_add(st, a, a->tenant_id, "update", "user", id, d, err);
    json_decref(d);
    if (rc == 0)
        rc = store_user_get(st, a, id, out, err);
out:
    json_decref(old);
    return st_tx_end(st, owned, rc, err);
}

int store_user_set_password(struct store *st, const struct tb_actor *a, int64_t id,
                            const char *password_hash, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    struct st_q *s = st_stmt(st, STMT_USER_SET_PASSWORD, a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":id", id);
    st_bind_text(st, s, ":password_hash", password_hash);
    if (st_step_done(st, s, "user", err) < 0)
        goto out;
    if (st_changes(st) != 1) {
        TB_NOT_FOUND(err, "user not found");
        goto out;
    }
    s = st_stmt(st, STMT_SESSION_DELETE_USER, a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":user_id", id);
    if (st_step_done(st, s, "session", err) < 0)
        goto out;
    /* ... and its API tokens: a leaked token must not outlive the new password. */
    s = st_stmt(st, STMT_TOKENS_REVOKE_USER, a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":user_id", id);
    if (st_step_done(st, s, "token", err) < 0)
        goto out;
    /* Record that it changed, never the value. */
    json_t *d = json_pack("{s:{s:s}}", "password", "new", "(changed)");
    struct tb_actor self = *a;
    if (!self.tenant_id) {
        /* An actor without an operator (a person with no role acting on
         * their own account, the CLI): logged under the person's own operator. */
        struct tb_actor owner;
        if (store_actor_load(st, id, &owner, err) == 0)
            self.tenant_id = owner.tenant_id;
        self = st_elevate(&self, ELEV_OWN_AUDIT);
    }
    rc = self.tenant_id ? store_audit_add(st, &self, self.tenant_id, "update", "user", id, d, err) : 0;
    json_decref(d);
out:
    return st_tx_end(st, owned, rc, err);
}

int store_membership_add(struct store *st, const struct tb_actor *a, int64_t user_id,
                         int64_t org_id, enum tb_role role, const char *subject_type,
                         int64_t subject_id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    struct st_q *s = st_stmt(st, STMT_MEMBERSHIP_INSERT, a, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":user_id", user_id);
    st_bind_i64(st, s, ":org_id", org_id);
    st_bind_text(st, s, ":role", role_name(role));
    st_bind_text(st, s, ":subject_type", subject_type);
    st_bind_opt_i64(st, s, ":subject_id", subject_id);
    if (st_step_done(st, s, "role", err) < 0) {
        if (err->status == 409)
            tb_fail(err, 409, "conflict", "role", "role: the user already holds this role there");
        goto out;
    }
    if (st_changes(st) != 1) {
        TB_NOT_FOUND(err, "organization not found");
        goto out;
    }
    json_t *d = json_pack("{s:{s:s}, s:{s:I}}", "role", "new", role_name(role), "org_id", "new",
                          (json_int_t)org_id);
    rc = store_audit_add(st, a, org_id, "create", "membership", st_last_id(st), d, err);
    json_decref(d);
out:
    return st_tx_end(st, owned, rc, err);
}

/* One membership row into the actor: the first row's org (rows come admin
 * first, then coordinator) is where the user works; roles elsewhere are not
 * merged into this tenant. */
void st_actor_add_membership(struct tb_actor *a, int64_t org, const char *kind, const char *role_text,
                             struct st_q *s, int subject_col)
{
    enum tb_role role;
    if (!kind || !role_text || role_parse(role_text, &role) < 0)
        return;
    if (!a->tenant_id) {
        a->tenant_id = org;
        if (role == ROLE_ADMIN && !strcmp(kind, "foundation"))
            a->all_tenants = 1;
    }
    if (org != a->tenant_id)
        return;
    a->roles |= ROLE_BIT(role);
    if (!a->subject_id && st_col_type(s, subject_col) == ST_INTEGER)
        a->subject_id = st_col_i64(s, subject_col);
}

/* A foundation admin's actor carries the store's elevation; nothing else may. */
void st_actor_seal(struct tb_actor *a)
{
    if (a->all_tenants)
        *a = st_elevate(a, ELEV_FOUNDATION_ADMIN);
}

int store_actor_load(struct store *st, int64_t user_id, struct tb_actor *out, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_MEMBERSHIPS_OF_USER, NULL, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":user_id", user_id);
    memset(out, 0, sizeof *out);
    out->user_id = user_id;
    int rc;
    while ((rc = st_step(st, s)) == ST_ROW)
        st_actor_add_membership(out, st_col_i64(s, 0), st_col_text(s, 2),
                                st_col_text(s, 3), s, 5);
    st_reset(s);
    if (rc != ST_DONE)
        return st_db_fail(st, err, "roles");
    st_actor_seal(out);
    return 0;
}

int store_user_roles(struct store *st, int64_t user_id, json_t **out, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_MEMBERSHIPS_OF_USER, NULL, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":user_id", user_id);
    return st_rows(st, s, out, err);
}
