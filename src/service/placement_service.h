/*
 * placement_service.h - placements and their three-party agreement
 * (src/service/placement_service.c). Every function that answers a record
 * answers it with its "agreement" (terms, hash, acceptances, pending, locked).
 */
#ifndef TB_PLACEMENT_SERVICE_H
#define TB_PLACEMENT_SERVICE_H

#include <jansson.h>
#include <stdint.h>

#include "core/auth.h"
#include "core/error.h"
#include "store/store.h"

/* Adds p's "agreement" object. */
int placement_service_decorate(struct store *st, const struct tb_actor *a, json_t *p, struct tb_err *err);
int placement_service_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err);
/* body: checked placement_create_fields; dates in order, the mentor a mentor. Status "draft". */
int placement_service_create(struct store *st, const struct tb_actor *a, const json_t *body, int64_t *id,
                             json_t **out, struct tb_err *err);
/* Changes of terms clear the acceptances given so far; locked terms: 409. */
int placement_service_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                             const json_t *body, json_t **out, struct tb_err *err);
/* The agreement's terms hash as the parties read it now: the placement's terms
 * with the learning plan's modules (the signed hash once locked). */
int placement_service_terms_hash(struct store *st, const struct tb_actor *a, const json_t *placement, char hash[65],
                                 struct tb_err *err);
/* The actor's party accepts the terms it read (terms_hash); the third
 * acceptance signs and locks the agreement, in the same transaction. */
int placement_service_accept(struct store *st, const struct tb_actor *a, int64_t id, const char *terms_hash,
                             json_t **out, struct tb_err *err);
/* The learning plan of a signed (or completed) placement that has none yet
 * (it is normally made when the agreement is signed); *out is the plan.
 * 409 invalid_transition before signing, conflict when it exists,
 * no_curriculum when the cohort names no curriculum version. */
int placement_service_learning_plan(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                                    struct tb_err *err);
/* A signed placement becomes "completed" or "terminated". Completing it
 * before its end date needs a written reason (409 reason_required); a reason
 * given is kept in the audit log. */
int placement_service_end(struct store *st, const struct tb_actor *a, int64_t id, const char *to, const char *reason,
                          json_t **out, struct tb_err *err);
/* The coordinator allows (with a reason) or stops applications elsewhere by
 * the placement's trainee while the placement is in draft or signed. */
int placement_service_allow_applications(struct store *st, const struct tb_actor *a, int64_t id, int allowed,
                                         const char *reason, json_t **out, struct tb_err *err);

/* A plan module's change (see placement_service.c): clears a draft agreement's
 * acceptances; after signing, an amendment the parties accept again. */
int placement_service_plan_module_update(struct store *st, const struct tb_actor *a, int64_t module_id,
                                         int64_t version, const json_t *changes, json_t **out, struct tb_err *err);
/* A party's acceptance of the amended plan of a signed agreement (plan_hash as read). */
int placement_service_plan_accept(struct store *st, const struct tb_actor *a, int64_t id, const char *plan_hash,
                                  json_t **out, struct tb_err *err);

#endif
