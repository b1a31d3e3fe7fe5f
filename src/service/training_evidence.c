/*
 * training_evidence.c - see training_evidence.h.
 */
#include "service/training_evidence.h"

#include "core/agreement.h"

#include <sodium.h>
#include <string.h>

#include "core/agreement.h"
#include "core/curriculum.h"
#include "store/store_training.h"

/* Done: the deliverable approved and, where the module is tested, the test passed. */
static int module_done(const json_t *m)
{
    return !strcmp(json_string_value(json_object_get(m, "state")), "approved") &&
           (!json_integer_value(json_object_get(m, "weight_test")) ||
            !strcmp(json_string_value(json_object_get(m, "test_state")), "passed"));
}

/* ni:///sha-256;BASE64URL (RFC 6920) of a hex SHA-256. */
static json_t *ni_uri(const char *hex)
{
    unsigned char bin[32];
    size_t n = 0;
    if (!hex || sodium_hex2bin(bin, sizeof bin, hex, strlen(hex), NULL, &n, NULL) || n != 32)
        return NULL;
    char b64[64];
    sodium_bin2base64(b64, sizeof b64, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return json_sprintf("ni:///sha-256;%s", b64);
}

static json_t *approved_evidence(struct store *st, const struct tb_actor *a, const json_t *m, struct tb_err *err)
{
    json_t *versions, *reviews;
    if (store_deliverable_history(st, a, json_integer_value(json_object_get(m, "id")), &versions, &reviews, err) < 0)
        return NULL;
    json_t *out = NULL;
    size_t i, k;
    json_t *v, *rv;
    json_array_foreach(versions, i, v) {
        if (strcmp(json_string_value(json_object_get(v, "status")), "approved"))
            continue;
        const char *at = json_string_value(json_object_get(v, "submitted_at"));
        json_array_foreach(reviews, k, rv)
            if (json_integer_value(json_object_get(rv, "version_id")) == json_integer_value(json_object_get(v, "id")) &&
                !strcmp(json_string_value(json_object_get(rv, "decision")), "approve"))
                at = json_string_value(json_object_get(rv, "at"));
        const char *sha = json_string_value(json_object_get(v, "sha256"));
        json_t *id = ni_uri(sha);
        char day[11] = "";
        if (at)
            snprintf(day, sizeof day, "%.10s", at);
        out = json_pack("{s:[s], s:o, s:s++, s:s, s:s, s:s, s:s}", "type", "Evidence", "id", id ? id : json_null(), "name",
                        json_string_value(json_object_get(m, "title")), ": ",
                        json_string_value(json_object_get(json_object_get(m, "deliverable"), "title")), "description",
                        "", "genre", "Workplace deliverable", "sha256", sha, "date", day, "module",
                        json_string_value(json_object_get(m, "code")));
        if (out) {
            json_object_set_new(out, "description",
                                json_sprintf("Done at the company and approved on %s (version %lld). SHA-256 of the "
                                             "approved version: %s", day,
                                             (long long)json_integer_value(json_object_get(v, "number")), sha));
            if (!id)
                json_object_del(out, "id");
        }
    }
    json_decref(versions);
    json_decref(reviews);
    if (!out)
        TB_INTERNAL(err, "no approved version of module %s", json_string_value(json_object_get(m, "code")));
    return out;
}

int training_evidence(struct store *st, const struct tb_actor *a, int64_t placement_id, json_t **out,
                      struct tb_err *err)
{
    json_t *plan, *ratings = NULL, *cv = NULL;
    *out = NULL;
    if (store_plan_get(st, a, placement_id, &plan, err) < 0)
        return -1;
    if (json_is_null(json_object_get(plan, "plan"))) {
        json_decref(plan);
        *out = json_pack("{s:b}", "has_plan", 0);
        return 0;
    }
    int rc = -1;
    if (store_rating_list(st, a, placement_id, &ratings, err) < 0 ||
        store_cversion_get(st, a, json_integer_value(json_object_get(json_object_get(plan, "plan"), "curriculum_version_id")),
                           &cv, err) < 0)
        goto done;
    json_t *missing = json_array(), *evidence = json_array(), *competencies = json_array();
    *out = json_pack("{s:b, s:o, s:o, s:o, s:O, s:O}", "has_plan", 1, "missing", missing, "evidence", evidence,
                     "competencies", competencies, "curriculum_ref", json_object_get(cv, "ref"), "curriculum_title",
                     json_object_get(json_object_get(cv, "content"), "title"));
    size_t i, k;
    json_t *m, *c, *r;
    json_array_foreach(json_object_get(plan, "modules"), i, m) {
        if (!json_integer_value(json_object_get(m, "selected")))
            continue;
        if (module_done(m)) {
            json_t *e = approved_evidence(st, a, m, err);
            if (!e)
                goto done;
            json_array_append_new(evidence, e);
            /* The competencies of a module done, at the level reached: the mentor's
             * rating of on-the-job behaviour, else the trainee's final self-assessment. */
            json_t *def = curriculum_module(json_object_get(cv, "content"), json_string_value(json_object_get(m, "code")));
            json_array_foreach(json_object_get(def, "competencies"), k, c) {
                int mentor = 0, post = 0;
                size_t j;
                json_array_foreach(ratings, j, r) {
                    if (strcmp(json_string_value(json_object_get(r, "competency")), json_string_value(json_object_get(c, "id"))))
                        continue;
                    const char *kind = json_string_value(json_object_get(r, "kind"));
                    int level = (int)json_integer_value(json_object_get(r, "level"));
                    if (!strcmp(kind, "mentor"))
                        mentor = level;
                    else if (!strcmp(kind, "post"))
                        post = level;
                }
                json_t *cc = json_deep_copy(c);
                json_object_set_new(cc, "reached", (mentor || post) ? json_integer(mentor ? mentor : post) : json_null());
                json_array_append_new(competencies, cc);
            }
        } else {
            json_array_append(missing, json_object_get(m, "code"));
        }
    }
    /* A change to the plan after signing that not every party accepted yet: the plan is not agreed. */
    const char *accepted = json_string_value(json_object_get(json_object_get(plan, "plan"), "accepted_hash"));
    char now_hash[65] = "";
    json_t *terms = accepted ? agreement_plan_terms(json_object_get(plan, "modules")) : NULL;
    if (terms)
        agreement_hash_of(terms, now_hash);
    json_decref(terms);
    int amendment = accepted && strcmp(accepted, now_hash) != 0;
    json_object_set_new(*out, "amendment_pending", json_boolean(amendment));
    json_object_set_new(*out, "complete", json_boolean(json_array_size(missing) == 0 && !amendment));
    rc = 0;
done:
    if (rc < 0) {
        json_decref(*out);
        *out = NULL;
    }
    json_decref(plan);
    json_decref(ratings);
    json_decref(cv);
    return rc;
}
