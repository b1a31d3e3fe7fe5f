/*
 * keys.h - Ed25519 keys as Data Integrity names them: Multikey
 * (publicKeyMultibase "z6Mk..." = base58btc(0xed 0x01 || key),
 * secretKeyMultibase "z3u2..." = base58btc(0x80 0x26 || seed)), did:key
 * identifiers, and the base58btc / base64url codecs they rest on.
 */
#ifndef TB_CRED_KEYS_H
#define TB_CRED_KEYS_H

#include <jansson.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/error.h"

struct cred_keypair {
    unsigned char pk[32];     /* Ed25519 public key */
    unsigned char seed[32];   /* the secret: libsodium derives sk from it */
    unsigned char sk[64];     /* libsodium's expanded secret key (seed || pk) */
    int has_secret;
};

/* base58btc (Bitcoin alphabet). encode returns an arena string; decode writes
 * at most cap bytes and returns the length, or -1 on a bad character/overflow. */
char *base58_encode(struct arena *a, const unsigned char *p, size_t n);
/* "z" + base58btc: the multibase form of proofValue and Multikey values. */
char *multibase_base58btc(struct arena *a, const unsigned char *p, size_t n);
long base58_decode(const char *s, unsigned char *out, size_t cap);
/* base64url without padding. */
char *base64url_encode(struct arena *a, const unsigned char *p, size_t n);
long base64url_decode(const char *s, size_t slen, unsigned char *out, size_t cap);

/* "z6Mk..." from a public key and back (checks the 0xed01 header). */
char *multikey_encode_public(struct arena *a, const unsigned char pk[32]);
int multikey_decode_public(const char *mb, unsigned char pk[32], struct tb_err *err);
char *multikey_encode_secret(struct arena *a, const unsigned char seed[32]);
int multikey_decode_secret(const char *mb, unsigned char seed[32], struct tb_err *err);

/* New random key pair (libsodium randombytes). */
void cred_keypair_generate(struct cred_keypair *k);
void cred_keypair_from_seed(struct cred_keypair *k, const unsigned char seed[32]);
/* Reads {"publicKeyMultibase", "secretKeyMultibase" | "privateKeyMultibase"};
 * the secret is optional unless need_secret; a public key that does not
 * match the secret is refused. */
int cred_keypair_from_json(const json_t *j, int need_secret, struct cred_keypair *k,
                           struct tb_err *err);
/* {"type":"Multikey","id":..,"controller":..,"publicKeyMultibase":..,"secretKeyMultibase":..} */
json_t *cred_keypair_to_json(const struct cred_keypair *k, int with_secret, struct arena *a);

/* "did:key:z6Mk..." and its verification method "did:key:z6Mk...#z6Mk...". */
char *did_key_from_public(struct arena *a, const unsigned char pk[32]);
char *did_key_vm_from_public(struct arena *a, const unsigned char pk[32]);
/* Public key of a did:key DID or DID URL (fragment, if any, must equal the key). */
int did_key_resolve(const char *did_or_vm, unsigned char pk[32], struct tb_err *err);

#endif
