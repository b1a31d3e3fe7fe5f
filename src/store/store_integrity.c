/*
 * store_integrity.c - the coordinator's allowance for a placed trainee to
 * apply elsewhere (statements in stmts_integrity.inc).
 */
#include "store/store_integrity.h"


#include "store/store_int.h"

int store_allowance_set(struct store *st, const struct tb_actor *a, int64_t org_id, int64_t placement_id,
                        const char *reason, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    struct st_q *s = st_stmt(st, reason ? STMT_ALLOWANCE_PUT : STMT_ALLOWANCE_DELETE, a, err);
    int rc = -1;
    if (s) {
        st_bind_i64(st, s, ":placement_id", placement_id);
        if (reason) {
            st_bind_i64(st, s, ":org_id", org_id);
            st_bind_text(st, s, ":reason", reason);
        }
        rc = st_step_done(st, s, "allowance", err);
    }
    if (rc == 0) {
        json_t *d = reason ? json_pack("{s:{s:s}, s:{s:s}}", "applications_elsewhere", "new", "allowed",
                                       "allowance_reason", "new", reason)
                           : json_pack("{s:{s:s}}", "applications_elsewhere", "new", "not allowed");
        rc = d ? store_audit_add(st, a, org_id, "update", "placement", placement_id, d, err)
               : TB_INTERNAL(err, "out of memory");
        json_decref(d);
    }
    return st_tx_end(st, owned, rc, err);
}

int store_allowance_get(struct store *st, const struct tb_actor *a, int64_t placement_id, json_t **out,
                        struct tb_err *err)
{
    json_t *rows;
    struct st_q *s = st_stmt(st, STMT_ALLOWANCE_GET, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":placement_id", placement_id);
    if (st_rows(st, s, &rows, err) < 0)
        return -1;
    json_t *first = json_array_get(rows, 0);
    *out = first ? json_incref(first) : json_null();
    json_decref(rows);
    return 0;
}

int store_placed_unallowed(struct store *st, const struct tb_actor *a, int64_t graduate_id, int64_t *placement_id,
                           struct tb_err *err)
{
    json_t *rows;
    *placement_id = 0;
    struct st_q *s = st_stmt(st, STMT_PLACED_UNALLOWED, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":graduate_id", graduate_id);
    if (st_rows(st, s, &rows, err) < 0)
        return -1;
    *placement_id = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
    json_decref(rows);
    return 0;
}
