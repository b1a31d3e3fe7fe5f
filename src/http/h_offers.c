/*
 * h_offers.c - the trade network's offers board (issue 15):
 *   GET/POST /api/v1/offers (?open=1 &kind= &country= &hs= &before= &limit=),
 *   GET/PUT /api/v1/offers/{id}, GET /api/v1/offers/{id}/matches,
 *   POST /api/v1/offers/{id}/interest.
 * Staff post for their operator (or one of its companies), a company manager
 * for their company; shared offers are seen by every operator. Matches are
 * the operator's companies and the visible contacts, scored with reasons; a
 * company's interest starts an introduction when the offer names who seeks
 * and who introduces.
 */
#include <stdlib.h>
#include <string.h>

#include "core/network/offers.h"
#include "http/entity_http.h"
#include "http/handlers.h"
#include "service/offers_service.h"
#include "store/network.h"

static int reply_offer(struct request *r, struct response *res, int status, int64_t id, struct tb_err *err)
{
    json_t *o, *interests;
    if (store_offer_get(r->store, &r->actor, id, &o, err) < 0)
        return -1;
    if (store_offer_interests(r->store, &r->actor, id, &interests, err) < 0) {
        json_decref(o);
        return -1;
    }
    json_object_set_new(o, "interest_list", interests);
    if (status == 201)
        res->location = arena_printf(r->arena, "/api/v1/offers/%lld", (long long)id);
    return entity_reply(r, res, status, o);
}

static int int_query(struct request *r, const char *name, long long lo, long long hi, long long dflt, long long *out,
                     struct tb_err *err)
{
    const char *s = req_query(r, name);
    char *end;
    long long v = s && *s ? strtoll(s, &end, 10) : dflt;
    if (s && *s && (*end || v < lo || v > hi))
        return TB_INVALID(err, name, "%s: expected a number from %lld to %lld", name, lo, hi);
    *out = v;
    return 0;
}

int h_offer_list(struct request *r, struct response *res, struct tb_err *err)
{
    long long limit, before, open;
    if (int_query(r, "limit", 1, 200, 50, &limit, err) < 0 || int_query(r, "before", 0, INT64_MAX, 0, &before, err) < 0 ||
        int_query(r, "open", 0, 1, 0, &open, err) < 0)
        return -1;
    json_t *f = json_pack("{s:b}", "open", (int)open), *items;
    static const char *const names[] = {"kind", "country", "hs", NULL};
    for (int i = 0; names[i]; i++) {
        const char *v = req_query(r, names[i]);
        if (v && *v)
            json_object_set_new(f, names[i], json_string(v));
    }
    const char *kind = json_string_value(json_object_get(f, "kind"));
    int known = !kind;
    for (int i = 0; kind && offer_kinds[i]; i++)
        known |= !strcmp(kind, offer_kinds[i]);
    const char *hs = json_string_value(json_object_get(f, "hs"));
    int rc = !known ? TB_INVALID(err, "kind", "kind: not a kind of offer")
             : hs && (strlen(hs) < 2 || strlen(hs) > 6 || strspn(hs, "0123456789") != strlen(hs))
                 ? TB_INVALID(err, "hs", "hs: 2 to 6 digits")
                 : store_offer_list(r->store, &r->actor, f, before, (int)limit, &items, err);
    json_decref(f);
    return rc < 0 ? -1 : respond_json(res, 200, json_pack("{s:o}", "items", items));
}

int h_offer_get(struct request *r, struct response *res, struct tb_err *err)
{
    return reply_offer(r, res, 200, r->ids[0], err);
}

int h_offer_create(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *o = json_deep_copy(r->body);
    json_int_t org = json_integer_value(json_object_get(o, "org_id"));
    if (!r->actor.all_tenants) {
        if (org && org != r->actor.tenant_id) {
            json_decref(o);
            return TB_NOT_FOUND(err, "organization not found");
        }
        org = r->actor.tenant_id;
    } else if (!org) {
        int64_t f;
        if (store_org_foundation_id(r->store, &f, err) < 0) {
            json_decref(o);
            return -1;
        }
        org = f;
    }
    json_object_set_new(o, "org_id", json_integer(org));
    if (!is_staff(r) && !r->actor.all_tenants)   /* a company manager posts for their company */
        json_object_set_new(o, "company_id", json_integer(r->actor.subject_id));
    int64_t id = 0;
    int rc = offers_create(r->store, &r->actor, o, &id, err);
    json_decref(o);
    return rc < 0 ? -1 : reply_offer(r, res, 201, id, err);
}

int h_offer_update(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t version;
    if (req_version(r, &version, err) < 0)
        return -1;
    if (offers_update(r->store, &r->actor, r->ids[0], version, r->body, err) < 0)
        return -1;
    return reply_offer(r, res, 200, r->ids[0], err);
}

int h_offer_matches(struct request *r, struct response *res, struct tb_err *err)
{
    long long limit;
    json_t *out;
    if (int_query(r, "limit", 1, 100, 20, &limit, err) < 0 ||
        offers_matches(r->store, &r->actor, r->ids[0], (int)limit, &out, err) < 0)
        return -1;
    return respond_json(res, 200, out);
}

int h_offer_interest(struct request *r, struct response *res, struct tb_err *err)
{
    json_int_t company = json_integer_value(json_object_get(r->body, "company_id"));
    if (!is_staff(r) && !r->actor.all_tenants)
        company = r->actor.subject_id;
    if (!company)
        return TB_INVALID(err, "company_id", "company_id: which company is interested");
    json_t *out = NULL;
    if (offers_interest(r->store, &r->actor, r->ids[0], company, json_string_value(json_object_get(r->body, "message")),
                        net_my_name(r), r->cfg->public_url, &out, err) < 0)
        return -1;
    http_mail_wake();
    return respond_json(res, 201, out);
}
