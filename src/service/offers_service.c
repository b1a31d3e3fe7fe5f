/*
 * offers_service.c - the offers board's use cases (offers_service.h).
 */
#include "service/offers_service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
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

struct interest_unit {
    const struct tb_actor *a;
    int64_t id, company_id;
    const char *message, *asker_name, *public_url;
    json_t *out;
};

static int interest_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct interest_unit *u = ctx;
    const struct tb_actor *a = u->a;
    int64_t interest, intro = 0;
    int approval = 0;
    json_t *offer;
    if (store_offer_interest(st, a, u->id, u->company_id, u->message, &interest, err) < 0 ||
        store_offer_get(st, a, u->id, &offer, err) < 0)
        return -1;
    int64_t target = json_integer_value(json_object_get(offer, "contact_id"));
    int64_t introducer = json_integer_value(json_object_get(offer, "introducer_id"));
    int rc = 0;
    if (target && introducer) {
        char purpose[300];
        snprintf(purpose, sizeof purpose, "Offer: %.280s", json_string_value(json_object_get(offer, "title")));
        struct intro_write w = {.org_id = a->tenant_id, .company_id = u->company_id, .introducer_id = introducer,
                                .target_id = target, .asker_name = u->asker_name, .purpose = purpose,
                                .message = u->message};
        rc = store_intro_create(st, a, &w, &intro, &approval, err);
        if (rc == 0)
            rc = store_offer_interest_intro(st, a, interest, intro, err);
        if (rc == 0 && !approval) {
            json_t *v = NULL;
            rc = store_intro_get(st, a, intro, &v, err);
            if (rc == 0)
                rc = network_intro_send_link(st, a, v, u->public_url, 0, err);
            json_decref(v);
        }
    }
    json_decref(offer);
    if (rc < 0)
        return -1;
    json_decref(u->out);   /* a run again starts afresh */
    u->out = json_pack("{s:I, s:o, s:b}", "interest_id", (json_int_t)interest, "introduction_id",
                       intro ? json_integer(intro) : json_null(), "approval", approval);
    return 0;
}

int offers_interest(struct store *st, const struct tb_actor *a, int64_t id, int64_t company_id, const char *message,
                    const char *asker_name, const char *public_url, json_t **out, struct tb_err *err)
{
    struct interest_unit u = {.a = a, .id = id, .company_id = company_id, .message = message,
                              .asker_name = asker_name, .public_url = public_url};
    if (store_in_tx(st, interest_work, &u, err) < 0) {
        json_decref(u.out);
        return -1;
    }
    *out = u.out;
    return 0;
}

/* ---- posting and changing an offer --------------------------------------- */

struct offer_unit {
    const struct tb_actor *a;
    const json_t *body;
    int64_t id, version;
    int update;            /* 0: a new offer, id set */
};

static int offer_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct offer_unit *u = ctx;
    return u->update ? store_offer_update(st, u->a, u->id, u->version, u->body, err)
                      : store_offer_create(st, u->a, u->body, &u->id, err);
}

int offers_create(struct store *st, const struct tb_actor *a, const json_t *offer, int64_t *id, struct tb_err *err)
{
    struct offer_unit u = {.a = a, .body = offer};
    if (store_in_tx(st, offer_work, &u, err) < 0)
        return -1;
    *id = u.id;
    return 0;
}

int offers_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version, const json_t *changes,
                  struct tb_err *err)
{
    struct offer_unit u = {.a = a, .body = changes, .id = id, .version = version, .update = 1};
    return store_in_tx(st, offer_work, &u, err);
}

/* The offers that fit company c and it was not told about: [{offer, score, reasons}]. */
static json_t *fitting(const json_t *c, const json_t *offers, const json_t *sent, int min_score)
{
    json_t *out = json_array();
    int64_t cid = json_integer_value(json_object_get(c, "id")), org = json_integer_value(json_object_get(c, "org_id"));
    size_t i, j;
    json_t *o, *s;
    json_array_foreach(offers, i, o) {
        int64_t oid = json_integer_value(json_object_get(o, "id"));
        int told = 0;
        json_array_foreach(sent, j, s)
            told |= json_integer_value(json_object_get(s, "company_id")) == cid &&
                    json_integer_value(json_object_get(s, "offer_id")) == oid;
        const char *vis = json_string_value(json_object_get(o, "visibility"));
        if (told || json_integer_value(json_object_get(o, "company_id")) == cid ||
            (strcmp(vis ? vis : "", "shared") && json_integer_value(json_object_get(o, "org_id")) != org))
            continue;
        struct offer_candidate cand = {.hs = json_object_get(c, "hs"), .markets = json_object_get(c, "target_markets"),
                                       .markets2 = json_object_get(c, "export_markets"),
                                       .country = json_string_value(json_object_get(c, "country")),
                                       .nace = json_string_value(json_object_get(c, "nace"))};
        json_t *reasons = json_array();
        int score = offer_score(o, &cand, reasons);
        if (score >= min_score)
            json_array_append_new(out, json_pack("{s:O, s:i, s:o}", "offer", o, "score", score, "reasons", reasons));
        else
            json_decref(reasons);
    }
    return out;
}

static char *digest_body(const json_t *who, const json_t *c, const json_t *fits, const char *url, const char *token)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    int one = json_array_size(fits) == 1;
    fprintf(f, "Hello %s,\n\n%zu offer%s on the TradeBridge offers board fit%s %s:\n",
            json_string_value(json_object_get(who, "name")), json_array_size(fits), one ? "" : "s", one ? "s" : "",
            json_string_value(json_object_get(c, "name")));
    size_t i, j;
    json_t *fit, *r;
    json_array_foreach(fits, i, fit) {
        const json_t *o = json_object_get(fit, "offer");
        fprintf(f, "\n- %s (open until %s)\n  Why: ", json_string_value(json_object_get(o, "title")),
                json_string_value(json_object_get(o, "expires_on")));
        json_array_foreach(json_object_get(fit, "reasons"), j, r)
            fprintf(f, "%s%s", j ? "; " : "", json_string_value(r));
        fprintf(f, "\n  %s/#/network/offers/%lld\n", url, (long long)json_integer_value(json_object_get(o, "id")));
    }
    fprintf(f, "\nShow your interest on the offer's page; an introduction follows.\n\n"
               "No more digests: %s/#/offer-digest-unsubscribe?token=%s\n(or switch them off on the offers board).\n\n"
               "-- TradeBridge\n", url, token);
    return fclose(f) == 0 ? text : (free(text), NULL);
}

/* Mails company c's managers about `fits`; *mails counts them. */
static int tell(struct store *st, const struct tb_actor *a, const json_t *c, const json_t *fits, const char *url,
                int *mails, struct tb_err *err)
{
    json_t *people, *who;
    int64_t cid = json_integer_value(json_object_get(c, "id"));
    if (store_digest_recipients(st, a, cid, &people, err) < 0)
        return -1;
    int rc = 0, n = 0;
    size_t i;
    json_array_foreach(people, i, who) {
        char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1], subject[200];
        auth_random_token(token);
        auth_token_hash(token, hash);
        char *body = digest_body(who, c, fits, url, token);
        snprintf(subject, sizeof subject, "Offers board: %zu new offer%s for %.120s", json_array_size(fits),
                 json_array_size(fits) == 1 ? "" : "s", json_string_value(json_object_get(c, "name")));
        rc = body ? store_digest_pref(st, a, json_integer_value(json_object_get(who, "id")), NULL, hash, NULL, err)
                  : TB_INTERNAL(err, "out of memory");
        if (rc == 0)
            rc = store_outbox_add(st, a, json_integer_value(json_object_get(c, "org_id")),
                                  json_string_value(json_object_get(who, "email")), subject, body, err);
        free(body);
        if (rc < 0)
            break;
        n++;
    }
    json_t *fit;
    json_array_foreach(fits, i, fit) {
        if (rc < 0)
            break;
        rc = store_digest_sent_add(st, a, cid, json_integer_value(json_object_get(json_object_get(fit, "offer"), "id")),
                                   (int)json_integer_value(json_object_get(fit, "score")), n, err);
    }
    json_decref(people);
    *mails += n;
    return rc;
}

struct digest_unit {
    const struct tb_actor *a;
    const char *public_url;
    int min_score, companies, mails;
};

static int digest_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct digest_unit *u = ctx;
    const struct tb_actor *a = u->a;
    const char *public_url = u->public_url;
    int min_score = u->min_score, *companies = &u->companies, *mails = &u->mails;
    json_t *cos = NULL, *contacts = NULL, *offers = NULL, *sent = NULL, *none = json_pack("{s:[], s:[]}", "hs", "countries");
    json_t *f = json_pack("{s:b}", "open", 1);
    *companies = *mails = 0;
    int rc = store_offer_candidates(st, a, none, &cos, &contacts, err);
    if (rc == 0)
        rc = store_offer_list(st, a, f, 0, 200, &offers, err);
    if (rc == 0)
        rc = store_digest_sent(st, a, &sent, err);
    size_t i;
    json_t *c;
    json_array_foreach(cos, i, c) {
        if (rc < 0)
            break;
        json_t *fits = fitting(c, offers, sent, min_score);
        if (json_array_size(fits)) {
            rc = tell(st, a, c, fits, public_url, mails, err);
            ++*companies;
        }
        json_decref(fits);
    }
    json_decref(none);
    json_decref(f);
    json_decref(cos);
    json_decref(contacts);
    json_decref(offers);
    json_decref(sent);
    return rc;
}

int offers_digest(struct store *st, const struct tb_actor *a, const char *public_url, int min_score, int *companies,
                  int *mails, struct tb_err *err)
{
    struct digest_unit u = {.a = a, .public_url = public_url, .min_score = min_score};
    *companies = *mails = 0;
    if (store_in_tx(st, digest_work, &u, err) < 0)
        return -1;
    *companies = u.companies;
    *mails = u.mails;
    return 0;
}

int offers_digest_unsubscribe(struct store *st, const char *token, struct tb_err *err)
{
    char hash[TOKEN_HASH_LEN + 1];
    auth_token_hash(token, hash);
    return store_digest_unsubscribe(st, hash, err);
}
