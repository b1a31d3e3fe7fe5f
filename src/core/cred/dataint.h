/*
 * dataint.h - W3C Data Integrity proofs with the EdDSA cryptosuites
 * eddsa-rdfc-2022 (RDFC-1.0 canonical N-Quads) and eddsa-jcs-2022 (RFC 8785):
 * create a proof on a document, and check one proof's signature.
 */
#ifndef TB_CRED_DATAINT_H
#define TB_CRED_DATAINT_H

#include <jansson.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/cred/keys.h"

struct jsonld_loader;

enum di_suite { DI_SUITE_UNKNOWN = 0, DI_EDDSA_RDFC_2022, DI_EDDSA_JCS_2022 };

const char *di_suite_name(enum di_suite s);
enum di_suite di_suite_parse(const char *name);   /* DI_SUITE_UNKNOWN if not supported */

struct di_options {
    enum di_suite suite;              /* 0 = eddsa-rdfc-2022 */
    const char *created;              /* XML Schema dateTime; NULL = now (UTC, seconds) */
    const char *verification_method;  /* NULL = did:key:<mb>#<mb> of the key */
    const char *proof_purpose;        /* NULL = "assertionMethod" */
    struct jsonld_loader *loader;     /* NULL = jsonld_loader_default() */
    const char *proof_id;             /* optional proof "id" (needed to be referenced in a chain) */
    const json_t *previous_proof;     /* optional: id or array of ids of existing proofs this one
                                         chains to (proof chain); those proofs are signed along */
};

/* Intermediate values of one proof computation (all in the caller's arena). */
struct di_trace {
    const char *canon_doc;            /* canonical document (N-Quads or JCS) */
    const char *canon_proof;          /* canonical proof configuration */
    unsigned char proof_hash[32], doc_hash[32];   /* hashData = proof_hash || doc_hash */
    unsigned char sig[64];
};

/*
 * Adds a proof to a copy of doc (which must be a JSON object; an existing
 * "proof" is kept and the new one appended, forming a proof set, or a proof
 * chain with opt->previous_proof) and returns it in *secured (new reference).
 * trace may be NULL.
 */
int di_sign(const json_t *doc, const struct cred_keypair *key, const struct di_options *opt,
            struct arena *a, json_t **secured, struct di_trace *trace, struct tb_err *err);

/*
 * Checks one proof (an element of secured["proof"]) against the Ed25519
 * public key pk: structure, cryptosuite, canonical hashes, signature; a proof
 * with previousProof is checked over the document carrying those proofs.
 * Returns 0 when the signature is valid; -1 with err->code one of
 * "invalid_proof" (malformed/unsupported proof), "invalid_signature",
 * a JSON-LD/canonicalization error code, or "internal_error".
 */
struct jsonld_limits;
/* limits (NULL = none) bound the JSON-LD work of each canonicalization. */
int di_verify_proof(const json_t *secured, const json_t *proof, const unsigned char pk[32],
                    struct jsonld_loader *loader, const struct jsonld_limits *limits,
                    struct arena *a, struct di_trace *trace, struct tb_err *err);

/* Canonical form of a JSON-LD document: RDFC-1.0 N-Quads (rdfc) or JCS. */
int di_canonicalize(const json_t *doc, enum di_suite suite, struct jsonld_loader *loader,
                    const struct jsonld_limits *limits, struct arena *a, const char **out,
                    size_t *len, struct tb_err *err);

/* XML Schema dateTime ("2024-01-02T03:04:05Z", optional fraction, offset)
 * to seconds since the epoch; -1 if malformed. */
int cred_parse_time(const char *s, long long *epoch);
/* Formats epoch as "YYYY-MM-DDTHH:MM:SSZ" into buf (>= 21 bytes). */
void cred_format_time(long long epoch, char *buf, size_t size);

#endif
