/*
 * invitation_service.c - a coordinator (or the foundation) invites a person
 * by email with a role; the person accepts with the mailed link. The
 * invitation is a record of its own: nothing changes in any account until the
 * person who reads the mail accepts (a new address chooses a password; an
 * existing account confirms with its current password). The inviter's answer
 * is the same whether or not the address is registered, so inviting cannot be
 * used to find out who has an account. Used by src/http/h_invitations.c.
 */
#include "service/invitation_service.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/msg.h"
#include "service/mail_service.h"
#include "store/entity.h"
#include "store/store_notify.h"

#define INVITATION_TTL (72 * 3600)

static void gate_enter(const struct invitation_acceptance *in)
{
    if (in->hash_enter)
        in->hash_enter();
}

static void gate_leave(const struct invitation_acceptance *in)
{
    if (in->hash_leave)
        in->hash_leave();
}

/* The graduate record a trainee role binds; *bound_to its login (0: none). */
static int graduate_login(struct store *st, const struct tb_actor *a, int64_t graduate_id, int64_t *bound_to,
                          int64_t *version, struct tb_err *err)
{
    json_t *g;
    if (store_entity_get(st, a, ENT_GRADUATE, graduate_id, &g, err) < 0)
        return -1;
    *bound_to = json_integer_value(json_object_get(g, "user_id"));
    *version = json_integer_value(json_object_get(g, "version"));
    json_decref(g);
    return 0;
}

/* Checks what a company, trainee or mentor role is about: a record of org_id
 * that fits the role (a graduate without a login yet for a trainee). */
static int check_subject(struct store *st, const struct tb_actor *a, enum tb_role role, const char *role_text,
                         const char *subject_type, int64_t subject_id, int64_t org_id, struct tb_err *err)
{
    if (!subject_type != !subject_id)
        return TB_INVALID(err, subject_type ? "subject_id" : "subject_type",
                          "%s: subject_type and subject_id go together", subject_type ? "subject_id" : "subject_type");
    if (!subject_type) {
        if (role == ROLE_COMPANY || role == ROLE_TRAINEE)
            return TB_INVALID(err, "subject_type", "subject_type: a %s role needs the %s it is about (subject_type and subject_id)",
                              role_text, role == ROLE_COMPANY ? "company" : "graduate");
        return 0;
    }
    static const struct { const char *type; enum entity e; enum tb_role role; } bindings[] = {
        {"company", ENT_COMPANY, ROLE_COMPANY}, {"graduate", ENT_GRADUATE, ROLE_TRAINEE},
        {"placement", ENT_PLACEMENT, ROLE_MENTOR}};
    enum entity subject_entity = ENT__MAX;
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
        if (!strcmp(bindings[i].type, subject_type)) {
            subject_entity = bindings[i].e;
            if (bindings[i].role != role)
                return TB_INVALID(err, "subject_type", "subject_type: a %s is what a %s role is about, not %s",
                                  subject_type, role_name(bindings[i].role), role_text);
        }
    json_t *subject;
    if (store_entity_get(st, a, subject_entity, subject_id, &subject, err) < 0) {
        if (err->status == 404)
            TB_INVALID(err, "subject_id", "subject_id: no %s with id %lld in this operator", subject_type,
                       (long long)subject_id);
        return -1;
    }
    int64_t subject_org = json_integer_value(json_object_get(subject, "org_id"));
    int64_t login = json_integer_value(json_object_get(subject, "user_id"));
    json_decref(subject);
    if (subject_org != org_id)
        return TB_INVALID(err, "subject_id", "subject_id: belongs to another operator than org_id");
    if (subject_entity == ENT_GRADUATE && login)
        return tb_error(err, TB_E_CONFLICT, "subject_id",
                       "subject_id: this graduate record already has its login; it cannot be given to another");
    return 0;
}

struct invite_unit {
    const struct tb_actor *a;
    const struct invitation_input *in;
    const struct invitation_new *inv;
    const char *public_url, *org_name, *token;
    struct arena *arena;
    int64_t id;
};

/* The invitation and its mail (through the outbox): one unit of work. */
static int invite_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct invite_unit *x = ctx;
    const struct tb_actor *a = x->a;
    const struct invitation_input *in = x->in;
    const char *email = in->email, *name = in->name, *role_text = in->role, *org_name = x->org_name;
    const char *public_url = x->public_url, *token = x->token;
    struct arena *arena = x->arena;
    int64_t org_id = x->inv->org_id;
    struct user_auth inviter, u;
    struct tb_err e = {0};
    if (store_invitation_create(st, a, x->inv, &x->id, err) < 0 ||
        store_user_auth_by_id(st, a->user_id, &inviter, err) < 0)
        return -1;
    /* Only the mail, which goes to the address's owner, depends on whether
     * the address has an account: the inviter's answer never does. */
    int has_account = store_user_auth_by_email(st, email, &u, &e) == 0 && u.password_hash[0];
    if (!has_account && e.status != 404 && e.status) {
        *err = e;
        return -1;
    }
    /* The invited person's language: as asked, else their account's, else
     * the inviter's (a new person has no setting yet). */
    const char *lang = in->locale ? in->locale
                       : store_locale_of(st, has_account ? u.id : a->user_id);
    char role_key[48];
    snprintf(role_key, sizeof role_key, "role.%s", role_text);
    const char *const vars[] = {"name", has_account ? u.name : name, "inviter", inviter.name, "org", org_name,
                                "role", msg_text(lang, role_key), NULL};
    const char *intro = msg_format(arena, lang, "mail.invite.intro", vars);
    const char *url = arena_printf(arena, "%s/#/accept-invitation?token=%s", public_url, token);
    const char *body = !intro || !url ? NULL
        : has_account
        ? arena_printf(arena, "%s\n\n%s\n%s\n\n%s\n\n%s\n", intro, msg_text(lang, "mail.invite.existing"), url,
                       msg_text(lang, "mail.invite.existing_ignore"), msg_text(lang, "mail.signature"))
        : arena_printf(arena, "%s\n\n%s\n%s\n\n%s\n\n%s\n", intro, msg_text(lang, "mail.link.invite"), url,
                       msg_text(lang, "mail.link.ignore"), msg_text(lang, "mail.signature"));
    const char *subject = msg_format(arena, lang, "mail.invite.subject", vars);
    if (!body || !subject) {
        TB_INTERNAL(err, "out of memory");
        return -1;
    }
    return store_outbox_add(st, a, org_id, email, subject, body, err);
}

int invitation_service_create(struct store *st, const struct tb_actor *a, const char *public_url,
                              const struct invitation_input *in, struct arena *arena, int64_t *id,
                              struct tb_err *err)
{
    const char *email = in->email, *name = in->name, *role_text = in->role;
    int64_t org_id = in->org_id ? in->org_id : a->tenant_id;
    enum tb_role role;
    if (role_parse(role_text, &role) < 0)
        return TB_INVALID(err, "role", "role: not a role that can be invited");

    json_t *org;
    if (store_org_get(st, a, org_id, &org, err) < 0) {
        snprintf(err->field, sizeof err->field, "org_id");
        return -1;
    }
    const char *kind = json_string_value(json_object_get(org, "kind"));
    const char *org_name = arena_strdup(arena, json_string_value(json_object_get(org, "name")));
    int foundation = !strcmp(kind, "foundation");
    json_decref(org);
    if (!org_name)
        return TB_INTERNAL(err, "out of memory");
    if (role == ROLE_ADMIN && (!a->all_tenants || !foundation))
        return tb_error(err, TB_E_FORBIDDEN, "role",
                       "role: only the foundation's admins can invite admins, into the foundation");
    if (role != ROLE_ADMIN && foundation)
        return TB_INVALID(err, "org_id", "org_id: operator roles belong to a national operator, not the foundation");
    if (check_subject(st, a, role, role_text, in->subject_type, in->subject_id, org_id, err) < 0)
        return -1;

    char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
    auth_random_token(token);
    auth_token_hash(token, hash);
    struct invitation_new inv = {org_id, email, name, role_text, in->subject_type, in->subject_id, hash,
                                 time(NULL) + INVITATION_TTL};
    struct invite_unit x = {.a = a, .in = in, .inv = &inv, .public_url = public_url, .org_name = org_name,
                            .token = token, .arena = arena};
    if (store_in_tx(st, invite_work, &x, err) < 0)
        return -1;
    *id = x.id;
    mailer_wake();
    return 0;
}

/* ---- accepting ---- */

/* A trainee's account belongs to their graduate record: an invitation can
 * neither move it to another operator nor bind it to a second record. */
static int keeps_trainee_binding(struct store *st, int64_t user_id, int64_t org_id, const char *role,
                                 int64_t subject_id, struct tb_err *err)
{
    json_t *roles, *m;
    size_t i;
    if (store_user_roles(st, user_id, &roles, err) < 0)
        return -1;
    int moved = 0;
    json_array_foreach(roles, i, m) {
        if (strcmp(json_string_value(json_object_get(m, "role")), "trainee"))
            continue;
        moved |= json_integer_value(json_object_get(m, "org_id")) != org_id ||
                 (!strcmp(role, "trainee") && json_integer_value(json_object_get(m, "subject_id")) != subject_id);
    }
    json_decref(roles);
    if (moved)
        return tb_error(err, TB_E_CONFLICT, "token",
                       "token: this account is a trainee's account, bound to their own graduate record; an "
                       "invitation cannot move it. Ask for the invitation to go to another address");
    return 0;
}

/* The account the invitation goes to: the existing one (its current password
 * confirms the owner's consent) or a new one with the chosen password. */
static int invitee_account(struct store *st, const struct invitation_acceptance *in, struct tb_actor *sys,
                           const char *email, const char *name, int64_t *user_id, struct tb_err *err)
{
    const char *password = in->password;
    struct user_auth u;
    struct tb_err e;
    int exists = store_user_auth_by_email(st, email, &u, &e) == 0;
    if (!exists && e.status != 404) {
        *err = e;
        return -1;
    }
    if (exists && !strcmp(u.status, "disabled"))
        return tb_error(err, TB_E_ACCOUNT_DISABLED, "token", "token: this account is disabled; ask your coordinator");
    if (exists && u.password_hash[0]) {
        gate_enter(in);
        int ok = auth_check_password(u.password_hash, password) == 0;
        gate_leave(in);
        if (!ok)
            return tb_error(err, TB_E_INVALID_CREDENTIALS, "password",
                           "password: this address already has a TradeBridge account; enter its current password "
                           "to accept");
        *user_id = u.id;
        return 0;
    }
    char hash[PW_HASH_MAX];
    if (auth_password_policy(password, err) < 0)
        return -1;
    gate_enter(in);
    int rc = auth_hash_password(password, hash, err);
    gate_leave(in);
    if (rc < 0)
        return -1;
    if (exists) {   /* invited before invitations had their own table: no password yet */
        *user_id = u.id;
        return store_user_set_password(st, sys, u.id, hash, err);
    }
    return store_user_create(st, sys, email, in->name ? in->name : name, hash, "active",
                             user_id, err);
}

struct accept_unit {
    const struct invitation_acceptance *in;
    struct arena *arena;
    const char *hash, *email;
    int not_pending;   /* the token names no pending invitation */
};

/* The claim, the account, its membership and, for a trainee, the graduate
 * record's login: one unit of work. */
static int accept_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct accept_unit *x = ctx;
    const struct invitation_acceptance *in = x->in;
    struct arena *arena = x->arena;
    json_t *inv = NULL;
    struct tb_err e;
    struct tb_actor sys;   /* staff of the invitation's operator, granted by the store */
    x->not_pending = 0;
    if (store_invitation_claim(st, x->hash, in->client_addr, &inv, &sys, &e) < 0) {
        x->not_pending = e.status == 404;   /* the caller may try older kinds of link */
        if (!x->not_pending)
            *err = e;
        return -1;
    }
    int64_t org_id = json_integer_value(json_object_get(inv, "org_id"));
    int64_t subject_id = json_integer_value(json_object_get(inv, "subject_id"));
    const char *email = arena_strdup(arena, json_string_value(json_object_get(inv, "email")));
    const char *role_text = json_string_value(json_object_get(inv, "role"));
    const char *subject_type = json_string_value(json_object_get(inv, "subject_type"));
    enum tb_role role;
    role_parse(role_text, &role);
    int64_t user_id = 0, bound_to = 0, version = 0;
    if (invitee_account(st, in, &sys, email, json_string_value(json_object_get(inv, "name")), &user_id, err) < 0)
        goto fail;
    sys.user_id = user_id;   /* audited as the person who accepted */
    if (keeps_trainee_binding(st, user_id, org_id, role_text, subject_id, err) < 0)
        goto fail;
    if (store_membership_add(st, &sys, user_id, org_id, role, subject_type, subject_id, err) < 0) {
        if (err->status != 409)   /* already held: accepting again changes nothing */
            goto fail;
        tb_err_clear(err);
    }
    if (subject_type && !strcmp(subject_type, "graduate")) {
        if (graduate_login(st, &sys, subject_id, &bound_to, &version, err) < 0)
            goto fail;
        if (bound_to && bound_to != user_id) {
            tb_error(err, TB_E_CONFLICT, "token", "token: the graduate record of this invitation already has "
                    "its login; ask your coordinator");
            goto fail;
        }
        /* The graduate record now has a login: the trainee edits it themself. */
        json_t *out = NULL, *changes = json_pack("{s:I}", "user_id", (json_int_t)user_id);
        int rc = store_entity_update(st, &sys, ENT_GRADUATE, subject_id, version, changes, &out, err);
        json_decref(changes);
        json_decref(out);
        if (rc < 0)
            goto fail;
    }
    json_decref(inv);
    if (!email)
        return TB_INTERNAL(err, "out of memory");
    x->email = email;
    return 0;
fail:
    json_decref(inv);
    return -1;
}

int invitation_service_accept(struct store *st, const struct invitation_acceptance *in, struct arena *arena,
                              const char **email_out, struct tb_err *err)
{
    char hash[TOKEN_HASH_LEN + 1];
    auth_token_hash(in->token, hash);
    struct accept_unit x = {.in = in, .arena = arena, .hash = hash};
    if (store_in_tx(st, accept_work, &x, err) < 0)
        return x.not_pending ? 1 : -1;
    *email_out = x.email;
    return 0;
}
