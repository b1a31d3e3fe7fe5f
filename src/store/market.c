/*
 * market.c - market selection's store functions (store/market.h). Every
 * statement binds the actor's tenant; export plans also the row scope of the
 * actor's role (a company its own plans, a trainee their placement's).
 */
#include "store/market.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/market/fx.h"
#include "store/shared_int.h"

int store_trade_settings_get(struct store *st, const struct tb_actor *a, int64_t org_id,
                             json_t **out, struct tb_err *err)
{
    return st_settings_get(st, a, STMT_TRADE_SETTINGS_GET, org_id, out, err);
}

int store_trade_settings_put(struct store *st, const struct tb_actor *a, int64_t org_id,
                             const json_t *weights, struct tb_err *err)
{
    return st_settings_put(st, a, STMT_TRADE_SETTINGS_GET, STMT_TRADE_SETTINGS_PUT, "trade_settings",
                           org_id, weights, err);
}

/* ---- tariffs entered by a person ---- */

static void bind_tariff_key(struct store *st, struct st_q *s, int64_t org_id, const json_t *t)
{
    const char *origin = json_string_value(json_object_get(t, "origin"));
    st_bind_i64(st, s, ":org_id", org_id);
    st_bind_opt_i64(st, s, ":company_id", json_integer_value(json_object_get(t, "company_id")));
    st_bind_text(st, s, ":market", json_string_value(json_object_get(t, "market")));
    st_bind_text(st, s, ":origin", origin ? origin : "");
    st_bind_text(st, s, ":product", json_string_value(json_object_get(t, "product")));
}

int store_tariff_set(struct store *st, const struct tb_actor *a, int64_t org_id, const json_t *t,
                     int64_t *id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    struct st_q *s = st_stmt(st, STMT_TARIFF_DELETE_KEY, a, err);
    if (!s)
        goto out;
    bind_tariff_key(st, s, org_id, t);
    if (st_step_done(st, s, "tariff", err) < 0 || !(s = st_stmt(st, STMT_TARIFF_INSERT, a, err)))
        goto out;
    bind_tariff_key(st, s, org_id, t);
    json_t *ref = json_object_get(t, "reference_pct"), *el = json_object_get(t, "elasticity");
    st_bind_double(st, s, ":rate_pct", json_number_value(json_object_get(t, "rate_pct")));
    st_bind_double(st, s, ":reference_pct", json_is_number(ref) ? json_number_value(ref) : NAN);
    st_bind_double(st, s, ":elasticity", json_is_number(el) ? json_number_value(el) : 4.0);
    st_bind_text(st, s, ":source", json_string_value(json_object_get(t, "source")));
    st_bind_text(st, s, ":as_of", json_string_value(json_object_get(t, "as_of")));
    if (st_step_done(st, s, "tariff", err) < 0)
        goto out;
    if (st_changes(st) != 1) {
        tb_error(err, TB_E_NOT_FOUND, "company_id", "company_id: no such company of the operator");
        goto out;
    }
    *id = st_last_id(st);
    json_t *d = json_pack("{s:{s:O}}", "tariff", "new", t);
    rc = store_audit_add(st, a, org_id, "update", "trade_tariff", *id, d, err);
    json_decref(d);
out:
    return st_tx_end(st, owned, rc, err);
}

int store_tariff_list(struct store *st, const struct tb_actor *a, int64_t org_id, int64_t company_id, int every,
                      json_t **out, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_TARIFF_LIST, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    st_bind_opt_i64(st, s, ":company_id", company_id);
    st_bind_i64(st, s, ":every", every);
    return st_rows(st, s, out, err);
}

int store_tariff_delete(struct store *st, const struct tb_actor *a, int64_t org_id, int64_t id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    struct st_q *s = st_stmt(st, STMT_TARIFF_DELETE, a, err);
    int rc = -1;
    if (s) {
        st_bind_i64(st, s, ":id", id);
        rc = st_step_done(st, s, "tariff", err);
        if (rc == 0 && st_changes(st) != 1)
            rc = TB_NOT_FOUND(err, "tariff not found");
        if (rc == 0)
            rc = store_audit_add(st, a, org_id, "delete", "trade_tariff", id, NULL, err);
    }
    return st_tx_end(st, owned, rc, err);
}

/* ---- export plans ---- */

static void decode_doc(json_t *row)
{
    json_t *v = json_object_get(row, "doc");
    if (json_is_string(v))
        json_object_set_new(row, "doc", json_loads(json_string_value(v), 0, NULL));
}

static int plan_read(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                     struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_XPLAN_GET, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":id", id);
    if (st_get_one(st, s, "export plan", out, err) < 0)
        return -1;
    decode_doc(*out);
    return 0;
}

/* Whether some market of the stored document links contact `id`. */
static int was_linked(const json_t *old_doc, json_int_t id)
{
    json_t *m, *v;
    size_t i, k;
    json_array_foreach(json_object_get(old_doc, "markets"), i, m)
        json_array_foreach(json_object_get(m, "channel_partner_contact_ids"), k, v)
            if (json_integer_value(v) == id)
                return 1;
    return 0;
}

/* Channel partners from the network directory: every market's
 * "channel_partner_contact_ids" must name contacts of the plan's operator
 * (org_id); their name and organisation are kept in the version as
 * "channel_partner_contacts" (what the plan, its PDF and XLSX show). A new
 * link to a contact of another operator, or to none, is refused naming the
 * field (422); one the stored version already had whose contact has since
 * been removed is dropped, so that actuals can still be entered.
 * *doc: a copy of `in` (the caller frees it). */
static int link_partners(struct store *st, const struct tb_actor *a, int64_t org_id, const json_t *in,
                         const json_t *old_doc, json_t **doc, struct tb_err *err)
{
    *doc = json_deep_copy(in);
    json_t *markets = json_object_get(*doc, "markets"), *m, *id;
    size_t i, k;
    json_array_foreach(markets, i, m) {
        json_t *ids = json_object_get(m, "channel_partner_contact_ids"), *linked = json_array();
        json_object_del(m, "channel_partner_contacts");   /* a client's copy is replaced */
        if (!json_array_size(ids)) {   /* free text only: nothing to show (nor to diff) */
            json_decref(linked);
            continue;
        }
        json_object_set_new(m, "channel_partner_contacts", linked);
        for (k = 0; k < json_array_size(ids); k++) {
            id = json_array_get(ids, k);
            struct st_q *s = st_stmt(st, STMT_XPLAN_PARTNER_CONTACT, a, err);
            if (!s)
                return -1;
            st_bind_i64(st, s, ":id", json_integer_value(id));
            st_bind_i64(st, s, ":org_id", org_id);
            json_t *c = NULL;
            if (st_get_one(st, s, "contact", &c, err) == 0) {
                json_array_append_new(linked, c);
                continue;
            }
            if (err->status != 404)
                return -1;
            tb_err_clear(err);
            if (was_linked(old_doc, json_integer_value(id))) {
                json_array_remove(ids, k--);
                continue;
            }
            char field[96];
            snprintf(field, sizeof field, "markets[%u].channel_partner_contact_ids[%u]", (unsigned)(i % 1000),
                     (unsigned)(k % 1000));   /* both at most 30 (validated) */
            return tb_error(err, TB_E_UNPROCESSABLE, field, "%s: no contact %lld in this operator's network "
                            "directory", field, (long long)json_integer_value(id));
        }
    }
    return 0;
}

static void bind_write(struct store *st, struct st_q *s, const struct plan_write *w, const json_t *doc)
{
    st_bind_text(st, s, ":title", w->title);
    st_bind_text(st, s, ":status", w->status);
    char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    st_bind_text(st, s, ":doc", text);
    free(text);
}

/* The version just written, kept whole, and the audit entry. */
static int plan_record(struct store *st, const struct tb_actor *a, int64_t org_id, int64_t id,
                       const char *change, json_t *audit, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_XPLAN_VERSION_INSERT, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":id", id);
    st_bind_text(st, s, ":change", change);
    if (st_step_done(st, s, "export plan version", err) < 0)
        return -1;
    if (st_changes(st) != 1)
        return TB_NOT_FOUND(err, "export plan not found");
    return store_audit_add(st, a, org_id, !strcmp(change, "created") ? "create" : "update",
                           "export_plan", id, audit, err);
}

int store_export_plan_create(struct store *st, const struct tb_actor *a, const struct plan_write *w,
                      int64_t *id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    json_t *doc = NULL;
    struct st_q *s = link_partners(st, a, w->org_id, w->doc, NULL, &doc, err) < 0 ? NULL : st_stmt(st, STMT_XPLAN_INSERT, a, err);
    int rc = -1;
    if (s) {
        st_bind_i64(st, s, ":org_id", w->org_id);
        st_bind_i64(st, s, ":company_id", w->company_id);
        st_bind_opt_i64(st, s, ":placement_id", w->placement_id);
        bind_write(st, s, w, doc);
        rc = st_step_done(st, s, "export plan", err);
        if (rc == 0 && st_changes(st) != 1)
            rc = TB_NOT_FOUND(err, "organization not found");
    }
    if (rc == 0) {
        *id = st_last_id(st);
        json_t *d = json_pack("{s:{s:s}, s:{s:s}}", "title", "new", w->title, "status", "new", w->status);
        rc = plan_record(st, a, w->org_id, *id, "created", d, err);
        json_decref(d);
    }
    json_decref(doc);
    return st_tx_end(st, owned, rc, err);
}

int store_export_plan_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                   struct tb_err *err)
{
    return plan_read(st, a, id, out, err);
}

int store_export_plan_list(struct store *st, const struct tb_actor *a, const struct list_query *q,
                    struct list_page *page, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_XPLAN_LIST, a, err);
    if (!s)
        return -1;
    st_bind_q(st, s, q->q);
    long long c = 0;
    if (q->f1) {
        char *end;
        c = strtoll(q->f1, &end, 10);
        if (*end || c <= 0)
            return TB_INVALID(err, "company_id", "company_id: expected a company id");
    }
    st_bind_opt_i64(st, s, ":f_company_id", c);   /* none: NULL, no filter */
    st_bind_text(st, s, ":f_status", q->f2);
    if (st_list_run(st, s, q, NULL, 0, page, err) < 0)
        return -1;
    size_t i;
    json_t *row;
    json_array_foreach(page->items, i, row)
        decode_doc(row);
    return 0;
}

int store_export_plan_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                      const struct plan_write *w, json_t **out, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    json_t *old = NULL, *doc = NULL;
    int rc = plan_read(st, a, id, &old, err);
    if (rc == 0)
        rc = st_version_mismatch(old, version, err);
    if (rc == 0)
        rc = link_partners(st, a, json_integer_value(json_object_get(old, "org_id")), w->doc,
                           json_object_get(old, "doc"), &doc, err);
    struct st_q *s = rc == 0 ? st_stmt(st, STMT_XPLAN_UPDATE, a, err) : NULL;
    if (rc == 0 && !s)
        rc = -1;
    if (s) {
        st_bind_i64(st, s, ":id", id);
        st_bind_i64(st, s, ":version", json_integer_value(json_object_get(old, "version")));
        bind_write(st, s, w, doc);
        rc = st_step_done(st, s, "export plan", err);
        if (rc == 0 && st_changes(st) != 1)
            rc = st_version_mismatch(old, -1, err);
    }
    if (rc == 0) {
        json_t *now = json_pack("{s:s, s:s, s:O}", "title", w->title, "status", w->status, "doc", doc);
        json_t *d = st_diff(old, now);
        json_decref(now);
        rc = plan_record(st, a, json_integer_value(json_object_get(old, "org_id")), id, w->change, d, err);
        json_decref(d);
    }
    json_decref(old);
    json_decref(doc);
    if (rc == 0)
        rc = plan_read(st, a, id, out, err);
    return st_tx_end(st, owned, rc, err);
}

int store_export_plan_counts(struct store *st, const struct tb_actor *a, json_t **out, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_XPLAN_COUNTS, a, err);
    if (!s)
        return -1;
    json_t *o = json_pack("{s:i, s:i, s:i, s:i}", "draft", 0, "active", 0, "under_review", 0, "closed", 0);
    int rc;
    while ((rc = st_step(st, s)) == ST_ROW)
        json_object_set_new(o, st_col_text(s, 0), json_integer(st_col_i64(s, 1)));
    st_reset(s);
    if (rc != ST_DONE) {
        json_decref(o);
        return st_db_fail(st, err, "export plans");
    }
    *out = o;
    return 0;
}

int store_export_plan_versions(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                        struct tb_err *err)
{
    json_t *plan;
    if (plan_read(st, a, id, &plan, err) < 0)
        return -1;
    json_decref(plan);
    struct st_q *s = st_stmt(st, STMT_XPLAN_VERSIONS, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":id", id);
    return st_rows(st, s, out, err);
}

int store_export_plan_version_get(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                           json_t **out, struct tb_err *err)
{
    json_t *plan;
    if (plan_read(st, a, id, &plan, err) < 0)
        return -1;
    json_decref(plan);
    struct st_q *s = st_stmt(st, STMT_XPLAN_VERSION_GET, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":id", id);
    st_bind_i64(st, s, ":version", version);
    if (st_get_one(st, s, "export plan version", out, err) < 0)
        return -1;
    decode_doc(*out);
    return 0;
}

/* ---- ECB reference rates ---- */

int store_fx_put(struct store *st, const struct fx_table *t, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = 0;
    for (int i = 0; rc == 0 && i < t->n_days; i++) {
        char day[11];
        fx_day_text(t->day[i], day);
        for (int c = 0; rc == 0 && c < t->n_cur; c++) {
            double v = t->rate[(size_t)i * FX_MAX_CURRENCIES + c];
            if (isnan(v))
                continue;
            struct st_q *s = st_stmt(st, STMT_FX_PUT, NULL, err);
            if (!s) {
                rc = -1;
                break;
            }
            st_bind_text(st, s, ":currency", t->cur[c]);
            st_bind_text(st, s, ":day", day);
            st_bind_double(st, s, ":rate", v);
            rc = st_step_done(st, s, "exchange rates", err);
        }
    }
    return st_tx_end(st, owned, rc, err);
}

int store_fx_load(struct store *st, const json_t *currencies, struct fx_table *t, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_FX_LOAD, NULL, err);
    if (!s)
        return -1;
    char *list = json_dumps(currencies, JSON_COMPACT);
    st_bind_text(st, s, ":currencies", list);
    free(list);
    int rc;
    while ((rc = st_step(st, s)) == ST_ROW) {
        int32_t day;
        if (fx_day(st_col_text(s, 1), &day) < 0 ||
            fx_set(t, day, st_col_text(s, 0), st_col_double(s, 2), err) < 0) {
            st_reset(s);
            return err->status ? -1 : TB_INTERNAL(err, "a stored exchange rate has a bad date");
        }
    }
    st_reset(s);
    return rc == ST_DONE ? 0 : st_db_fail(st, err, "exchange rates");
}

int store_fx_summary(struct store *st, json_t **out, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_FX_SUMMARY, NULL, err);
    if (!s)
        return -1;
    int rc = st_step(st, s);
    if (rc == ST_ROW)
        *out = json_pack("{s:I, s:I, s:s?, s:s?}", "currencies", (json_int_t)st_col_i64(s, 0), "days",
                         (json_int_t)st_col_i64(s, 1), "first", st_col_text(s, 2),
                         "last", st_col_text(s, 3));
    st_reset(s);
    return rc == ST_ROW ? 0 : st_db_fail(st, err, "exchange rates");
}
