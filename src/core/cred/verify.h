/*
 * verify.h - verifying a Verifiable Credential end to end, for the CLI and the
 * server alike: Data Integrity proof(s) with key resolution (did:key locally,
 * did:web only from DID documents the caller supplies), issuer, status
 * (Bitstring Status List supplied by the caller, its own proof checked too),
 * validity dates against a caller-supplied "now", and a hook for the
 * product's accreditation / trust-registry check.
 */
#ifndef TB_CRED_VERIFY_H
#define TB_CRED_VERIFY_H

#include <jansson.h>

#include "core/arena.h"
#include "core/error.h"

struct jsonld_loader;
struct jsonld_limits;

enum check_state { CHECK_SKIPPED = 0, CHECK_PASSED = 1, CHECK_FAILED = 2 };

struct verify_check {
    enum check_state state;
    const char *message;   /* plain words, e.g. "revoked by the issuer's status list" */
};

/*
 * Accreditation hook: was `issuer` accredited at `issued_at` (epoch seconds,
 * from validFrom, else the proof's created)? Return 1 yes, 0 no, -1 unknown,
 * -2 internal error (credential_verify then fails with out of memory);
 * may set *message (static or arena string) to explain.
 */
typedef int (*verify_accredited_fn)(void *user, const char *issuer, long long issued_at,
                                    const char **message);

struct verify_options {
    struct jsonld_loader *loader;     /* NULL = jsonld_loader_default() */
    long long now;                    /* epoch seconds for date checks... */
    int has_now;                      /* ...when set; else the current time */
    const char *expected_issuer;      /* NULL = any issuer */
    int no_issuer_binding;            /* 1 = don't require the key's controller to be the issuer */
    const json_t *did_documents;      /* a DID document or an array of them (did:web), or NULL */
    const json_t *status_lists;       /* a BitstringStatusListCredential or an array, or NULL */
    int require_status;               /* 1 = fail when credentialStatus cannot be checked */
    long long clock_skew;             /* seconds of tolerance on "created"/validFrom (0 = none) */
    verify_accredited_fn accredited;  /* NULL = accreditation check skipped */
    void *accredited_user;
    /* NULL = no limits; else a credential beyond them is refused (credential_verify
     * returns -1 with status 422, code "limit_exceeded" or "canon_work_limit"). */
    const struct jsonld_limits *limits;
};

/* The limits of public verification (POST /api/v1/public/verify): a real
 * credential needs a few of each; README's qualification section lists them. */
extern const struct jsonld_limits verify_public_limits;

#define VERIFY_MAX_ERRORS 16
#define VERIFY_MAX_PROOFS 8     /* proof sets larger than this are refused */
#define VERIFY_MAX_STATUS 8     /* credentialStatus entries checked at most */

struct verify_report {
    int verified;                      /* all non-skipped checks passed */
    struct verify_check signature;     /* proof structure, key, purpose, dates, cryptosuite, signature */
    struct verify_check issuer;        /* expected issuer, key controller == issuer */
    struct verify_check status;        /* revocation / suspension */
    struct verify_check validity;      /* validFrom / validUntil vs now */
    struct verify_check accreditation; /* the hook's answer */
    const char *errors[VERIFY_MAX_ERRORS];
    size_t nerrors;
    const char *issuer_id;             /* as found in the credential */
    const char *verification_method;
    const char *cryptosuite;
    int revoked, suspended;
    int oom;                           /* a message could not be allocated */
};

/*
 * Fills *rep. Returns 0 when the checks ran (rep->verified tells the outcome,
 * even for malformed credentials), -1 on internal errors (out of memory) and
 * when the credential exceeds opt->limits (422).
 */
int credential_verify(const json_t *vc, const struct verify_options *opt,
                      struct verify_report *rep, struct arena *a, struct tb_err *err);

/* {"verified":..,"errors":[..],"checks":{"signature":{"result":"passed","message":..},..}} */
json_t *verify_report_json(const struct verify_report *rep);

/*
 * Resolves a verification method id to its Ed25519 key: did:key locally, any
 * other DID (did:web) from the supplied DID documents, where the method must
 * also be listed under `relationship` (e.g. "assertionMethod").
 */
int verify_resolve_key(const char *vm, const json_t *did_documents, const char *relationship,
                       unsigned char pk[32], struct arena *a, struct tb_err *err);

#endif
