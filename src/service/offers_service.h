/*
 * offers_service.h - the offers board's use cases (issue 15): matches with
 * scores and reasons, interest that starts an introduction, the digest mail.
 */
#ifndef TB_OFFERS_SERVICE_H
#define TB_OFFERS_SERVICE_H

#include <jansson.h>
#include <time.h>

#include "store/store.h"

/* The companies and contacts that fit offer `id`, best first (at most
 * `limit` of each): {companies: [{id, name, country, score, reasons[]}],
 * contacts: [...]}. The offer's own company and contacts are left out. */
int offers_matches(struct store *st, const struct tb_actor *a, int64_t id, int limit, json_t **out,
                   struct tb_err *err);

/* Company `company_id` is interested in offer `id` (one unit of work,
 * store_in_tx; inside a caller's transaction, part of it). When the offer names who seeks (contact_id) and who
 * introduces (introducer_id), an introduction request follows, asked in
 * asker_name for the company, and the introducer is mailed a link when no
 * approval is needed. *out: {interest_id, introduction_id (or null), approval}. */
int offers_interest(struct store *st, const struct tb_actor *a, int64_t id, int64_t company_id, const char *message,
                    const char *asker_name, const char *public_url, json_t **out, struct tb_err *err);

/* An offer posted (store_offer_create's fields; *id the new one) or changed
 * (its `version`), each one unit of work. */
int offers_create(struct store *st, const struct tb_actor *a, const json_t *offer, int64_t *id, struct tb_err *err);
int offers_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version, const json_t *changes,
                  struct tb_err *err);

/* The digest: every company of the actor's operator (all operators for the
 * system) is told, by mail through the outbox to its managers, about the
 * open offers it may see that fit it with at least min_score and that it
 * was not told about before (each offer once per company, also when nobody
 * is mailed); every mail carries an unsubscribe link. Runs in its own
 * transaction. *companies: companies told, *mails: mails queued. */
#define OFFERS_DIGEST_MIN_SCORE 50   /* the product or the market fits, and more */
int offers_digest(struct store *st, const struct tb_actor *a, const char *public_url, int min_score, int *companies,
                  int *mails, struct tb_err *err);
/* The unsubscribe link's token (43 characters): the digest off for its person. */
int offers_digest_unsubscribe(struct store *st, const char *token, struct tb_err *err);

#endif
