/*
 * statuslist.c - Bitstring Status List encode/decode (zlib gzip), bit access,
 * the list credential's JSON shape, and looking an entry up in a list.
 */
#include "core/cred/statuslist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/cred/keys.h"

int status_list_new(struct status_list *l, size_t nbits, struct arena *a, struct tb_err *err)
{
    if (nbits < STATUS_LIST_MIN_BITS)
        nbits = STATUS_LIST_MIN_BITS;
    if (nbits > STATUS_LIST_MAX_BITS)
        return tb_error(err, TB_E_INVALID_STATUS_LIST, "", "status list larger than %u bits",
                       STATUS_LIST_MAX_BITS);
    nbits = (nbits + 7) / 8 * 8;
    l->bits = arena_calloc(a, nbits / 8, 1);
    l->nbits = nbits;
    return l->bits ? 0 : TB_INTERNAL(err, "out of memory");
}

int status_list_set(struct status_list *l, size_t index, int value, struct tb_err *err)
{
    if (index >= l->nbits)
        return tb_error(err, TB_E_INVALID_STATUS_LIST, "statusListIndex",
                       "index %zu is outside the list (%zu entries)", index, l->nbits);
    unsigned char m = (unsigned char)(0x80u >> (index % 8));
    if (value)
        l->bits[index / 8] |= m;
    else
        l->bits[index / 8] &= (unsigned char)~m;
    return 0;
}

int status_list_get(const struct status_list *l, size_t index)
{
    if (index >= l->nbits)
        return -1;
    return (l->bits[index / 8] >> (7 - index % 8)) & 1;
}

int status_list_encode(const struct status_list *l, struct arena *a, char **out, struct tb_err *err)
{
    size_t n = l->nbits / 8;
    z_stream z;
    memset(&z, 0, sizeof z);
    /* windowBits 15 + 16: write a gzip wrapper, as the spec requires. */
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return TB_INTERNAL(err, "zlib init failed");
    size_t cap = deflateBound(&z, (uLong)n) + 32;
    unsigned char *gz = arena_alloc(a, cap);
    if (!gz) {
        deflateEnd(&z);
        return TB_INTERNAL(err, "out of memory");
    }
    z.next_in = l->bits;
    z.avail_in = (uInt)n;
    z.next_out = gz;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    size_t glen = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END)
        return TB_INTERNAL(err, "gzip failed");
    char *b = base64url_encode(a, gz, glen);
    *out = b ? arena_printf(a, "u%s", b) : NULL;
    return *out ? 0 : TB_INTERNAL(err, "out of memory");
}

int status_list_decode(const char *enc, struct arena *a, struct status_list *l, struct tb_err *err)
{
    if (!enc || enc[0] != 'u')
        return tb_error(err, TB_E_INVALID_STATUS_LIST, "encodedList",
                       "encodedList must be multibase base64url ('u' prefix)");
    size_t elen = strlen(enc + 1);
    unsigned char *gz = arena_alloc(a, elen * 3 / 4 + 4);
    if (!gz)
        return TB_INTERNAL(err, "out of memory");
    long glen = base64url_decode(enc + 1, elen, gz, elen * 3 / 4 + 4);
    if (glen <= 0)
        return tb_error(err, TB_E_INVALID_STATUS_LIST, "encodedList", "encodedList is not base64url");
    size_t cap = STATUS_LIST_MAX_BITS / 8;
    unsigned char *bits = arena_alloc(a, cap + 1);
    if (!bits)
        return TB_INTERNAL(err, "out of memory");
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK)   /* +32: accept gzip or zlib headers */
        return TB_INTERNAL(err, "zlib init failed");
    z.next_in = gz;
    z.avail_in = (uInt)glen;
    z.next_out = bits;
    z.avail_out = (uInt)(cap + 1);
    int rc = inflate(&z, Z_FINISH);
    size_t n = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END)
        return tb_error(err, TB_E_INVALID_STATUS_LIST, "encodedList",
                       n > cap ? "status list is too large" : "encodedList is not valid gzip");
    if (n * 8 < STATUS_LIST_MIN_BITS)
        return tb_error(err, TB_E_INVALID_STATUS_LIST, "encodedList",
                       "status list is shorter than the required %u entries", STATUS_LIST_MIN_BITS);
    l->bits = bits;
    l->nbits = n * 8;
    return 0;
}

json_t *status_list_credential(const char *list_id, const char *issuer, const char *purpose,
                               const struct status_list *l, const char *valid_from,
                               struct arena *a, struct tb_err *err)
{
    char *enc;
    if (!list_id || !issuer || !purpose) {
        tb_error(err, TB_E_INVALID_STATUS_LIST, "", "list id, issuer and purpose are required");
        return NULL;
    }
    if (status_list_encode(l, a, &enc, err))
        return NULL;
    char *sid = arena_printf(a, "%s#list", list_id);
    if (!sid) {
        TB_INTERNAL(err, "out of memory");
        return NULL;
    }
    json_t *c = json_pack("{s:[s], s:s, s:[s,s], s:s, s:{s:s, s:s, s:s, s:s}}",
                          "@context", "https://www.w3.org/ns/credentials/v2",
                          "id", list_id,
                          "type", "VerifiableCredential", "BitstringStatusListCredential",
                          "issuer", issuer,
                          "credentialSubject", "id", sid, "type", "BitstringStatusList",
                          "statusPurpose", purpose, "encodedList", enc);
    if (!c) {
        TB_INTERNAL(err, "out of memory");
        return NULL;
    }
    if (valid_from) {
        /* keep validFrom next to issuer for readability */
        json_t *subj = json_incref(json_object_get(c, "credentialSubject"));
        json_object_del(c, "credentialSubject");
        json_object_set_new(c, "validFrom", json_string(valid_from));
        json_object_set_new(c, "credentialSubject", subj);
    }
    return c;
}

json_t *status_list_entry(const char *list_id, size_t index, const char *purpose)
{
    char id[2048], idx[32];
    if (!list_id || !purpose)
        return NULL;
    snprintf(idx, sizeof idx, "%zu", index);
    snprintf(id, sizeof id, "%s#%s", list_id, idx);
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", id, "type", "BitstringStatusListEntry",
                     "statusPurpose", purpose, "statusListIndex", idx, "statusListCredential", list_id);
}

static int parse_index(const json_t *v, size_t *out)
{
    /* statusListIndex is a string of decimal digits in the spec; accept an
     * integer too, as some issuers emit one. */
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (size_t)json_integer_value(v);
        return 0;
    }
    const char *s = json_string_value(v);
    if (!s || !*s || strlen(s) > 12)
        return -1;
    size_t n = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        n = n * 10 + (size_t)(*s - '0');
    }
    *out = n;
    return 0;
}

int status_list_check(const json_t *entry, const json_t *list, struct arena *a, int *is_set,
                      struct tb_err *err)
{
    *is_set = 0;
    if (!json_is_object(entry))
        return tb_error(err, TB_E_INVALID_STATUS, "credentialStatus", "credentialStatus must be an object");
    const char *etype = json_string_value(json_object_get(entry, "type"));
    if (!etype || strcmp(etype, "BitstringStatusListEntry"))
        return tb_error(err, TB_E_INVALID_STATUS, "credentialStatus.type",
                       "credentialStatus type is not BitstringStatusListEntry");
    const char *purpose = json_string_value(json_object_get(entry, "statusPurpose"));
    const char *lcred = json_string_value(json_object_get(entry, "statusListCredential"));
    size_t index;
    if (!purpose || !lcred)
        return tb_error(err, TB_E_INVALID_STATUS, "credentialStatus",
                       "credentialStatus needs statusPurpose and statusListCredential");
    if (parse_index(json_object_get(entry, "statusListIndex"), &index))
        return tb_error(err, TB_E_INVALID_STATUS, "credentialStatus.statusListIndex",
                       "statusListIndex is not a non-negative integer");
    const json_t *size = json_object_get(entry, "statusSize");
    if (size && !(json_is_integer(size) && json_integer_value(size) == 1))
        return tb_error(err, TB_E_INVALID_STATUS, "credentialStatus.statusSize",
                       "only statusSize 1 is supported");
    if (!json_is_object(list))
        return tb_error(err, TB_E_INVALID_STATUS_LIST, "", "status list credential must be an object");
    const char *lid = json_string_value(json_object_get(list, "id"));
    if (!lid || strcmp(lid, lcred))
        return tb_error(err, TB_E_INVALID_STATUS_LIST, "id",
                       "status list credential id '%s' is not the one the credential names (%s)",
                       lid ? lid : "(none)", lcred);
    const json_t *types = json_object_get(list, "type");
    int typed = 0;
    for (size_t i = 0; json_is_array(types) && i < json_array_size(types); i++)
        typed |= !strcmp(json_string_value(json_array_get(types, i)) ? json_string_value(json_array_get(types, i)) : "",
                         "BitstringStatusListCredential");
    if (!typed)
        return tb_error(err, TB_E_INVALID_STATUS_LIST, "type",
                       "status list is not a BitstringStatusListCredential");
    const json_t *subj = json_object_get(list, "credentialSubject");
    const char *lpurpose = json_string_value(json_object_get(subj, "statusPurpose"));
    int purpose_ok = lpurpose && !strcmp(lpurpose, purpose);
    const json_t *lp = json_object_get(subj, "statusPurpose");
    for (size_t i = 0; json_is_array(lp) && i < json_array_size(lp); i++)
        if (json_string_value(json_array_get(lp, i)) && !strcmp(json_string_value(json_array_get(lp, i)), purpose))
            purpose_ok = 1;
    if (!purpose_ok)
        return tb_error(err, TB_E_INVALID_STATUS_LIST, "credentialSubject.statusPurpose",
                       "status list purpose does not match the entry's '%s'", purpose);
    struct status_list l;
    if (status_list_decode(json_string_value(json_object_get(subj, "encodedList")), a, &l, err))
        return -1;
    int bit = status_list_get(&l, index);
    if (bit < 0)
        return tb_error(err, TB_E_INVALID_STATUS, "credentialStatus.statusListIndex",
                       "statusListIndex %zu is outside the list (%zu entries)", index, l.nbits);
    *is_set = bit;
    return 0;
}
