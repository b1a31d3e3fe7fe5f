/*
 * shared_int.h - entity.c's helpers that other store files reuse (per-operator
 * settings documents, the row scope of an actor's role). Not for use outside
 * src/store/.
 */
#ifndef TB_STORE_SHARED_INT_H
#define TB_STORE_SHARED_INT_H

#include "store/store_int.h"

/* A settings document of one operator (JSON text in a table keyed by org_id):
 * *out = NULL when never stored. Put audits the change under `entity`. */
int st_settings_get(struct store *st, const struct tb_actor *a, enum stmt get, int64_t org_id,
                    json_t **out, struct tb_err *err);
int st_settings_put(struct store *st, const struct tb_actor *a, enum stmt get, enum stmt put,
                    const char *entity, int64_t org_id, const json_t *weights, struct tb_err *err);

#endif
