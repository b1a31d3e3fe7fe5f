/*
 * agreement.c - placement agreement terms and their SHA-256 (see agreement.h).
 * Same computation as the one h_placements.c has used since the first release:
 * {term: value|null} dumped with JSON_COMPACT | JSON_SORT_KEYS, hashed, hex.
 */
#include "core/agreement.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

const char *const agreement_term_fields[] = {"graduate_id", "company_id", "cohort_id", "position_id",
                                             "mentor_user_id", "start_date", "end_date", "currency",
                                             "stipend", "objectives", "learning_plan", NULL};

json_t *agreement_terms(const json_t *placement)
{
    json_t *t = json_object();
    if (!t)
        return NULL;
    for (int i = 0; agreement_term_fields[i]; i++) {
        json_t *v = json_object_get(placement, agreement_term_fields[i]);
        json_object_set(t, agreement_term_fields[i], v ? v : json_null());
    }
    return t;
}

int agreement_terms_hash(const json_t *placement, char out[65])
{
    out[0] = '\0';
    json_t *t = agreement_terms(placement);
    char *text = t ? json_dumps(t, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(t);
    if (!text)
        return -1;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
    sodium_bin2hex(out, 65, h, sizeof h);
    free(text);
    return 0;
}
