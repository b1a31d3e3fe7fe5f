/*
 * plan_partners.c - introduction outcomes become the export plan's channel
 * partners (plan_partners.h).
 */
#include "store/plan_partners.h"

#include <stdio.h>
#include <string.h>

#include "store/market.h"
#include "store/store_int.h"

#define PLAN_PARTNERS_MAX 20   /* as h_export_plans.c validates */

/* Adds contact `target` to the markets of `doc` for `market`; 1 when added. */
static int add_partner(json_t *doc, const char *market, json_int_t target)
{
    json_t *m, *v;
    size_t i, k;
    int added = 0;
    json_array_foreach(json_object_get(doc, "markets"), i, m) {
        if (!json_is_string(json_object_get(m, "country")) || strcmp(json_string_value(json_object_get(m, "country")), market))
            continue;
        json_t *ids = json_object_get(m, "channel_partner_contact_ids");
        if (!json_is_array(ids)) {
            ids = json_array();
            json_object_set_new(m, "channel_partner_contact_ids", ids);
        }
        int have = 0;
        json_array_foreach(ids, k, v)
            have |= json_integer_value(v) == target;
        if (have || json_array_size(ids) >= PLAN_PARTNERS_MAX)
            continue;
        json_array_append_new(ids, json_integer(target));
        added = 1;
    }
    return added;
}

/* Links the target to one plan (a row of the plan list) when it fits. */
static int link_plan(struct store *st, const struct tb_actor *a, const json_t *plan, int64_t intro_id,
                     const char *market, json_int_t target, json_int_t target_org, struct tb_err *err)
{
    const char *status = json_string_value(json_object_get(plan, "status"));
    if (json_integer_value(json_object_get(plan, "org_id")) != target_org || (status && !strcmp(status, "closed")))
        return 0;
    json_t *doc = json_deep_copy(json_object_get(plan, "doc"));
    int rc = 0;
    if (doc && add_partner(doc, market, target)) {
        int64_t plan_id = json_integer_value(json_object_get(plan, "id"));
        struct plan_write w = {.title = json_string_value(json_object_get(plan, "title")), .status = status,
                               .doc = doc, .change = "updated"};
        json_t *out = NULL;
        rc = store_export_plan_update(st, a, plan_id, json_integer_value(json_object_get(plan, "version")), &w,
                                      &out, err);
        json_decref(out);
        if (rc == 0) {
            json_t *d = json_pack("{s:{s:I, s:s, s:I}}", "export_plan_partner", "plan_id", (json_int_t)plan_id,
                                  "market", market, "contact_id", target);
            rc = store_audit_add(st, a, target_org, "update", "introduction", intro_id, d, err);
            json_decref(d);
        }
    }
    json_decref(doc);
    return rc;
}

static int link_partners_of(struct store *st, const struct tb_actor *a, int64_t id, const struct intro_outcome *o,
                            struct tb_err *err)
{
    json_t *intro = NULL, *target = NULL;
    if (store_intro_get(st, a, id, &intro, err) < 0)
        return -1;
    json_int_t company = json_integer_value(json_object_get(intro, "company_id"));
    json_int_t target_id = json_integer_value(json_object_get(intro, "target_id"));
    json_decref(intro);
    if (!company)
        return 0;
    if (store_contact_get(st, a, target_id, &target, err) < 0) {
        if (err->status != 404)
            return -1;
        tb_err_clear(err);   /* the asker no longer sees it: nothing to link */
        return 0;
    }
    char market[8] = "", company_s[24];
    const char *country = json_string_value(json_object_get(target, "country"));
    snprintf(market, sizeof market, "%s", o && o->market ? o->market : country ? country : "");
    json_int_t target_org = json_integer_value(json_object_get(target, "org_id"));
    json_decref(target);
    if (!market[0])
        return 0;
    snprintf(company_s, sizeof company_s, "%lld", (long long)company);
    struct list_query q = {.limit = 200, .f1 = company_s};
    struct list_page page = {0};
    int rc = store_export_plan_list(st, a, &q, &page, err);
    json_t *plan;
    size_t i;
    json_array_foreach(page.items, i, plan)
        if (rc == 0)
            rc = link_plan(st, a, plan, id, market, target_id, target_org, err);
    list_page_free(&page);
    return rc;
}

int store_intro_move_with_partners(struct store *st, const struct tb_actor *a, int64_t id, const char *from,
                                   const char *to, const struct intro_outcome *o, const char *by_name,
                                   const char *note, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = store_intro_move(st, a, id, from, to, o, by_name, note, err);
    if (rc == 0 && to && (!strcmp(to, "deal_started") || !strcmp(to, "deal_closed")))
        rc = link_partners_of(st, a, id, o, err);
    return st_tx_end(st, owned, rc, err);
}
