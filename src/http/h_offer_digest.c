/*
 * h_offer_digest.c - the offers board's digest mail (issue 15):
 *   GET/PUT /api/v1/offer-digest/settings (the signed-in person's: on or off),
 *   POST /api/v1/offer-digest/send (staff: the digest for their operator's
 *   companies now; `tradebridge network digest` runs it for every operator),
 *   POST /api/v1/offer-digest/unsubscribe (no account: the link in a digest).
 */
#include <string.h>

#include "http/entity_http.h"
#include "http/handlers.h"
#include "service/offers_service.h"
#include "store/network.h"

static const char *const on_off[] = {"on", "off", NULL};
const struct field_spec offer_digest_settings_fields[] = {
    {.name = "digest", .type = FT_ENUM, .required = 1, .allowed = on_off}, {0},
};
const struct field_spec offer_digest_send_fields[] = {
    {.name = "min_score", .type = FT_INT, .min = 1, .max = 100}, {0},
};
const struct field_spec offer_digest_unsubscribe_fields[] = {
    {.name = "token", .type = FT_STRING, .required = 1, .min = 43, .max = 43}, {0},
};

int h_offer_digest_settings_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *out;
    if (store_digest_pref(r->store, &r->actor, r->actor.user_id, NULL, NULL, &out, err) < 0)
        return -1;
    return respond_json(res, 200, out);
}

int h_offer_digest_settings_put(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *out;
    if (store_digest_pref(r->store, &r->actor, r->actor.user_id,
                          json_string_value(json_object_get(r->body, "digest")), NULL, &out, err) < 0)
        return -1;
    return respond_json(res, 200, out);
}

int h_offer_digest_send(struct request *r, struct response *res, struct tb_err *err)
{
    json_int_t min = json_integer_value(json_object_get(r->body, "min_score"));
    int companies, mails;
    if (offers_digest(r->store, &r->actor, r->cfg->public_url, min ? (int)min : OFFERS_DIGEST_MIN_SCORE, &companies,
                      &mails, err) < 0)
        return -1;
    http_mail_wake();
    return respond_json(res, 200, json_pack("{s:i, s:i}", "companies", companies, "mails", mails));
}

int h_offer_digest_unsubscribe(struct request *r, struct response *res, struct tb_err *err)
{
    if (offers_digest_unsubscribe(r->store, json_string_value(json_object_get(r->body, "token")), err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:s}", "digest", "off"));
}
