/*
 * entity_http.h - the shared shape of the programme's resource handlers:
 * list with documented filters, read with ETag, create with Location,
 * versioned update, delete refused while referenced.
 */
#ifndef TB_ENTITY_HTTP_H
#define TB_ENTITY_HTTP_H

#include "http/http.h"
#include "store/entity.h"

/* Decorates a record before it is sent (computed fields); may be NULL. */
typedef void (*entity_decorate_fn)(struct request *r, json_t *record);

int entity_list(struct request *r, struct response *res, enum entity e, entity_decorate_fn decorate,
                struct tb_err *err);
/* Reads the record named by the path's first {id}; the caller owns *out. */
int entity_load(struct request *r, enum entity e, json_t **out, struct tb_err *err);
int entity_reply(struct request *r, struct response *res, int status, json_t *record);
/* GET of one record (r->ids[0]) answered from its row without a JSON tree:
 * the answer entity_load + decorate + entity_reply give, byte for byte,
 * when x computes what decorate adds (x NULL: no decoration). */
int entity_get_answer(struct request *r, struct response *res, enum entity e, const struct row_member *x,
                      struct tb_err *err);
/* entity_list with the JSON page written from the rows (x as above); decorate
 * still serves the exports (?format=csv|xlsx). entity_list is this with x
 * NULL: the rows are written as text when there is no decorate either. */
int entity_list_with(struct request *r, struct response *res, enum entity e, entity_decorate_fn decorate,
                     const struct row_member *x, struct tb_err *err);
/* The answer to a service call `rc` (0 or -1) that made *record: 200 and the
 * record, or the error. For `return entity_answer(r, res, svc(..., &out, err), &out);`. */
int entity_answer(struct request *r, struct response *res, int rc, json_t **record);
/* The same for a new record: 201, its Location /api/v1/<collection>/<*id>. */
int entity_created(struct request *r, struct response *res, int rc, const char *collection, const int64_t *id,
                   json_t **record);
int entity_create(struct request *r, struct response *res, enum entity e, const json_t *fields,
                  const char *collection, entity_decorate_fn decorate, struct tb_err *err);
/* changes: the body minus "version" unless given. */
int entity_update(struct request *r, struct response *res, enum entity e, const json_t *changes,
                  entity_decorate_fn decorate, struct tb_err *err);
int entity_delete(struct request *r, struct response *res, enum entity e, struct tb_err *err);

int is_staff(const struct request *r);
/* The operator a request acts for: ?org_id= (any the actor may see), else the
 * actor's own; the foundation must name one. */
int req_operator(struct request *r, int64_t *org, struct tb_err *err);

#endif
