/*
 * export.h - every list view as a file: GET <list>?format=csv|xlsx answers
 * with all pages (same filters, sort and q as the JSON list) as a download.
 * The files are made by src/service/export_service.c; this is the HTTP side.
 */
#ifndef TB_EXPORT_H
#define TB_EXPORT_H

#include "http/http.h"
#include "service/export_service.h"
#include "store/entity.h"

/* ?format= : absent or "json" -> EXPORT_NONE; "csv", "xlsx"; else 400. */
int export_format_of(struct request *r, enum export_format *out, struct tb_err *err);
/* ---- list handlers ---- */
typedef void (*export_decorate_fn)(struct request *r, json_t *row);

/* For entity_list() (entity_http.c): q and filters as the JSON list uses them. */
int export_entity_list(struct request *r, struct response *res, enum export_format fmt, enum entity e,
                       const struct list_query *q, const json_t *filters, export_decorate_fn decorate,
                       struct tb_err *err);

/* For lists shaped like store_user_list / store_audit_list:
 *   if (fmt) return export_store_list(r, res, fmt, "users", store_user_list, &q, err); */
typedef int (*export_store_list_fn)(struct store *st, const struct tb_actor *a,
                                    const struct list_query *q, struct list_page *page,
                                    struct tb_err *err);
int export_store_list(struct request *r, struct response *res, enum export_format fmt,
                      const char *collection, export_store_list_fn list, const struct list_query *q,
                      struct tb_err *err);

/* Rows already built (a report): the whole file as the download. */
int export_send_rows(struct request *r, struct response *res, enum export_format fmt, const char *collection,
                     const json_t *rows, struct tb_err *err);

#endif
