/*
 * match_service.h - matching runs: compute, approve, discard
 * (src/service/match_service.c).
 */
#ifndef TB_MATCH_SERVICE_H
#define TB_MATCH_SERVICE_H

#include <jansson.h>
#include <stdint.h>

#include "core/auth.h"
#include "core/error.h"
#include "store/store.h"

/* body: a checked match_run_fields body (cohort_id, engine, options). The
 * run is computed and recorded as "proposed"; *out is its record. */
int match_service_run(struct store *st, const struct tb_actor *a, const json_t *body, int64_t *id, json_t **out,
                      struct tb_err *err);
/* A proposed run's pairs become offers (application stage "offered", with a
 * history note), and the run "approved", in one transaction. */
int match_service_approve(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err);
int match_service_discard(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err);

#endif
