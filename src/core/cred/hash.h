/*
 * hash.h - the two digests RDFC-1.0 and the Data Integrity suites name,
 * SHA-256 and SHA-384, behind one small streaming interface so callers pick
 * the algorithm at run time. OpenSSL's libcrypto computes them (see hash.c).
 */
#ifndef TB_CRED_HASH_H
#define TB_CRED_HASH_H

#include <stddef.h>

enum cred_hash_alg { CRED_SHA256 = 0, CRED_SHA384 = 1 };

#define CRED_HASH_MAX 48   /* bytes of the longest digest (SHA-384) */

struct cred_hash {
    enum cred_hash_alg alg;
    void *ctx;   /* the library's digest context */
};

size_t cred_hash_len(enum cred_hash_alg alg);
/* 0, or -1 when out of memory. An initialised hash must be finished with
 * cred_hash_final, which also releases it. */
int cred_hash_init(struct cred_hash *h, enum cred_hash_alg alg);
void cred_hash_update(struct cred_hash *h, const void *p, size_t n);
/* Writes cred_hash_len bytes to out and releases h; -1 if the digest failed. */
int cred_hash_final(struct cred_hash *h, unsigned char *out);
/* One-shot digest of a buffer; 0 or -1. */
int cred_hash_buf(enum cred_hash_alg alg, const void *p, size_t n, unsigned char *out);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void cred_hex(const unsigned char *p, size_t n, char *out);

#endif
