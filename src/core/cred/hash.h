/*
 * hash.h - the two digests RDFC-1.0 and the Data Integrity suites name:
 * SHA-256 (libsodium) and SHA-384 (hand-written in hash.c, see why there).
 * One small streaming interface so callers pick the algorithm at run time.
 */
#ifndef TB_CRED_HASH_H
#define TB_CRED_HASH_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

enum cred_hash_alg { CRED_SHA256 = 0, CRED_SHA384 = 1 };

#define CRED_HASH_MAX 48   /* bytes of the longest digest (SHA-384) */

struct sha384_state {
    uint64_t h[8];
    uint64_t count;          /* bytes hashed so far (2^64 bytes is plenty) */
    unsigned char buf[128];
    size_t buflen;
};

struct sha256_state {
    uint32_t h[8];
    uint64_t count;
    unsigned char buf[64];
    size_t buflen;
};

struct cred_hash {
    enum cred_hash_alg alg;
    union {
        struct sha256_state s256;
        struct sha384_state s384;
    } u;
};

size_t cred_hash_len(enum cred_hash_alg alg);
void cred_hash_init(struct cred_hash *h, enum cred_hash_alg alg);
void cred_hash_update(struct cred_hash *h, const void *p, size_t n);
void cred_hash_final(struct cred_hash *h, unsigned char *out);
/* One-shot digest of a buffer. */
void cred_hash_buf(enum cred_hash_alg alg, const void *p, size_t n, unsigned char *out);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void cred_hex(const unsigned char *p, size_t n, char *out);

/* SHA-256 (FIPS 180-4): the x86 SHA extensions when the CPU has them, else
 * portable C. Exposed for tests, which compare it with libsodium's. */
void sha256_init(struct sha256_state *s);
void sha256_update(struct sha256_state *s, const void *p, size_t n);
void sha256_final(struct sha256_state *s, unsigned char out[32]);
int sha256_uses_shani(void);
/* Tests only: switch the SHA extensions off (0) or back on; returns the old state. */
int sha256_set_shani(int on);

/* SHA-384 alone (FIPS 180-4), exposed for its known-answer tests. */
void sha384_init(struct sha384_state *s);
void sha384_update(struct sha384_state *s, const void *p, size_t n);
void sha384_final(struct sha384_state *s, unsigned char out[48]);

#endif
