/*
 * h_cohorts.c - an operator's intakes (name, dates, curriculum version).
 */
#include <string.h>

#include "http/entity_http.h"
#include "core/fields.h"
#include "http/handlers.h"
#include "http/training.h"

/* cohort_create_fields, cohort_update_fields: declared in records/cohort.json */
#include "http/fields_cohort.inc"

/* ISO dates compare correctly as strings. */
static int dates_in_order(const json_t *body, const json_t *old, struct tb_err *err)
{
    json_t *s = json_object_get(body, "start_date"), *e = json_object_get(body, "end_date");
    if (!s && old)
        s = json_object_get(old, "start_date");
    if (!e && old)
        e = json_object_get(old, "end_date");
    if (json_is_string(s) && json_is_string(e) && strcmp(json_string_value(s), json_string_value(e)) > 0)
        return TB_INVALID(err, "end_date", "end_date: must not be before start_date");
    return 0;
}

int h_cohort_list(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_list(r, res, ENT_COHORT, NULL, err);
}

int h_cohort_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *c;
    if (entity_load(r, ENT_COHORT, &c, err) < 0)
        return -1;
    return entity_reply(r, res, 200, c);
}

int h_cohort_create(struct request *r, struct response *res, struct tb_err *err)
{
    if (dates_in_order(r->body, NULL, err) < 0 || training_cohort_curriculum(r, r->body, NULL, err) < 0)
        return -1;
    int rc = entity_create(r, res, ENT_COHORT, r->body, "cohorts", NULL, err);
    if (rc < 0 && err->status == 409)
        tb_error(err, TB_E_CONFLICT, "name", "name: this operator already has a cohort with that name");
    return rc;
}

int h_cohort_update(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *old;
    if (entity_load(r, ENT_COHORT, &old, err) < 0)
        return -1;
    int rc = dates_in_order(r->body, old, err);
    if (rc == 0)
        rc = training_cohort_curriculum(r, r->body, old, err);
    json_decref(old);
    if (rc == 0)
        rc = entity_update(r, res, ENT_COHORT, r->body, NULL, err);
    if (rc < 0 && err->status == 409)
        tb_error(err, TB_E_CONFLICT, "name", "name: this operator already has a cohort with that name");
    return rc;
}

int h_cohort_delete(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_delete(r, res, ENT_COHORT, err);
}
