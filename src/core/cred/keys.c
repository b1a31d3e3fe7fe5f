/*
 * keys.c - Multikey / did:key encodings and the base58btc and base64url codecs.
 * Written here rather than pulled in: each is a page of code, and the
 * credential engine must not grow dependencies for byte shuffling.
 */
#include "core/cred/keys.h"

#include <sodium.h>
#include <stdint.h>
#include <string.h>

static const char B58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* Limbs hold 5 base-58 digits each (58^5 < 2^30) and take the input four
 * bytes at a time (limb * 2^32 + carry stays below 2^63), so a 64-byte
 * signature costs ~150 limb updates instead of ~5,600 digit updates. */
#define B58_LIMB 656356768ULL   /* 58^5 */

/* base58btc of p[0..n), after the prefix (a multibase header or ""). */
static char *b58_encode(struct arena *a, const char *prefix, const unsigned char *p, size_t n)
{
    size_t zeros = 0, plen = strlen(prefix);
    while (zeros < n && p[zeros] == 0)
        zeros++;
    size_t cap = n * 138 / 100 + 2;
    size_t nlimbs = cap / 5 + 2, len = 0;
    uint32_t *limb = arena_alloc(a, nlimbs * sizeof *limb);   /* least significant first */
    char *out = arena_alloc(a, plen + zeros + nlimbs * 5 + 1);
    if (!limb || !out)
        return NULL;
    memcpy(out, prefix, plen);
    size_t i = zeros, head = (n - zeros) % 4;
    while (i < n) {
        size_t take = head ? head : 4;   /* a short first chunk, then whole words */
        head = 0;
        uint64_t carry = 0;
        for (size_t k = 0; k < take; k++)
            carry = carry << 8 | p[i + k];
        i += take;
        for (size_t j = 0; j < len; j++) {
            carry += (uint64_t)limb[j] << (8 * take);
            limb[j] = (uint32_t)(carry % B58_LIMB);
            carry /= B58_LIMB;
        }
        while (carry) {
            limb[len++] = (uint32_t)(carry % B58_LIMB);
            carry /= B58_LIMB;
        }
    }
    size_t o = plen;
    for (size_t z = 0; z < zeros; z++)
        out[o++] = '1';
    int started = 0;
    for (size_t j = len; j-- > 0;) {
        char d[5];
        uint32_t v = limb[j];
        for (int k = 4; k >= 0; k--) {
            d[k] = B58[v % 58];
            v /= 58;
        }
        for (int k = 0; k < 5; k++) {
            if (!started && d[k] == '1')   /* leading zero digits of the top limb */
                continue;
            started = 1;
            out[o++] = d[k];
        }
    }
    out[o] = 0;
    return out;
}

char *base58_encode(struct arena *a, const unsigned char *p, size_t n)
{
    return b58_encode(a, "", p, n);
}

char *multibase_base58btc(struct arena *a, const unsigned char *p, size_t n)
{
    return b58_encode(a, "z", p, n);
}

static int b58_value(unsigned char c)
{
    /* Position in the alphabet without strchr: verifiers decode keys and
     * signatures on every request. */
    if (c >= '1' && c <= '9') return c - '1';
    if (c >= 'A' && c <= 'H') return c - 'A' + 9;
    if (c >= 'J' && c <= 'N') return c - 'J' + 17;
    if (c >= 'P' && c <= 'Z') return c - 'P' + 22;
    if (c >= 'a' && c <= 'k') return c - 'a' + 33;
    if (c >= 'm' && c <= 'z') return c - 'm' + 44;
    return -1;
}

long base58_decode(const char *s, unsigned char *out, size_t cap)
{
    size_t zeros = 0, len = 0;   /* out holds little-endian bytes while decoding */
    unsigned char tmp[256];
    while (s[zeros] == '1')
        zeros++;
    for (const char *c = s + zeros; *c; c++) {
        int v = b58_value((unsigned char)*c);
        if (v < 0)
            return -1;
        unsigned carry = (unsigned)v;
        for (size_t j = 0; j < len; j++) {
            carry += (unsigned)tmp[j] * 58;
            tmp[j] = (unsigned char)(carry & 0xff);
            carry >>= 8;
        }
        while (carry) {
            if (len == sizeof tmp)
                return -1;
            tmp[len++] = (unsigned char)(carry & 0xff);
            carry >>= 8;
        }
    }
    if (zeros + len > cap)
        return -1;
    memset(out, 0, zeros);
    for (size_t i = 0; i < len; i++)
        out[zeros + i] = tmp[len - 1 - i];
    return (long)(zeros + len);
}

/* base64url without padding, through libsodium. */
char *base64url_encode(struct arena *a, const unsigned char *p, size_t n)
{
    size_t len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = arena_alloc(a, len);
    if (!out)
        return NULL;
    return sodium_bin2base64(out, len, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Decodes up to the first '=' (padding is tolerated, not required); -1 on a
 * character outside the alphabet, non-zero trailing bits or more than cap bytes. */
long base64url_decode(const char *s, size_t slen, unsigned char *out, size_t cap)
{
    const char *eq = memchr(s, '=', slen);
    if (eq)
        slen = (size_t)(eq - s);
    size_t n = 0;
    if (sodium_base642bin(out, cap, s, slen, NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return -1;
    return (long)n;
}

static char *mb_encode(struct arena *a, unsigned char h0, unsigned char h1, const unsigned char k[32])
{
    unsigned char buf[34] = {h0, h1};
    memcpy(buf + 2, k, 32);
    return multibase_base58btc(a, buf, sizeof buf);
}

static int mb_decode(const char *mb, unsigned char h0, unsigned char h1, unsigned char k[32],
                     const char *what, struct tb_err *err)
{
    unsigned char buf[64];
    if (!mb || mb[0] != 'z')
        return tb_error(err, TB_E_INVALID_KEY, what, "%s must be multibase base58btc ('z' prefix)", what);
    long n = base58_decode(mb + 1, buf, sizeof buf);
    if (n != 34 || buf[0] != h0 || buf[1] != h1)
        return tb_error(err, TB_E_INVALID_KEY, what, "%s is not an Ed25519 Multikey value", what);
    memcpy(k, buf + 2, 32);
    return 0;
}

char *multikey_encode_public(struct arena *a, const unsigned char pk[32])
{
    return mb_encode(a, 0xed, 0x01, pk);
}

int multikey_decode_public(const char *mb, unsigned char pk[32], struct tb_err *err)
{
    return mb_decode(mb, 0xed, 0x01, pk, "publicKeyMultibase", err);
}

char *multikey_encode_secret(struct arena *a, const unsigned char seed[32])
{
    return mb_encode(a, 0x80, 0x26, seed);
}

int multikey_decode_secret(const char *mb, unsigned char seed[32], struct tb_err *err)
{
    return mb_decode(mb, 0x80, 0x26, seed, "secretKeyMultibase", err);
}

void cred_keypair_from_seed(struct cred_keypair *k, const unsigned char seed[32])
{
    memcpy(k->seed, seed, 32);
    crypto_sign_seed_keypair(k->pk, k->sk, k->seed);
    k->has_secret = 1;
}

void cred_keypair_generate(struct cred_keypair *k)
{
    unsigned char seed[32];
    randombytes_buf(seed, sizeof seed);
    cred_keypair_from_seed(k, seed);
    sodium_memzero(seed, sizeof seed);
}

int cred_keypair_from_json(const json_t *j, int need_secret, struct cred_keypair *k,
                           struct tb_err *err)
{
    memset(k, 0, sizeof *k);
    if (!json_is_object(j))
        return tb_error(err, TB_E_INVALID_KEY, "", "key file must hold a JSON object");
    const char *pub = json_string_value(json_object_get(j, "publicKeyMultibase"));
    const char *sec = json_string_value(json_object_get(j, "secretKeyMultibase"));
    if (!sec)
        sec = json_string_value(json_object_get(j, "privateKeyMultibase"));
    if (!sec && need_secret)
        return tb_error(err, TB_E_INVALID_KEY, "secretKeyMultibase",
                       "key has no secretKeyMultibase (or privateKeyMultibase)");
    if (sec) {
        unsigned char seed[32];
        if (multikey_decode_secret(sec, seed, err))
            return -1;
        cred_keypair_from_seed(k, seed);
        sodium_memzero(seed, sizeof seed);
        if (pub) {
            unsigned char pk[32];
            if (multikey_decode_public(pub, pk, err))
                return -1;
            if (sodium_memcmp(pk, k->pk, 32))
                return tb_error(err, TB_E_INVALID_KEY, "publicKeyMultibase",
                               "publicKeyMultibase does not belong to the secret key");
        }
        return 0;
    }
    if (!pub)
        return tb_error(err, TB_E_INVALID_KEY, "publicKeyMultibase", "key has no publicKeyMultibase");
    return multikey_decode_public(pub, k->pk, err);
}

json_t *cred_keypair_to_json(const struct cred_keypair *k, int with_secret, struct arena *a)
{
    char *pub = multikey_encode_public(a, k->pk);
    char *did = did_key_from_public(a, k->pk);
    char *vm = did_key_vm_from_public(a, k->pk);
    if (!pub || !did || !vm)
        return NULL;
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "type", "Multikey", "id", vm,
                          "controller", did, "publicKeyMultibase", pub);
    if (o && with_secret && k->has_secret) {
        char *sec = multikey_encode_secret(a, k->seed);
        if (!sec || json_object_set_new(o, "secretKeyMultibase", json_string(sec))) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

char *did_key_from_public(struct arena *a, const unsigned char pk[32])
{
    char *mb = multikey_encode_public(a, pk);
    return mb ? arena_printf(a, "did:key:%s", mb) : NULL;
}

char *did_key_vm_from_public(struct arena *a, const unsigned char pk[32])
{
    /* Concatenated by hand: every signature builds this, and printf showed. */
    char *mb = multikey_encode_public(a, pk);
    size_t n = mb ? strlen(mb) : 0;
    char *vm = mb ? arena_alloc(a, 8 + 2 * n + 2) : NULL;
    if (!vm)
        return NULL;
    memcpy(vm, "did:key:", 8);
    memcpy(vm + 8, mb, n);
    vm[8 + n] = '#';
    memcpy(vm + 9 + n, mb, n + 1);
    return vm;
}

int did_key_resolve(const char *s, unsigned char pk[32], struct tb_err *err)
{
    if (!s || strncmp(s, "did:key:", 8))
        return tb_error(err, TB_E_INVALID_DID, "verificationMethod", "not a did:key identifier");
    char mb[128];
    const char *hash = strchr(s + 8, '#');
    size_t n = hash ? (size_t)(hash - s - 8) : strlen(s + 8);
    if (n == 0 || n >= sizeof mb)
        return tb_error(err, TB_E_INVALID_DID, "verificationMethod", "malformed did:key identifier");
    memcpy(mb, s + 8, n);
    mb[n] = 0;
    if (hash && strcmp(hash + 1, mb))
        return tb_error(err, TB_E_INVALID_DID, "verificationMethod",
                       "did:key fragment does not match the key");
    return multikey_decode_public(mb, pk, err);
}
