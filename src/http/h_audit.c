/*
 * h_audit.c - the audit log: who changed what, when, old and new values.
 */
#include <stdlib.h>
#include <string.h>

#include "http/export.h"
#include "http/handlers.h"

int h_audit_list(struct request *r, struct response *res, struct tb_err *err)
{
    struct list_query q;
    struct list_page page;
    if (req_list_query(r, &q, "entity", "action", "user_id", err) < 0)
        return -1;
    /* entity_id shares the q slot: the audit log has no free-text search. */
    const char *entity_id = req_query(r, "entity_id");
    char *end;
    if (entity_id && (strtoll(entity_id, &end, 10) <= 0 || *end))
        return TB_INVALID(err, "entity_id", "entity_id: expected a positive whole number");
    if (q.f3 && (strtoll(q.f3, &end, 10) <= 0 || *end))
        return TB_INVALID(err, "user_id", "user_id: expected a positive whole number");
    if (q.f2 && strcmp(q.f2, "create") && strcmp(q.f2, "update") && strcmp(q.f2, "delete"))
        return TB_INVALID(err, "action", "action: must be one of create, update, delete");
    q.q = entity_id;
    enum export_format fmt;
    if (export_format_of(r, &fmt, err) < 0)
        return -1;
    if (fmt)
        return export_store_list(r, res, fmt, "audit", store_audit_list, &q, err);
    if (store_audit_list(r->store, &r->actor, &q, &page, err) < 0)
        return -1;
    return respond_page(res, &page);
}
