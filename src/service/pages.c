/*
 * pages.c - every page of a store list (pages.h).
 */
#include "service/pages.h"

#include <stdlib.h>
#include <string.h>

int service_all_pages(list_page_fn fetch, void *ctx, const struct list_query *q0, json_t **out,
                      struct tb_err *err)
{
    struct list_query q = {.limit = 200};
    if (q0) {
        q = *q0;
        q.limit = 200;
    }
    char *cursor = NULL;
    json_t *all = json_array();
    *out = NULL;
    if (!all)
        return TB_INTERNAL(err, "out of memory");
    do {
        struct list_page page = {0};
        q.cursor = cursor;
        int rc = fetch(ctx, &q, &page, err);
        free(cursor);
        cursor = NULL;
        if (rc == 0 && json_array_extend(all, page.items) < 0)
            rc = TB_INTERNAL(err, "out of memory");
        if (rc == 0 && page.next_cursor && !(cursor = strdup(page.next_cursor)))
            rc = TB_INTERNAL(err, "out of memory");
        list_page_free(&page);
        if (rc < 0) {
            json_decref(all);
            return -1;
        }
    } while (cursor);
    *out = all;
    return 0;
}

struct entity_pages {
    struct store *st;
    const struct tb_actor *a;
    enum entity e;
    const json_t *filters;
};

static int entity_page(void *ctx, const struct list_query *q, struct list_page *page, struct tb_err *err)
{
    const struct entity_pages *c = ctx;
    return store_entity_list(c->st, c->a, c->e, q, c->filters, page, err);
}

int service_all_entities(struct store *st, const struct tb_actor *a, enum entity e, const json_t *filters,
                         json_t **out, struct tb_err *err)
{
    struct entity_pages c = {st, a, e, filters};
    return service_all_pages(entity_page, &c, NULL, out, err);
}
