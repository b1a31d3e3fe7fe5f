/*
 * store_integrity.h - the programme's integrity rules (issue 17): the
 * coordinator's allowance for a placed trainee to apply elsewhere.
 */
#ifndef TB_STORE_INTEGRITY_H
#define TB_STORE_INTEGRITY_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

/* Allows (reason non-NULL) or withdraws (reason NULL) applications elsewhere
 * for the graduate of a placement; audited on the placement. */
int store_allowance_set(struct store *st, const struct tb_actor *a, int64_t org_id, int64_t placement_id,
                        const char *reason, struct tb_err *err);
/* {reason, user_id, user_name, at} or JSON null. */
int store_allowance_get(struct store *st, const struct tb_actor *a, int64_t placement_id, json_t **out,
                        struct tb_err *err);
/* The id of a placement in draft or signed of the graduate without an
 * allowance in *placement_id (0 when none). */
int store_placed_unallowed(struct store *st, const struct tb_actor *a, int64_t graduate_id, int64_t *placement_id,
                           struct tb_err *err);

#endif
