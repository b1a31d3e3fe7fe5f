/*
 * impact_evidence.c - see impact_evidence.h; statements in
 * stmts_impact_evidence_sqlite.inc.
 */
#include "store/impact_evidence.h"

#include "store/shared_int.h"

int store_impact_sales_put(struct store *st, const struct tb_actor *a, const json_t *row, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_IMPACT_SALES_PUT, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":company_id", json_integer_value(json_object_get(row, "company_id")));
    st_bind_text(st, s, ":registration_number", json_string_value(json_object_get(row, "registration_number")));
    st_bind_text(st, s, ":market", json_string_value(json_object_get(row, "market")));
    st_bind_i64(st, s, ":year", json_integer_value(json_object_get(row, "year")));
    st_bind_text(st, s, ":currency", json_string_value(json_object_get(row, "currency")));
    st_bind_i64(st, s, ":amount_minor", json_integer_value(json_object_get(row, "amount_minor")));
    if (st_step_done(st, s, "export sales", err) < 0)
        return -1;
    return st_changes(st) == 1 ? 0 : TB_NOT_FOUND(err, "company not found");
}

static int org_rows(struct store *st, const struct tb_actor *a, enum stmt id, int64_t org_id, json_t **out,
                    struct tb_err *err)
{
    struct st_q *s = st_stmt(st, id, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    return st_rows(st, s, out, err);
}

int store_impact_sales_years(struct store *st, const struct tb_actor *a, int64_t org_id, json_t **out,
                             struct tb_err *err)
{
    return org_rows(st, a, STMT_IMPACT_SALES_YEARS, org_id, out, err);
}

int store_impact_training(struct store *st, const struct tb_actor *a, int64_t org_id, json_t **out,
                          struct tb_err *err)
{
    return org_rows(st, a, STMT_IMPACT_TRAINING, org_id, out, err);
}

int store_impact_introductions(struct store *st, const struct tb_actor *a, int64_t org_id, json_t **out,
                               struct tb_err *err)
{
    return org_rows(st, a, STMT_IMPACT_INTRODUCTIONS, org_id, out, err);
}
