/*
 * issuing.c - keys at rest, did:web identities and OB3 documents.
 */
#include "core/issuing.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kek_parse(const char *base64, unsigned char kek[KEK_BYTES], struct tb_err *err)
{
    size_t n = 0;
    if (!base64 || !*base64)
        return tb_error(err, TB_E_KEYS_UNAVAILABLE, "TRADEBRIDGE_KEK",
                       "TRADEBRIDGE_KEK: not set; the server cannot keep signing keys without a key-encryption key");
    if (sodium_base642bin(kek, KEK_BYTES, base64, strlen(base64), " \n", &n, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 || n != KEK_BYTES)
        return tb_error(err, TB_E_USAGE, "TRADEBRIDGE_KEK",
                       "TRADEBRIDGE_KEK: expected 32 bytes in base64 (e.g. from 'head -c 32 /dev/urandom | base64')");
    return 0;
}

int issuer_seal(const unsigned char kek[KEK_BYTES], const unsigned char seed[32], char *out, size_t outlen)
{
    unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 32];
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, seed, 32, box, kek);
    if (sodium_base64_encoded_len(sizeof box, sodium_base64_VARIANT_ORIGINAL) > outlen)
        return -1;
    sodium_bin2base64(out, outlen, box, sizeof box, sodium_base64_VARIANT_ORIGINAL);
    sodium_memzero(box, sizeof box);
    return 0;
}

int issuer_unseal(const unsigned char kek[KEK_BYTES], const char *sealed, unsigned char seed[32],
                  struct tb_err *err)
{
    unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 32];
    size_t n = 0;
    if (sodium_base642bin(box, sizeof box, sealed, strlen(sealed), NULL, &n, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 || n != sizeof box ||
        crypto_secretbox_open_easy(seed, box + crypto_secretbox_NONCEBYTES, sizeof box - crypto_secretbox_NONCEBYTES,
                                   box, kek) != 0)
        return tb_error(err, TB_E_KEYS_UNAVAILABLE, "",
                       "the signing key cannot be opened with this TRADEBRIDGE_KEK (was the key-encryption key changed?)");
    return 0;
}

char *issuer_did(struct arena *a, const char *public_url, int64_t org_id)
{
    const char *host = strstr(public_url, "://");
    host = host ? host + 3 : public_url;
    size_t len = strcspn(host, "/");
    struct abuf b;
    abuf_init(&b, a, 1024);
    int bad = abuf_puts(&b, "did:web:");
    for (size_t i = 0; i < len; i++) {
        if (host[i] == ':')
            bad |= abuf_puts(&b, "%3A");   /* did:web encodes the port's colon */
        else
            bad |= abuf_append(&b, &host[i], 1);
    }
    bad |= abuf_printf(&b, ":issuers:%lld", (long long)org_id);
    return bad ? NULL : (char *)abuf_cstr(&b);   /* NULL: out of memory, never a partial DID */
}

int64_t issuer_did_org(const char *did, const char *public_url)
{
    /* Compared in place (no allocation that could fail): did:web:HOST:issuers:N
     * with the port's colon of public_url's host written %3A. */
    if (!did || strncmp(did, "did:web:", 8))
        return 0;
    const char *host = strstr(public_url, "://");
    host = host ? host + 3 : public_url;
    size_t len = strcspn(host, "/");
    const char *p = did + 8;
    for (size_t i = 0; i < len; i++) {
        if (host[i] == ':') {
            if (strncmp(p, "%3A", 3))
                return 0;
            p += 3;
        } else if (*p++ != host[i]) {
            return 0;
        }
    }
    if (strncmp(p, ":issuers:", 9))
        return 0;
    char *end;
    long long v = strtoll(p + 9, &end, 10);
    return v > 0 && (*end == '\0' || *end == '#') ? v : 0;
}

char *issuer_key_vm(struct arena *a, const char *did, int64_t key_id)
{
    return arena_printf(a, "%s#key-%lld", did, (long long)key_id);
}

json_t *issuer_did_document(const char *did, const json_t *keys)
{
    if (!did)
        return NULL;
    struct arena *a = arena_new(0);
    json_t *vms = json_array(), *assert_ids = json_array();
    int bad = !a || !vms || !assert_ids;
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k) {
        char *vm = bad ? NULL : issuer_key_vm(a, did, json_integer_value(json_object_get(k, "id")));
        bad = bad || !vm ||
              json_array_append_new(vms, json_pack("{s:s, s:s, s:s, s:O}", "id", vm, "type", "Multikey",
                                                   "controller", did, "publicKeyMultibase",
                                                   json_object_get(k, "public_key"))) ||
              json_array_append_new(assert_ids, json_string(vm));
    }
    arena_free(a);
    if (bad) {   /* out of memory: no document rather than one missing keys */
        json_decref(vms);
        json_decref(assert_ids);
        return NULL;
    }
    return json_pack("{s:[s,s], s:s, s:o, s:o}", "@context", "https://www.w3.org/ns/did/v1",
                     "https://w3id.org/security/multikey/v1", "id", did, "verificationMethod", vms,
                     "assertionMethod", assert_ids);
}

void urn_uuid(char out[46])
{
    unsigned char u[16];
    randombytes_buf(u, sizeof u);
    u[6] = (unsigned char)((u[6] & 0x0F) | 0x40);
    u[8] = (unsigned char)((u[8] & 0x3F) | 0x80);
    snprintf(out, 46, "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* Each competency of the plan: an Alignment and a ResultDescription (its
 * levels as RubricCriterionLevels) of the achievement, and the subject's
 * Result naming the level reached. Returns the results (new reference). */
static json_t *competency_results(const struct ob3_input *in, json_t *alignments, json_t *achievement)
{
    json_t *results = json_array(), *descriptions = json_array();
    size_t i, k;
    json_t *c, *l;
    json_array_foreach(in->competencies, i, c) {
        const char *id = json_string_value(json_object_get(c, "id"));
        char *rd = NULL;
        if (!id || asprintf(&rd, "%s#competency-%s", in->achievement_url, id) < 0)
            continue;
        json_t *al = json_pack("{s:[s], s:O, s:s, s:s, s:s, s:s}", "type", "Alignment", "targetName",
                               json_object_get(c, "title"), "targetUrl", rd, "targetCode", id, "targetFramework",
                               in->framework ? in->framework : "", "targetType", "ceasn:Competency");
        json_t *levels = json_array();
        json_array_foreach(json_object_get(c, "levels"), k, l) {
            long long n = (long long)json_integer_value(json_object_get(l, "level"));
            json_array_append_new(levels, json_pack("{s:o, s:[s], s:o, s:O, s:o}", "id",
                                                    json_sprintf("%s-level-%lld", rd, n), "type",
                                                    "RubricCriterionLevel", "name", json_sprintf("Level %lld", n),
                                                    "description", json_object_get(l, "description"), "level",
                                                    json_sprintf("%lld", n)));
        }
        json_array_append(alignments, al);
        json_array_append_new(descriptions, json_pack("{s:s, s:[s], s:O, s:s, s:[O], s:o}", "id", rd, "type",
                                                      "ResultDescription", "name", json_object_get(c, "title"),
                                                      "resultType", "RubricCriterionLevel", "alignment", al,
                                                      "rubricCriterionLevel", levels));
        json_t *reached = json_object_get(c, "reached");
        if (json_is_integer(reached))
            json_array_append_new(results, json_pack("{s:[s], s:s, s:o}", "type", "Result", "resultDescription", rd,
                                                     "achievedLevel", json_sprintf("%s-level-%lld", rd,
                                                                                   (long long)json_integer_value(reached))));
        json_decref(al);
        free(rd);
    }
    if (json_array_size(descriptions))
        json_object_set(achievement, "resultDescription", descriptions);
    json_decref(descriptions);
    return results;
}

json_t *ob3_credential(const struct ob3_input *in)
{
    const json_t *ach = in->achievement;
    json_t *alignments = json_array();
    const char *eqf = json_string_value(json_object_get(ach, "eqf_level"));
    if (eqf) {
        char url[80], name[40];
        snprintf(url, sizeof url, "http://data.europa.eu/snb/eqf/%s", eqf);
        snprintf(name, sizeof name, "EQF level %s", eqf);
        json_array_append_new(alignments, json_pack("{s:[s], s:s, s:s, s:s}", "type", "Alignment", "targetName",
                                                    name, "targetUrl", url, "targetType", "ext:EQFLevel"));
    }
    size_t i;
    json_t *al;
    json_array_foreach(json_object_get(ach, "alignments"), i, al)
        json_array_append_new(alignments, json_pack("{s:[s], s:O, s:O, s:s}", "type", "Alignment", "targetName",
                                                    json_object_get(al, "name"), "targetUrl",
                                                    json_object_get(al, "url"), "targetType", "ceasn:Competency"));
    json_t *achievement = json_pack("{s:s, s:[s], s:O, s:O, s:{s:O}, s:s}", "id", in->achievement_url, "type",
                                    "Achievement", "name", json_object_get(ach, "name"), "description",
                                    json_object_get(ach, "description"), "criteria", "narrative",
                                    json_object_get(ach, "criteria"), "achievementType", "Certificate");
    json_t *results = competency_results(in, alignments, achievement);
    if (json_array_size(alignments))
        json_object_set(achievement, "alignment", alignments);
    json_decref(alignments);
    json_t *credits = json_object_get(ach, "credits");
    if (json_is_integer(credits))
        json_object_set_new(achievement, "creditsAvailable", json_real((double)json_integer_value(credits)));
    const char *image = json_string_value(json_object_get(ach, "image"));
    if (image)
        json_object_set_new(achievement, "image", json_pack("{s:s, s:s}", "id", image, "type", "Image"));

    json_t *subject = json_pack("{s:[s], s:o}", "type", "AchievementSubject", "achievement", achievement);
    if (json_array_size(results))
        json_object_set(subject, "result", results);
    json_decref(results);
    json_t *identifiers = json_array();
    if (in->email && *in->email) {
        /* Salted hash: an employer who is told the address can check it;
         * nobody can read the address out of the credential. */
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256_state hs;   /* sha256(email || salt), without a copy to allocate */
        crypto_hash_sha256_init(&hs);
        crypto_hash_sha256_update(&hs, (const unsigned char *)in->email, strlen(in->email));
        crypto_hash_sha256_update(&hs, (const unsigned char *)in->salt, strlen(in->salt));
        crypto_hash_sha256_final(&hs, h);
        char hex[65], hash[80];
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        snprintf(hash, sizeof hash, "sha256$%s", hex);
        json_array_append_new(identifiers, json_pack("{s:s, s:s, s:s, s:b, s:s}", "type", "IdentityObject",
                                                     "identityHash", hash, "identityType", "emailAddress", "hashed",
                                                     1, "salt", in->salt));
    }
    /* The name the certificate prints, signed with the rest (OB 3.0
     * IdentityObject, identityType "name", not hashed). */
    if (in->holder_name && *in->holder_name)
        json_array_append_new(identifiers, json_pack("{s:s, s:s, s:s, s:b}", "type", "IdentityObject",
                                                     "identityHash", in->holder_name, "identityType", "name",
                                                     "hashed", 0));
    if (json_array_size(identifiers))
        json_object_set(subject, "identifier", identifiers);
    json_decref(identifiers);
    json_t *issuer = json_pack("{s:s, s:[s], s:s}", "id", in->issuer_did, "type", "Profile", "name", in->issuer_name);
    if (in->issuer_url)
        json_object_set_new(issuer, "url", json_string(in->issuer_url));
    json_t *vc = json_pack("{s:[s,s], s:s, s:[s,s], s:o, s:s, s:O, s:o}", "@context",
                           "https://www.w3.org/ns/credentials/v2",
                           "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "id", in->credential_id,
                           "type", "VerifiableCredential", "OpenBadgeCredential", "issuer", issuer, "validFrom",
                           in->valid_from, "name", json_object_get(ach, "name"), "credentialSubject", subject);
    json_t *evidence = json_array();
    if (in->evidence_name)
        json_array_append_new(evidence, json_pack("{s:[s], s:s, s:s}", "type", "Evidence", "name", in->evidence_name,
                                                  "description", in->evidence_description ? in->evidence_description : ""));
    json_t *e;
    json_array_foreach(in->evidence, i, e) {
        json_t *x = json_pack("{s:[s], s:O, s:O, s:O}", "type", "Evidence", "name", json_object_get(e, "name"),
                              "description", json_object_get(e, "description"), "genre", json_object_get(e, "genre"));
        if (x && json_is_string(json_object_get(e, "id")))
            json_object_set(x, "id", json_object_get(e, "id"));
        json_array_append_new(evidence, x);
    }
    if (json_array_size(evidence))
        json_object_set(vc, "evidence", evidence);
    json_decref(evidence);
    if (in->status)
        json_object_set_new(vc, "credentialStatus", in->status);
    return vc;
}

/* ---- the holder's e-mail against the credential's salted hash ---------------------------------- */

static int email_hash_matches(const char *email, size_t n, const char *salt, const char *want)
{
    crypto_hash_sha256_state h;
    unsigned char out[crypto_hash_sha256_BYTES];
    char hex[65], hash[80];
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)email, n);
    crypto_hash_sha256_update(&h, (const unsigned char *)salt, strlen(salt));
    crypto_hash_sha256_final(&h, out);
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    snprintf(hash, sizeof hash, "sha256$%s", hex);
    /* Both are public (the hash is in the credential): no need for a constant-time compare. */
    return !strcmp(hash, want);
}

int ob3_holder_email_check(const json_t *credential, const char *email)
{
    const json_t *subject = json_object_get(credential, "credentialSubject");
    if (json_is_array(subject))
        subject = json_array_get(subject, 0);
    const json_t *ids = json_object_get(subject, "identifier");
    if (json_is_object(ids) || !json_is_array(ids)) {
        json_t *one = json_array();
        if (json_is_object(ids))
            json_array_append(one, (json_t *)ids);
        int rc = json_array_size(one) ? ob3_holder_email_check_ids(one, email) : OB3_HOLDER_NOT_RECORDED;
        json_decref(one);
        return rc;
    }
    return ob3_holder_email_check_ids(ids, email);
}

int ob3_holder_email_check_ids(const json_t *ids, const char *email)
{
    /* As the person typed it, less surrounding blanks; then in lower case
     * (addresses are matched without regard to case in practice). */
    char typed[321], lower[321];
    while (*email == ' ' || *email == '\t')
        email++;
    size_t n = strlen(email);
    while (n && (email[n - 1] == ' ' || email[n - 1] == '\t' || email[n - 1] == '\r' || email[n - 1] == '\n'))
        n--;
    if (!n || n >= sizeof typed)
        return OB3_HOLDER_NO_MATCH;
    memcpy(typed, email, n);
    typed[n] = '\0';
    for (size_t i = 0; i <= n; i++)
        lower[i] = (char)(typed[i] >= 'A' && typed[i] <= 'Z' ? typed[i] - 'A' + 'a' : typed[i]);
    int recorded = 0;
    size_t i;
    const json_t *id;
    json_array_foreach((json_t *)ids, i, id) {
        const char *type = json_string_value(json_object_get(id, "identityType"));
        const char *salt = json_string_value(json_object_get(id, "salt"));
        const char *hash = json_string_value(json_object_get(id, "identityHash"));
        if (!type || strcmp(type, "emailAddress") || !json_is_true(json_object_get(id, "hashed")) || !hash)
            continue;
        recorded = 1;
        if (!salt)
            salt = "";
        if (email_hash_matches(typed, n, salt, hash) || email_hash_matches(lower, n, salt, hash))
            return OB3_HOLDER_MATCH;
    }
    return recorded ? OB3_HOLDER_NO_MATCH : OB3_HOLDER_NOT_RECORDED;
}
