/*
 * issuing.h - what an operator needs to issue Open Badges 3.0 credentials:
 * its signing key sealed at rest with the key-encryption key (libsodium
 * secretbox), its did:web identity and DID document, and the credential
 * document itself. Signing is the credential engine's (core/cred/dataint.h).
 */
#ifndef TB_ISSUING_H
#define TB_ISSUING_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"

#define KEK_BYTES 32

/* TRADEBRIDGE_KEK: 32 bytes, standard base64. */
int kek_parse(const char *base64, unsigned char kek[KEK_BYTES], struct tb_err *err);
/* base64(nonce || secretbox(seed)); out needs 128 bytes. */
int issuer_seal(const unsigned char kek[KEK_BYTES], const unsigned char seed[32], char *out, size_t outlen);
int issuer_unseal(const unsigned char kek[KEK_BYTES], const char *sealed, unsigned char seed[32],
                  struct tb_err *err);

/* did:web:HOST[%3APORT]:issuers:ORG for a public URL like https://host:port. */
char *issuer_did(struct arena *a, const char *public_url, int64_t org_id);
/* The operator whose DID this is, or 0 when the DID is not one of ours. */
int64_t issuer_did_org(const char *did, const char *public_url);
/* DID document: every key (current and retired) as a Multikey verification
 * method and assertion method; keys = [{"id","public_key",...}]. */
json_t *issuer_did_document(const char *did, const json_t *keys);
/* The verification method id of key `key_id`. */
char *issuer_key_vm(struct arena *a, const char *did, int64_t key_id);

struct ob3_input {
    const char *credential_id;     /* urn:uuid:... */
    const char *issuer_did;
    const char *issuer_name;
    const char *issuer_url;
    const char *achievement_url;   /* stable id of the achievement */
    const json_t *achievement;     /* name, description, criteria, eqf_level, credits, alignments, image */
    const char *email;             /* hashed with salt into the subject identifier; may be NULL */
    const char *salt;
    const char *holder_name;       /* in clear (printed on the certificate); may be NULL */
    const char *evidence_name, *evidence_description;   /* may be NULL */
    const char *valid_from;        /* dateTime */
    json_t *status;                /* the credentialStatus entry (stolen) */
    /* Training (issue 12), may be NULL: the competencies of the learning plan
     * ([{id, title, levels: [{level, description}], reached: level | null}])
     * become Alignments and ResultDescriptions of the achievement and Results
     * of the subject; evidence entries ([{id?, name, description, genre}]) of
     * the approved deliverables follow the placement's. */
    const json_t *competencies;
    const char *framework;         /* the curriculum they come from, e.g. "ITM@1 International trade management" */
    const json_t *evidence;
};
/* An unsigned OpenBadgeCredential (VC 2.0 + OB 3.0.3 contexts). */
json_t *ob3_credential(const struct ob3_input *in);

/* A random RFC 4122 version 4 UUID as "urn:uuid:...". */
void urn_uuid(char out[46]);

/* Does `email` belong to the credential's holder? Checked against the
 * subject's salted e-mail hash (an OB 3.0 IdentityObject, identityType
 * emailAddress, hashed, "sha256$HEX" of address + salt), as typed and in
 * lower case. */
enum { OB3_HOLDER_MATCH = 1, OB3_HOLDER_NO_MATCH = 0, OB3_HOLDER_NOT_RECORDED = -1 };
int ob3_holder_email_check(const json_t *credential, const char *email);
int ob3_holder_email_check_ids(const json_t *identifiers, const char *email);

#endif
