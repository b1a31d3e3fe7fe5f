/*
 * network_service.h - the trade network's use cases over the store: search
 * with reasons, "who can introduce me" with each path in words.
 */
#ifndef TB_NETWORK_SERVICE_H
#define TB_NETWORK_SERVICE_H

#include <jansson.h>

#include "store/store.h"

/* Directory search: q (words, prefix, accents folded) and filters
 * {country, nace, kind, hs, language}; without q the directory in id order
 * after `after_id`. Each item gets "reasons": why it matched. */
int network_search(struct store *st, const struct tb_actor *a, const char *q, const json_t *filters,
                   int64_t after_id, int limit, json_t **out, struct tb_err *err);

/* The best paths (at most k) from the asker's side to contact `target`, or,
 * target 0, to anyone matching `filters` {country, nace, hs}. Each path:
 * {score, hops, people: [{id, name, ...}], explanation: "Anna Berg (alumna,
 * now at Nordic Seafood in Oslo) knows Lars Holm well, last contact 2 months
 * ago"}. 404 for a target the actor may not see. */
int network_paths(struct store *st, const struct tb_actor *a, int64_t target, const json_t *filters, int k,
                  json_t **out, struct tb_err *err);

#endif

/* A fresh single-use link (7 days) for the introducer of `intro` (a row of
 * store_intro_get), mailed to their address through the outbox. 0 without
 * sending when the introducer has no address; `reminder` words the mail as
 * one. The caller holds the transaction. */
int network_intro_send_link(struct store *st, const struct tb_actor *a, const json_t *intro, const char *public_url,
                            int reminder, struct tb_err *err);
/* Reminders for requests the introducer has not answered (or introductions
 * not yet made) since `days` days: a new link each, through the outbox.
 * *sent counts them. */
int network_intro_remind(struct store *st, const struct tb_actor *a, int days, const char *public_url, int *sent,
                         struct tb_err *err);
/* Checks directory filters {country, nace, hs, language, kind}: known codes,
 * an HS prefix of 2-6 digits. 400 naming the filter (as the API's query
 * parameter: sector for nace). */
int network_filters_check(const json_t *filters, struct tb_err *err);

/* A contact as sent (API body or CSV row) made ready to store: a person's
 * legal basis required (consent as the basis must be 'given'), defaults
 * filled (private; consent not required), private forced for a company
 * manager or trainee (staff = 0). 400 naming the field. */
int network_contact_normalize(json_t *c, int staff, struct tb_err *err);
/* Contacts the actor sees that `c` duplicates: the same e-mail (case aside),
 * or, for an organisation, the same name with case and accents folded. *out: [{id,
 * name, organisation, email, reason}]. */
int network_contact_duplicates(struct store *st, const struct tb_actor *a, const json_t *c, json_t **out,
                               struct tb_err *err);

/* Merges duplicate contact `from` into contact `into` (its `version`): into
 * keeps its own values and takes the duplicate's where it has none; the
 * lists (hs, languages, markets, tags) are joined; relationships,
 * introductions and offers naming the duplicate move to it; the duplicate is
 * emptied and audited with what it was. 400 (from_id) merging a contact into
 * itself or a person with an organisation; 404 for contacts not seen; 403 for
 * another operator's. *out: the summary of what moved. One unit of work
 * (store_in_tx). */
int network_contact_merge(struct store *st, const struct tb_actor *a, int64_t into, int64_t version, int64_t from,
                          json_t **out, struct tb_err *err);
