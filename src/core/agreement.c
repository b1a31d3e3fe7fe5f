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
    json_t *t = agreement_terms(placement);
    int rc = agreement_hash_of(t, out);
    json_decref(t);
    return rc;
}

static const char *const plan_term_fields[] = {"code", "title", "mandatory", "selected", "planned_start",
                                               "due_date", "deliverable", NULL};

json_t *agreement_plan_terms(const json_t *modules)
{
    json_t *out = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(modules, i, m) {
        json_t *t = json_object();
        for (int k = 0; plan_term_fields[k]; k++) {
            json_t *v = json_object_get(m, plan_term_fields[k]);
            /* 0/1 from the store, true/false from a client: the same term */
            if (json_is_integer(v) && (!strcmp(plan_term_fields[k], "mandatory") || !strcmp(plan_term_fields[k], "selected")))
                json_object_set_new(t, plan_term_fields[k], json_boolean(json_integer_value(v)));
            else
                json_object_set(t, plan_term_fields[k], v ? v : json_null());
        }
        json_array_append_new(out, t);
    }
    return out;
}

json_t *agreement_plan_diff(const json_t *accepted, const json_t *current)
{
    json_t *out = json_array();
    size_t i, k;
    json_t *c, *a;
    json_array_foreach(current, i, c) {
        const char *code = json_string_value(json_object_get(c, "code"));
        json_t *was = NULL;
        json_array_foreach(accepted, k, a)
            if (code && json_equal(json_object_get(a, "code"), json_object_get(c, "code")))
                was = a;
        for (int f = 0; plan_term_fields[f]; f++) {
            json_t *nv = json_object_get(c, plan_term_fields[f]), *ov = was ? json_object_get(was, plan_term_fields[f]) : NULL;
            if (!json_equal(nv, ov ? ov : json_null()))
                json_array_append_new(out, json_pack("{s:s?, s:s, s:O?, s:O?}", "module", code, "field",
                                                     plan_term_fields[f], "old", ov, "new", nv));
        }
    }
    /* a module no longer in the plan (its cohort moved to another curriculum) */
    json_array_foreach(accepted, k, a) {
        int still = 0;
        json_array_foreach(current, i, c)
            still |= json_equal(json_object_get(a, "code"), json_object_get(c, "code"));
        if (!still)
            json_array_append_new(out, json_pack("{s:O?, s:s, s:O, s:n}", "module", json_object_get(a, "code"), "field",
                                                 "module", "old", a, "new"));
    }
    return out;
}

int agreement_hash_of(const json_t *terms, char out[65])
{
    out[0] = '\0';
    char *text = terms ? json_dumps(terms, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (!text)
        return -1;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
    sodium_bin2hex(out, 65, h, sizeof h);
    free(text);
    return 0;
}
