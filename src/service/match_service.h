/*
 * match_service.h - matching runs: compute, approve, discard
 * (src/service/match_service.c).
 */
#ifndef TB_MATCH_SERVICE_H
#define TB_MATCH_SERVICE_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/error.h"
#include "store/store.h"

/* body: a checked match_run_fields body (cohort_id, engine, options). The
 * run is computed and recorded as "proposed"; *out is its record. */
int match_service_run(struct store *st, const struct tb_actor *a, const json_t *body, int64_t *id, json_t **out,
                      struct tb_err *err);
/* A proposed run's pairs become offers (application stage "offered", with a
 * history note); a suggestion from the pool (no application_id) becomes a new
 * application at "offered" and the graduate is mailed (link to public_url;
 * texts in arena). The run becomes "approved", in one transaction; a run whose
 * cohort, graduates or positions changed since is refused (409 stale_run). */
int match_service_approve(struct store *st, const struct tb_actor *a, int64_t id, const char *public_url,
                          struct arena *arena, json_t **out, struct tb_err *err);
/* A position's (pos: its record, read in the caller's scope) shortlist from
 * the newest run of its cohort that is not discarded: *out names the run and
 * its candidates, or nulls when no run has one. */
int match_service_shortlist(struct store *st, const struct tb_actor *a, const json_t *pos, json_t **out,
                            struct tb_err *err);
int match_service_discard(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err);

#endif
