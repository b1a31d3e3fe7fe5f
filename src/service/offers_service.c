/*
 * offers_service.c - the offers board's use cases (offers_service.h).
 */
#include "service/offers_service.h"

#include <stdlib.h>
#include <string.h>

#include "core/network/offers.h"
#include "service/network_service.h"
#include "store/network.h"

static int by_score(const void *x, const void *y)
{
    const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    json_int_t sa = json_integer_value(json_object_get(a, "score")), sb = json_integer_value(json_object_get(b, "score"));
    if (sa != sb)
        return sa < sb ? 1 : -1;
    json_int_t ia = json_integer_value(json_object_get(a, "id")), ib = json_integer_value(json_object_get(b, "id"));
    return ia < ib ? -1 : ia > ib;
}

/* Scores every row, keeps the `limit` best that fit (not the skipped ids). */
static json_t *ranked(const json_t *offer, json_t *rows, int companies, const json_int_t *skip, int limit)
{
    size_t n = json_array_size(rows), kept = 0;
    json_t **all = calloc(n ? n : 1, sizeof *all);
    for (size_t i = 0; all && i < n; i++) {
        json_t *row = json_array_get(rows, i);
        json_int_t id = json_integer_value(json_object_get(row, "id"));
        if (id == skip[0] || id == skip[1])
            continue;
        struct offer_candidate c = {
            .hs = json_object_get(row, "hs"),
            .markets = json_object_get(row, companies ? "target_markets" : "markets"),
            .markets2 = companies ? json_object_get(row, "export_markets") : NULL,
            .country = json_string_value(json_object_get(row, "country")),
            .nace = json_string_value(json_object_get(row, "nace"))};
        json_t *reasons = json_array();
        int score = offer_score(offer, &c, reasons);
        if (!score) {
            json_decref(reasons);
            continue;
        }
        json_t *item = json_pack("{s:I, s:O, s:O?, s:i, s:o}", "id", id, "name", json_object_get(row, "name"),
                                 "country", json_object_get(row, "country"), "score", score, "reasons", reasons);
        if (!companies) {
            json_object_set(item, "organisation", json_object_get(row, "organisation"));
            json_object_set(item, "category", json_object_get(row, "category"));
        }
        all[kept++] = item;
    }
    json_t *out = json_array();
    if (all) {
        qsort(all, kept, sizeof *all, by_score);
        for (size_t i = 0; i < kept; i++) {
            if ((int)i < limit)
                json_array_append(out, all[i]);
            json_decref(all[i]);
        }
    }
    free(all);
    return out;
}

int offers_matches(struct store *st, const struct tb_actor *a, int64_t id, int limit, json_t **out,
                   struct tb_err *err)
{
    json_t *offer, *companies, *contacts;
    if (store_offer_get(st, a, id, &offer, err) < 0)
        return -1;
    if (store_offer_candidates(st, a, offer, &companies, &contacts, err) < 0) {
        json_decref(offer);
        return -1;
    }
    json_int_t own[2] = {json_integer_value(json_object_get(offer, "company_id")), -1};
    json_int_t people[2] = {json_integer_value(json_object_get(offer, "contact_id")),
                            json_integer_value(json_object_get(offer, "introducer_id"))};
    *out = json_pack("{s:o, s:o}", "companies", ranked(offer, companies, 1, own, limit), "contacts",
                     ranked(offer, contacts, 0, people, limit));
    json_decref(offer);
    json_decref(companies);
    json_decref(contacts);
    return 0;
}

int offers_interest(struct store *st, const struct tb_actor *a, int64_t id, int64_t company_id, const char *message,
                    const char *asker_name, const char *public_url, json_t **out, struct tb_err *err)
{
    int64_t interest, intro = 0;
    int approval = 0;
    json_t *offer;
    if (store_offer_interest(st, a, id, company_id, message, &interest, err) < 0 ||
        store_offer_get(st, a, id, &offer, err) < 0)
        return -1;
    int64_t target = json_integer_value(json_object_get(offer, "contact_id"));
    int64_t introducer = json_integer_value(json_object_get(offer, "introducer_id"));
    int rc = 0;
    if (target && introducer) {
        char purpose[300];
        snprintf(purpose, sizeof purpose, "Offer: %.280s", json_string_value(json_object_get(offer, "title")));
        struct intro_write w = {.org_id = a->tenant_id, .company_id = company_id, .introducer_id = introducer,
                                .target_id = target, .asker_name = asker_name, .purpose = purpose,
                                .message = message};
        rc = store_intro_create(st, a, &w, &intro, &approval, err);
        if (rc == 0)
            rc = store_offer_interest_intro(st, a, interest, intro, err);
        if (rc == 0 && !approval) {
            json_t *v = NULL;
            rc = store_intro_get(st, a, intro, &v, err);
            if (rc == 0)
                rc = network_intro_send_link(st, a, v, public_url, 0, err);
            json_decref(v);
        }
    }
    json_decref(offer);
    if (rc < 0)
        return -1;
    *out = json_pack("{s:I, s:o, s:b}", "interest_id", (json_int_t)interest, "introduction_id",
                     intro ? json_integer(intro) : json_null(), "approval", approval);
    return 0;
}
