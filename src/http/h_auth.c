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

#include "core/msg.h"
#include "core/proxy.h"
#include "core/throttle.h"
#include "http/authwork.h"
#include "http/handlers.h"
#include "service/account_service.h"
#include "store/store_notify.h"

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

/*
 * What limits signing in (counts in authwork.c):
 *  - failed logins per real account (by user id, in a table only accounts
 *    enter, so no flood of other keys can push a count out), per unknown
 *    e-mail (so an unknown address behaves like a known one), and per client
 *    address (IPv6 by /64). An attempt counts as failed from the moment its
 *    hash is queued, so concurrent guesses cannot slip past the limit; a
 *    correct password takes the count back (and clears the account's).
 *  - successful logins per account and per address, so a client that knows
 *    a password cannot keep the hashing threads busy.
 * Password-reset requests have budgets of their own and never count here.
 */
static int too_many(struct request *r, struct response *res, int wait, const char *what,
                    struct tb_err *err)
{
    res->retry_after = arena_printf(r->arena, "%d", wait);
    return tb_error(err, TB_E_TOO_MANY_ATTEMPTS, "", "%s; try again in %d minute(s)", what,
                   (wait + 59) / 60);
}

static void address_key(struct request *r, char out[CLIENT_ADDR_LEN + 8])
{
    proxy_throttle_key(r->client_addr, out);
}

/* "u:ID" for an account, "e:address" (lower case) for an unknown e-mail. */
static void account_key(int64_t user_id, const char *email, char out[300])
{
    if (user_id > 0) {
        snprintf(out, 300, "u:%lld", (long long)user_id);
        return;
    }
    size_t i = 0;
    out[i++] = 'e';
    out[i++] = ':';
    for (; *email && i + 1 < 300; email++)
        out[i++] = (*email >= 'A' && *email <= 'Z') ? (char)(*email + 32) : *email;
    out[i] = '\0';
}

static struct throttle *failures_of(int64_t user_id)
{
    return user_id > 0 ? auth_limits()->fail_account : auth_limits()->fail_unknown;
}

/* First call: checks the limits, counts the attempt and queues the hash. */
static int login_start(struct request *r, struct response *res, const char *email,
                       const char *password, const char *addr, struct tb_err *err)
{
    const struct auth_limits *lim = auth_limits();
    int64_t now = time(NULL);
    int wait = auth_limit_check(r->store, lim->fail_address, addr, now);
    if (wait)
        return too_many(r, res, wait, "too many failed attempts from your address", err);
    if ((wait = auth_limit_check(r->store, lim->ok_address, addr, now)))
        return too_many(r, res, wait, "too many sign-ins from your address", err);
    struct user_auth u;
    struct tb_err e;
    int found = store_user_auth_by_email(r->store, email, &u, &e) == 0;
    if (!found && e.status != 404) {
        *err = e;
        return -1;
    }
    int64_t uid = found ? u.id : 0;
    char acct[300];
    account_key(uid, email, acct);
    if ((wait = auth_limit_check(r->store, failures_of(uid), acct, now)))
        return too_many(r, res, wait, "too many failed attempts", err);
    if (found && (wait = auth_limit_check(r->store, lim->ok_account, acct, now)))
        return too_many(r, res, wait, "too many sign-ins to this account", err);
    auth_limit_hit(r->store, failures_of(uid), acct, now);
    auth_limit_hit(r->store, lim->fail_address, addr, now);
    if (pwjob_submit(r, res, PW_VERIFY, found ? u.password_hash : "", password, NULL, uid, err) < 0) {
        auth_limit_forgive(r->store, failures_of(uid), acct);
        auth_limit_forgive(r->store, lim->fail_address, addr);
        return -1;
    }
    return 0;
}

static int busy(struct response *res, struct tb_err *err)
{
    res->retry_after = "1";
    return tb_error(err, TB_E_BUSY, "", "the server is busy; try again in a second");
}

int h_login(struct request *r, struct response *res, struct tb_err *err)
{
    const char *email = json_string_value(json_object_get(r->body, "email"));
    const char *password = json_string_value(json_object_get(r->body, "password"));
    char addr[CLIENT_ADDR_LEN + 8];
    address_key(r, addr);
    struct pw_result pw;
    if (!pwjob_claim(r, &pw))
        return login_start(r, res, email, password, addr, err);
    if (pw.unavailable)
        return busy(res, err);
    /* The hash is checked: the attempt was counted as failed already. */
    struct user_auth u;
    struct tb_err e;
    int found = pw.tag > 0 && store_user_auth_by_id(r->store, pw.tag, &u, &e) == 0;
    if (!found && pw.tag > 0 && e.status != 404) {
        *err = e;
        return -1;
    }
    if (!pw.verified || !found || strcmp(u.status, "active"))
        return tb_error(err, TB_E_INVALID_CREDENTIALS, "", "the email address or the password is wrong");
    const struct auth_limits *lim = auth_limits();
    int64_t now = time(NULL);
    char acct[300];
    account_key(u.id, email, acct);
    auth_limit_reset(r->store, lim->fail_account, acct);
    auth_limit_forgive(r->store, lim->fail_address, addr);
    auth_limit_hit(r->store, lim->ok_account, acct, now);
    auth_limit_hit(r->store, lim->ok_address, addr, now);
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

/* The policy's complaint about new_password, named as that field. */
static int new_password_policy(const char *password, struct tb_err *err)
{
    if (auth_password_policy(password, err) == 0)
        return 0;
    struct tb_err policy = *err;
    return tb_fail(err, policy.status, policy.code, "new_password", "new_%s", policy.message);
}

int h_me_password(struct request *r, struct response *res, struct tb_err *err)
{
    const char *current = json_string_value(json_object_get(r->body, "current_password"));
    const char *next = json_string_value(json_object_get(r->body, "new_password"));
    struct pw_result pw;
    if (!pwjob_claim(r, &pw)) {
        struct user_auth u;
        struct tb_err ignored;
        if (store_user_auth_by_id(r->store, r->actor.user_id, &u, err) < 0)
            return -1;
        int acceptable = auth_password_policy(next, &ignored) == 0;
        return pwjob_submit(r, res, acceptable ? PW_VERIFY_THEN_HASH : PW_VERIFY, u.password_hash,
                            current, acceptable ? next : NULL, u.id, err);
    }
    if (pw.unavailable)
        return busy(res, err);
    if (!pw.verified)
        return tb_error(err, TB_E_VALIDATION_FAILED, "current_password", "current_password: is wrong");
    if (new_password_policy(next, err) < 0)
        return -1;
    if (!pw.hashed)
        return TB_INTERNAL(err, "could not hash the password (out of memory)");
    if (store_user_set_password(r->store, &r->actor, r->actor.user_id, pw.hash, err) < 0)
        return -1;
    res->set_cookie = cookie_value(r, "", 0);
    return respond_json(res, 200, json_pack("{s:s}", "status", "password changed; please sign in again"));
}

/* ---- single-use links ---- */

static void link_hash(struct request *r, char hash[TOKEN_HASH_LEN + 1])
{
    auth_token_hash(json_string_value(json_object_get(r->body, "token")), hash);
}

/* First call: a live link and an acceptable password queue the hash; the
 * second (hash done) uses the link and sets the password in one transaction. */
static int link_flow(struct request *r, struct response *res, const char *purpose, struct tb_err *err)
{
    const char *password = json_string_value(json_object_get(r->body, "password"));
    char hash[TOKEN_HASH_LEN + 1];
    link_hash(r, hash);
    struct pw_result pw;
    if (!pwjob_claim(r, &pw)) {
        int64_t owner;
        if (auth_password_policy(password, err) < 0 ||
            store_user_token_peek(r->store, purpose, hash, time(NULL), &owner, err) < 0)
            return -1;
        return pwjob_submit(r, res, PW_HASH, NULL, NULL, password, owner, err);
    }
    if (pw.unavailable)
        return busy(res, err);
    if (!pw.hashed)
        return TB_INTERNAL(err, "could not hash the password (out of memory)");
    int64_t user_id;
    if (account_link_set_password(r->store, purpose, hash, pw.hash, json_object_get(r->body, "name"), r->client_addr,
                                  &user_id, err) < 0)
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
    /* In the language on the person's account (issue 17). */
    const char *lang = store_locale_of(r->store, user_id);
    const char *body = arena_printf(
        r->arena, "%s\n\n%s\n%s/#/%s?token=%s\n\n%s\n\n%s\n", intro,
        msg_text(lang, invite ? "mail.link.invite" : "mail.link.reset"), r->cfg->public_url,
        invite ? "accept-invitation" : "reset-password", token, msg_text(lang, "mail.link.ignore"),
        msg_text(lang, "mail.signature"));
    return store_outbox_add_for_user(r->store, &r->actor, user_id, org_id, to, subject, body, err);
}

/*
 * Every request takes the same path: the address's budget is checked and
 * the e-mail handed to the reset thread (password_reset_work), before
 * anything looks at whether it is registered.
 */
int h_password_reset(struct request *r, struct response *res, struct tb_err *err)
{
    const char *email = json_string_value(json_object_get(r->body, "email"));
    char addr[CLIENT_ADDR_LEN + 8];
    address_key(r, addr);
    const struct auth_limits *lim = auth_limits();
    int64_t now = time(NULL);
    int wait = auth_limit_check(r->store, lim->reset_address, addr, now);
    if (wait)
        return too_many(r, res, wait, "too many password-reset requests from your address", err);
    auth_limit_hit(r->store, lim->reset_address, addr, now);
    if (reset_enqueue(email) < 0)
        return busy(res, err);
    return respond_json(res, 202, json_pack("{s:s}", "status",
                                            "if the address is registered, a reset link is on its way"));
}

void password_reset_work(struct store *st, const struct config *cfg, const char *email)
{
    struct user_auth u;
    struct tb_actor owner;
    struct tb_err err = {0};
    if (store_user_auth_by_email(st, email, &u, &err) < 0 || strcmp(u.status, "active") ||
        store_actor_load(st, u.id, &owner, &err) < 0 || !owner.tenant_id)
        return;   /* unknown, inactive, or no role anywhere: nothing to sign in to */
    /* Per account, so nobody can flood a mailbox; over it, no mail (the
     * requester was answered 202 long ago and learns nothing). */
    char acct[300];
    account_key(u.id, email, acct);
    int64_t now = time(NULL);
    if (auth_limit_check(st, auth_limits()->reset_account, acct, now))
        return;
    auth_limit_hit(st, auth_limits()->reset_account, acct, now);
    struct request r = {0};
    r.arena = arena_new(1u << 16);
    if (!r.arena)
        return;
    r.cfg = cfg;
    r.store = st;
    r.actor.client_addr = "password-reset";
    const char *lang = store_locale_of(st, u.id);
    const char *intro = msg_format(r.arena, lang, "mail.reset.intro", (const char *const[]){"name", u.name, NULL});
    if (queue_link_mail(&r, u.id, owner.tenant_id, "reset", u.email, msg_text(lang, "mail.reset.subject"),
                        intro ? intro : "", &err) < 0)
        fprintf(stderr, "tradebridge: password reset for user %lld: %s\n", (long long)u.id, err.message);
    else
        http_mail_wake();
    arena_free(r.arena);
}
