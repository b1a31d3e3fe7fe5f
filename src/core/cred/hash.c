/*
 * hash.c - SHA-256 and SHA-384 for RDFC-1.0 and the Data Integrity suites,
 * from OpenSSL's libcrypto.
 *
 * Why libcrypto and not libsodium, which the rest of the engine uses: signing
 * a credential hashes its canonical N-Quads (4-6 KB) and libsodium 1.0.18's
 * portable SHA-256 made that about a third of the signing time; libsodium has
 * no SHA-384 at all, which RDFC-1.0 callers may choose. libcrypto picks the
 * x86 SHA extensions, AVX2 or SSSE3 code (or the other architectures' own)
 * at run time: on this project's machines 1.3 GB/s with the SHA extensions
 * and 300-430 MB/s without, where portable C managed 170 MB/s.
 *
 * The digests are fetched once (OpenSSL 3 otherwise looks the algorithm up
 * on every init); a digest context is allocated per hash, which costs less
 * than the lookup it replaces.
 */
#include "core/cred/hash.h"

#include <openssl/evp.h>
#include <pthread.h>

static EVP_MD *sha256_md, *sha384_md;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch_digests(void)
{
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
    sha384_md = EVP_MD_fetch(NULL, "SHA384", NULL);
}

static const EVP_MD *digest_of(enum cred_hash_alg alg)
{
    pthread_once(&fetch_once, fetch_digests);
    return alg == CRED_SHA384 ? sha384_md : sha256_md;
}

size_t cred_hash_len(enum cred_hash_alg alg)
{
    return alg == CRED_SHA384 ? 48 : 32;
}

int cred_hash_init(struct cred_hash *h, enum cred_hash_alg alg)
{
    const EVP_MD *md = digest_of(alg);
    EVP_MD_CTX *ctx = md ? EVP_MD_CTX_new() : NULL;
    h->alg = alg;
    h->ctx = ctx;
    if (ctx && EVP_DigestInit_ex(ctx, md, NULL) == 1)
        return 0;
    EVP_MD_CTX_free(ctx);
    h->ctx = NULL;
    return -1;
}

void cred_hash_update(struct cred_hash *h, const void *p, size_t n)
{
    /* Updating a software digest cannot fail; a failed init left ctx NULL
     * and cred_hash_final reports it. */
    if (h->ctx && n)
        EVP_DigestUpdate(h->ctx, p, n);
}

int cred_hash_final(struct cred_hash *h, unsigned char *out)
{
    int ok = h->ctx && EVP_DigestFinal_ex(h->ctx, out, NULL) == 1;
    EVP_MD_CTX_free(h->ctx);
    h->ctx = NULL;
    return ok ? 0 : -1;
}

int cred_hash_buf(enum cred_hash_alg alg, const void *p, size_t n, unsigned char *out)
{
    struct cred_hash h;
    if (cred_hash_init(&h, alg))
        return -1;
    cred_hash_update(&h, p, n);
    return cred_hash_final(&h, out);
}

void cred_hex(const unsigned char *p, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[p[i] >> 4];
        out[2 * i + 1] = hx[p[i] & 15];
    }
    out[2 * n] = 0;
}
