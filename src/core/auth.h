/*
 * auth.h - roles, the acting principal, and the secrets that authenticate it:
 * Argon2id password hashes, opaque 256-bit tokens stored only as hashes.
 */
#ifndef TB_AUTH_H
#define TB_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

enum tb_role {
    ROLE_ADMIN,        /* foundation staff: every operator */
    ROLE_COORDINATOR,  /* runs one national operator */
    ROLE_COMPANY,      /* manager of one SME of an operator */
    ROLE_TRAINEE,      /* a graduate: their own record */
    ROLE_MENTOR,       /* the placements they supervise */
    ROLE_VIEWER,       /* funders: reports only */
    ROLE__MAX
};

#define ROLE_BIT(r) (1u << (r))
#define ROLES_ANY ((1u << ROLE__MAX) - 1)
#define ROLES_STAFF (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_COORDINATOR))
#define ROLES_PUBLIC 0u   /* route needs no login */

/* A person's name on an account, in characters (validated as such); in bytes
 * of UTF-8 at most USER_NAME_MAX * 4. */
#define USER_NAME_MAX 200

const char *role_name(enum tb_role r);
int role_parse(const char *s, enum tb_role *out);   /* 0 or -1 */

/*
 * Who is acting. The store derives its tenant filter from this and nothing
 * else, so a handler cannot widen its own view by passing another org id.
 * An actor across tenants (all_tenants) must carry an elevation the store
 * granted (store_stmt.c: a foundation admin's roles, the CLI's system actor,
 * or a named store function); a flag set anywhere else is refused.
 */
struct tb_elevation;
struct tb_actor {
    int64_t user_id;      /* 0 = the system (CLI run by the server's operator) */
    int64_t tenant_id;    /* operator org the actor works in; 0 when all_tenants */
    unsigned roles;       /* ROLE_BIT set held in tenant_id */
    int all_tenants;      /* foundation admin or the system */
    int64_t subject_id;   /* what a company/trainee role is bound to (0 if none) */
    const char *client_addr;
    const struct tb_elevation *elevation;   /* set only by the store; see above */
};

/* The actor the CLI uses: the system, across tenants (defined by the store,
 * src/store/store_stmt.c, which alone grants elevation). */
struct tb_actor actor_system(void);
int actor_has(const struct tb_actor *a, unsigned role_mask);

/* Password hashing cost. Interactive is the default for logins. */
enum pw_cost { PW_COST_INTERACTIVE, PW_COST_MODERATE, PW_COST_MIN };
#define PW_HASH_MAX 128
#define PW_MIN_LEN 10
#define PW_MAX_LEN 256

int auth_init(void);    /* sodium_init; 0 or -1 */
void auth_set_pw_cost(enum pw_cost c);
int auth_hash_password(const char *password, char out[PW_HASH_MAX], struct tb_err *err);
/* 0 when it matches, -1 otherwise (including malformed hashes). */
int auth_check_password(const char *hash, const char *password) __attribute__((warn_unused_result));
/* Why a new password is refused, or 0 when it is acceptable. */
int auth_password_policy(const char *password, struct tb_err *err);

/* Opaque tokens: 32 random bytes, base64url without padding (43 chars). */
#define TOKEN_LEN 43
#define TOKEN_HASH_LEN 64   /* hex of a 32-byte BLAKE2b */
void auth_random_token(char out[TOKEN_LEN + 1]);
void auth_token_hash(const char *token, char out[TOKEN_HASH_LEN + 1]);
int auth_const_eq(const char *a, const char *b);   /* constant-time string equality, 1 if equal */

#endif
