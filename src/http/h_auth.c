/*
 * h_auth.c - signing in and out, the signed-in user (/me), and the
 * single-use links: accepting an invitation, resetting a password.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/throttle.h"
#include "http/handlers.h"

const struct field_spec login_fields[] = {
    {"email", FT_STRING, 1, 1, 254, NULL, 0, NULL},
    {"password", FT_PASSWORD, 1, 1, PW_MAX_LEN, NULL, 0, NULL},
    {NULL, 0, 0, 0, 0, NULL, 0, NULL},
};
const struct field_spec me_update_fields[] = {
    {"name", FT_STRING, 1, 1, 200, NULL, 0, NULL},
    {NULL, 0, 0, 0, 0, NULL, 0, NULL},
};
const struct field_spec me_password_fields[] = {
    {"current_password", FT_PASSWORD, 1, 1, PW_MAX_LEN, NULL, 0, NULL},
    {"new_password", FT_PASSWORD, 1, 1, PW_MAX_LEN, NULL, 0, NULL},
    {NULL, 0, 0, 0, 0, NULL, 0, NULL},
};
const struct field_spec accept_invitation_fields[] = {
    {"token", FT_STRING, 1, 20, 100, NULL, 0, NULL},
    {"password", FT_PASSWORD, 1, 1, PW_MAX_LEN, NULL, 0, NULL},
    {"name", FT_STRING, 0, 1, 200, NULL, 0, NULL},
    {NULL, 0, 0, 0, 0, NULL, 0, NULL},
};
const struct field_spec password_reset_fields[] = {
    {"email", FT_EMAIL, 1, 3, 254, NULL, 0, NULL},
    {NULL, 0, 0, 0, 0, NULL, 0, NULL},
};
const struct field_spec password_reset_confirm_fields[] = {
    {"token", FT_STRING, 1, 20, 100, NULL, 0, NULL},
    {"password", FT_PASSWORD, 1, 1, PW_MAX_LEN, NULL, 0, NULL},
    {NULL, 0, 0, 0, 0, NULL, 0, NULL},
};

#define INVITE_TTL (72 * 3600)
#define RESET_TTL (3600)

static char dummy_hash[PW_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

/* Unknown accounts are checked against a real hash too, so the time a
 * failed login takes does not reveal whether the address is registered. */
static void make_dummy_hash(void)
{
    struct tb_err e;
    auth_hash_password("not-a-real-password-0123456789", dummy_hash, &e);
}

static const char *cookie_value(struct request *r, const char *token, int max_age)
{
    return arena_printf(r->arena, "tb_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
                        token, max_age, r->cfg->secure_cookies ? "; Secure" : "");
}

static json_t *me_json(struct request *r, int64_t user_id, const char *csrf, struct tb_err *err)
{
    struct user_auth u;
    json_t *roles;
    if (store_user_auth_by_id(r->store, user_id, &u, err) < 0 ||
        store_user_roles(r->store, user_id, &roles, err) < 0)
        return NULL;
    struct tb_actor a;
    if (store_actor_load(r->store, user_id, &a, err) < 0) {
        json_decref(roles);
        return NULL;
    }
    json_t *me = json_pack("{s:{s:I, s:s, s:s}, s:o, s:I, s:b}", "user", "id", (json_int_t)u.id,
                           "email", u.email, "name", u.name, "roles", roles, "tenant_id",
                           (json_int_t)a.tenant_id, "all_tenants", a.all_tenants);
    if (csrf)
        json_object_set_new(me, "csrf_token", json_string(csrf));
    return me;
}

static void lower(char *dst, size_t n, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < n; i++)
        dst[i] = (src[i] >= 'A' && src[i] <= 'Z') ? (char)(src[i] + 32) : src[i];
    dst[i] = '\0';
}

static int throttled(struct request *r, struct response *res, const char *acct_key,
                     const char *addr_key, struct tb_err *err)
{
    int64_t now = time(NULL);
    int wait = throttle_check(http_throttle_account(), acct_key, now);
    int wait2 = throttle_check(http_throttle_address(), addr_key, now);
    if (wait2 > wait)
        wait = wait2;
    if (!wait)
        return 0;
    res->retry_after = arena_printf(r->arena, "%d", wait);
    return tb_fail(err, 429, "too_many_attempts", "",
                   "too many failed attempts; try again in %d minute(s)", (wait + 59) / 60);
}

int h_login(struct request *r, struct response *res, struct tb_err *err)
{
    const char *email = json_string_value(json_object_get(r->body, "email"));
    const char *password = json_string_value(json_object_get(r->body, "password"));
    /* The account's throttle key is a hash of the lower-cased address: an
     * address of 254 characters does not fit the throttle's key, and a cut one
     * would share its counter with other addresses. */
    char acct_key[80], addr_key[80], *low = arena_alloc(r->arena, strlen(email) + 1);
    lower(low, strlen(email) + 1, email);
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)low, strlen(low), NULL, 0);
    memcpy(acct_key, "a:", 2);
    sodium_bin2hex(acct_key + 2, sizeof acct_key - 2, h, sizeof h);
    snprintf(addr_key, sizeof addr_key, "i:%s", r->client_addr);
    if (throttled(r, res, acct_key, addr_key, err) < 0)
        return -1;
    struct user_auth u;
    struct tb_err e;
    int found = store_user_auth_by_email(r->store, email, &u, &e) == 0;
    if (!found && e.status != 404) {
        *err = e;
        return -1;
    }
    pthread_once(&dummy_once, make_dummy_hash);
    http_pwhash_enter();
    int ok = auth_check_password(found && u.password_hash[0] ? u.password_hash : dummy_hash, password) == 0;
    http_pwhash_leave();
    if (!ok || !found || strcmp(u.status, "active")) {
        int64_t now = time(NULL);
        throttle_fail(http_throttle_account(), acct_key, now);
        throttle_fail(http_throttle_address(), addr_key, now);
        return tb_fail(err, 401, "invalid_credentials", "", "the email address or the password is wrong");
    }
    throttle_reset(http_throttle_account(), acct_key);
    char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1], csrf[TOKEN_LEN + 1];
    auth_random_token(token);
    auth_random_token(csrf);
    auth_token_hash(token, hash);
    if (store_session_create(r->store, hash, u.id, csrf, time(NULL), r->client_addr, err) < 0)
        return -1;
    json_t *me = me_json(r, u.id, csrf, err);
    if (!me)
        return -1;
    res->set_cookie = cookie_value(r, token, r->cfg->session_max);
    return respond_json(res, 200, me);
}

int h_logout(struct request *r, struct response *res, struct tb_err *err)
{
    if (r->via_cookie && store_session_delete(r->store, r->session_hash, err) < 0)
        return -1;
    res->set_cookie = cookie_value(r, "", 0);
    return respond_no_content(res);
}

int h_me_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *me = me_json(r, r->actor.user_id, r->via_cookie ? r->csrf : NULL, err);
    return me ? respond_json(res, 200, me) : -1;
}

int h_me_update(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *user;
    if (store_user_get(r->store, &r->actor, r->actor.user_id, &user, err) < 0)
        return -1;
    int64_t version = json_integer_value(json_object_get(user, "version"));
    json_decref(user);
    json_t *changes = json_pack("{s:O}", "name", json_object_get(r->body, "name"));
    int rc = store_user_update(r->store, &r->actor, r->actor.user_id, version, changes, &user, err);
    json_decref(changes);
    return rc < 0 ? -1 : respond_json(res, 200, user);
}

static int set_new_password(struct request *r, const struct tb_actor *a, int64_t user_id, const char *password,
                            struct tb_err *err)
{
    if (auth_password_policy(password, err) < 0)
        return -1;
    char hash[PW_HASH_MAX];
    http_pwhash_enter();
    int rc = auth_hash_password(password, hash, err);
    http_pwhash_leave();
    if (rc < 0)
        return -1;
    return store_user_set_password(r->store, a, user_id, hash, err);
}

int h_me_password(struct request *r, struct response *res, struct tb_err *err)
{
    const char *current = json_string_value(json_object_get(r->body, "current_password"));
    const char *next = json_string_value(json_object_get(r->body, "new_password"));
    struct user_auth u;
    if (store_user_auth_by_id(r->store, r->actor.user_id, &u, err) < 0)
        return -1;
    http_pwhash_enter();
    int ok = auth_check_password(u.password_hash, current) == 0;
    http_pwhash_leave();
    if (!ok)
        return tb_fail(err, 400, "validation_failed", "current_password", "current_password: is wrong");
    if (auth_password_policy(next, err) < 0) {
        /* the policy names "password"; this form calls it "new_password" */
        struct tb_err policy = *err;
        return tb_fail(err, policy.status, policy.code, "new_password", "new_%s", policy.message);
    }
    if (set_new_password(r, &r->actor, u.id, next, err) < 0)
        return -1;
    res->set_cookie = cookie_value(r, "", 0);
    return respond_json(res, 200, json_pack("{s:s}", "status", "password changed; please sign in again"));
}

/* ---- single-use links ---- */

static int consume_link(struct request *r, const char *purpose, int64_t *user_id, struct tb_err *err)
{
    const char *token = json_string_value(json_object_get(r->body, "token"));
    char hash[TOKEN_HASH_LEN + 1];
    auth_token_hash(token, hash);
    return store_user_token_consume(r->store, purpose, hash, time(NULL), user_id, err);
}

static int link_flow(struct request *r, struct response *res, const char *purpose, struct tb_err *err)
{
    const char *password = json_string_value(json_object_get(r->body, "password"));
    if (auth_password_policy(password, err) < 0)
        return -1;
    if (store_begin(r->store, err) < 0)
        return -1;
    int64_t user_id = 0;
    struct user_auth who;
    if (consume_link(r, purpose, &user_id, err) < 0 || store_user_auth_by_id(r->store, user_id, &who, err) < 0) {
        store_rollback(r->store);
        return -1;
    }
    if (!strcmp(who.status, "disabled")) {
        store_rollback(r->store);
        return tb_fail(err, 403, "account_disabled", "token", "token: this account is disabled; ask your coordinator");
    }
    /* The link authenticates its person: they act as themself. */
    struct tb_actor self;
    if (store_actor_load(r->store, user_id, &self, err) < 0) {
        store_rollback(r->store);
        return -1;
    }
    self.client_addr = r->client_addr;
    if (set_new_password(r, &self, user_id, password, err) < 0) {
        store_rollback(r->store);
        return -1;
    }
    json_t *name = json_object_get(r->body, "name");
    if (name) {
        json_t *user = NULL, *changes = json_pack("{s:O}", "name", name);
        int rc = store_user_update(r->store, &self, user_id, 0, changes, &user, err);
        json_decref(changes);
        json_decref(user);
        if (rc < 0) {
            store_rollback(r->store);
            return -1;
        }
    }
    if (store_commit(r->store, err) < 0)
        return -1;
    struct user_auth u;
    if (store_user_auth_by_id(r->store, user_id, &u, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:s, s:s}", "status", "password set; you can sign in now",
                                            "email", u.email));
}

int h_accept_invitation(struct request *r, struct response *res, struct tb_err *err)
{
    /* Invitations live in their own table (h_invitations.c); links mailed
     * before that are single-use user tokens, still honoured. */
    int rc = invitation_accept(r, res, err);
    return rc > 0 ? link_flow(r, res, "invite", err) : rc;
}

int h_password_reset_confirm(struct request *r, struct response *res, struct tb_err *err)
{
    return link_flow(r, res, "reset", err);
}

int queue_link_mail(struct request *r, int64_t user_id, int64_t org_id, const char *purpose,
                    const char *to, const char *subject, const char *intro, struct tb_err *err)
{
    char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
    auth_random_token(token);
    auth_token_hash(token, hash);
    int invite = !strcmp(purpose, "invite");
    int ttl = invite ? INVITE_TTL : RESET_TTL;
    if (store_user_token_create(r->store, user_id, purpose, hash, time(NULL) + ttl, err) < 0)
        return -1;
    const char *body = arena_printf(
        r->arena,
        "%s\n\n%s here (the link works once, for %s):\n%s/#/%s?token=%s\n\n"
        "If you did not expect this message, you can ignore it.\n\n-- TradeBridge\n",
        intro, invite ? "Choose your password" : "Choose a new password",
        invite ? "72 hours" : "one hour", r->cfg->public_url,
        invite ? "accept-invitation" : "reset-password", token);
    return store_outbox_add_for_user(r->store, &r->actor, user_id, org_id, to, subject, body, err);
}

int h_password_reset(struct request *r, struct response *res, struct tb_err *err)
{
    const char *email = json_string_value(json_object_get(r->body, "email"));
    char addr_key[80];
    snprintf(addr_key, sizeof addr_key, "i:%s", r->client_addr);
    int64_t now = time(NULL);
    int wait = throttle_check(http_throttle_address(), addr_key, now);
    if (wait) {
        res->retry_after = arena_printf(r->arena, "%d", wait);
        return tb_fail(err, 429, "too_many_attempts", "", "too many requests; try again later");
    }
    /* Counted like a failed login, so the form cannot be used to flood a mailbox. */
    throttle_fail(http_throttle_address(), addr_key, now);
    struct user_auth u;
    struct tb_err e;
    /* The same answer whether or not the address is registered. */
    json_t *answer = json_pack("{s:s}", "status", "if the address is registered, a reset link is on its way");
    if (store_user_auth_by_email(r->store, email, &u, &e) < 0 || strcmp(u.status, "active"))
        return respond_json(res, 202, answer);
    struct tb_actor owner;
    if (store_actor_load(r->store, u.id, &owner, err) < 0) {
        json_decref(answer);
        return -1;
    }
    if (!owner.tenant_id)   /* no role anywhere: nothing to sign in to */
        return respond_json(res, 202, answer);
    const char *intro = arena_printf(r->arena, "Hello %s,\n\nsomeone (hopefully you) asked to reset the "
                                     "password of your TradeBridge account.", u.name);
    if (queue_link_mail(r, u.id, owner.tenant_id, "reset", u.email, "Reset your TradeBridge password",
                        intro, err) < 0) {
        json_decref(answer);
        return -1;
    }
    http_mail_wake();
    return respond_json(res, 202, answer);
}
