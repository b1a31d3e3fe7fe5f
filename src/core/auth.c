/*
 * auth.c - Argon2id password hashing and opaque tokens over libsodium.
 */
#include "auth.h"

#include <sodium.h>
#include <string.h>

static const char *const role_names[ROLE__MAX] = {
    [ROLE_ADMIN] = "admin",       [ROLE_COORDINATOR] = "coordinator",
    [ROLE_COMPANY] = "company",   [ROLE_TRAINEE] = "trainee",
    [ROLE_MENTOR] = "mentor",     [ROLE_VIEWER] = "viewer",
};

const char *role_name(enum tb_role r)
{
    return (r >= 0 && r < ROLE__MAX) ? role_names[r] : "unknown";
}

int role_parse(const char *s, enum tb_role *out)
{
    for (int r = 0; r < ROLE__MAX; r++)
        if (s && strcmp(s, role_names[r]) == 0) {
            *out = (enum tb_role)r;
            return 0;
        }
    return -1;
}

int actor_has(const struct tb_actor *a, unsigned role_mask)
{
    return (a->roles & role_mask) != 0;
}

static enum pw_cost pw_cost = PW_COST_INTERACTIVE;

int auth_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

void auth_set_pw_cost(enum pw_cost c)
{
    pw_cost = c;
}

int auth_password_policy(const char *password, struct tb_err *err)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)password; *p; p++)
        if ((*p & 0xC0) != 0x80)
            chars++;
    if (chars < PW_MIN_LEN)
        return TB_INVALID(err, "password", "password: must be at least %d characters", PW_MIN_LEN);
    if (strlen(password) > PW_MAX_LEN)
        return TB_INVALID(err, "password", "password: must be at most %d bytes", PW_MAX_LEN);
    return 0;
}

int auth_hash_password(const char *password, char out[PW_HASH_MAX], struct tb_err *err)
{
    unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (pw_cost == PW_COST_MODERATE) {
        ops = crypto_pwhash_OPSLIMIT_MODERATE;
        mem = crypto_pwhash_MEMLIMIT_MODERATE;
    } else if (pw_cost == PW_COST_MIN) {
        ops = crypto_pwhash_OPSLIMIT_MIN;
        mem = crypto_pwhash_MEMLIMIT_MIN;
    }
    _Static_assert(crypto_pwhash_STRBYTES <= PW_HASH_MAX, "hash buffer too small");
    if (crypto_pwhash_str_alg(out, password, strlen(password), ops, mem,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return TB_INTERNAL(err, "could not hash the password (out of memory)");
    return 0;
}

int auth_check_password(const char *hash, const char *password)
{
    if (!hash || !*hash || !password)
        return -1;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 ? 0 : -1;
}

void auth_random_token(char out[TOKEN_LEN + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, TOKEN_LEN + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void auth_token_hash(const char *token, char out[TOKEN_HASH_LEN + 1])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, TOKEN_HASH_LEN + 1, h, sizeof h);
}

int auth_const_eq(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return 0;
    return sodium_memcmp(a, b, la) == 0;
}
