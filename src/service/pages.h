/*
 * pages.h - every page of a keyset-paginated store list, for the workflows
 * and commands that need a whole list (src/service/pages.c).
 */
#ifndef TB_SERVICE_PAGES_H
#define TB_SERVICE_PAGES_H

#include <jansson.h>

#include "core/error.h"
#include "store/entity.h"
#include "store/store.h"

/* One page of a list (q carries the cursor): the caller's store call. */
typedef int (*list_page_fn)(void *ctx, const struct list_query *q, struct list_page *page, struct tb_err *err);

/* Every page from the first, with q's filters and sort (q may be NULL),
 * as one JSON array in *out. */
int service_all_pages(list_page_fn fetch, void *ctx, const struct list_query *q, json_t **out,
                      struct tb_err *err);

/* The same for store_entity_list with filters. */
int service_all_entities(struct store *st, const struct tb_actor *a, enum entity e, const json_t *filters,
                         json_t **out, struct tb_err *err);

#endif
