/*
 * impact_evidence.h - the store side of impact's evidence (issue 14): the
 * export-sales history imported from CSV, the learning and behaviour
 * ratings of the training records, introductions' outcomes.
 */
#ifndef TB_STORE_IMPACT_EVIDENCE_H
#define TB_STORE_IMPACT_EVIDENCE_H

#include <jansson.h>
#include <stdint.h>

#include "core/auth.h"
#include "core/error.h"
#include "store/store.h"

/* One row {company_id (0: by registration_number), market, year, currency,
 * amount_minor} (checked by the service); 404 when the company is not the
 * actor's, or the registration number names more than one of its companies. */
int store_impact_sales_put(struct store *st, const struct tb_actor *a, const json_t *row, struct tb_err *err);
/* [{company_id, nace, employees, country, region, year, currency, total, applied_year, placed}] */
int store_impact_sales_years(struct store *st, const struct tb_actor *a, int64_t org_id, json_t **out,
                             struct tb_err *err);
/* [{placement_id, learning_gain, mentor_rating}] (null where not rated) */
int store_impact_training(struct store *st, const struct tb_actor *a, int64_t org_id, json_t **out,
                          struct tb_err *err);
/* [{state, n, companies}] */
int store_impact_introductions(struct store *st, const struct tb_actor *a, int64_t org_id, json_t **out,
                               struct tb_err *err);

#endif
