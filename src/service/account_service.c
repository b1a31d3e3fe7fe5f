/*
 * account_service.c - see account_service.h.
 */
#include <string.h>
#include <time.h>

#include "service/account_service.h"

struct link_unit {
    const char *purpose, *token_hash, *password_hash, *client_addr;
    const json_t *name;
    int64_t user_id;
};

static int link_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct link_unit *u = ctx;
    struct user_auth who;
    u->user_id = 0;
    if (store_user_token_consume(st, u->purpose, u->token_hash, time(NULL), &u->user_id, err) < 0 ||
        store_user_auth_by_id(st, u->user_id, &who, err) < 0)
        return -1;
    if (!strcmp(who.status, "disabled"))
        return tb_error(err, TB_E_ACCOUNT_DISABLED, "token", "token: this account is disabled; ask your coordinator");
    /* The link authenticates its person: they act as themself. */
    struct tb_actor self;
    if (store_actor_load(st, u->user_id, &self, err) < 0)
        return -1;
    self.client_addr = u->client_addr;
    if (store_user_set_password(st, &self, u->user_id, u->password_hash, err) < 0)
        return -1;
    if (!u->name)
        return 0;
    json_t *user = NULL, *changes = json_pack("{s:O}", "name", u->name);
    int rc = store_user_update(st, &self, u->user_id, 0, changes, &user, err);
    json_decref(changes);
    json_decref(user);
    return rc;
}

int account_link_set_password(struct store *st, const char *purpose, const char *token_hash,
                              const char *password_hash, const json_t *name, const char *client_addr,
                              int64_t *user_id, struct tb_err *err)
{
    struct link_unit u = {.purpose = purpose, .token_hash = token_hash, .password_hash = password_hash,
                          .client_addr = client_addr, .name = name};
    if (store_in_tx(st, link_work, &u, err) < 0)
        return -1;
    *user_id = u.user_id;
    return 0;
}

struct create_unit {
    const struct tb_actor *a;
    const char *email, *name, *password_hash;
    int64_t org_id, user_id;
    enum tb_role role;
};

static int create_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct create_unit *u = ctx;
    if (store_user_create(st, u->a, u->email, u->name, u->password_hash, "active", &u->user_id, err) < 0)
        return -1;
    return store_membership_add(st, u->a, u->user_id, u->org_id, u->role, NULL, 0, err);
}

int account_create(struct store *st, const struct tb_actor *a, const char *email, const char *name,
                   const char *password_hash, int64_t org_id, enum tb_role role, int64_t *user_id,
                   struct tb_err *err)
{
    struct create_unit u = {.a = a, .email = email, .name = name, .password_hash = password_hash,
                            .org_id = org_id, .role = role};
    if (store_in_tx(st, create_work, &u, err) < 0)
        return -1;
    *user_id = u.user_id;
    return 0;
}
