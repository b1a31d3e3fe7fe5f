/*
 * network.h - the store side of the trade network (issue 15): the directory
 * of contacts (own, shared with the federation), relationships, the graph
 * "who can introduce me" runs on, introductions with their approvals, links
 * and outcomes. Statements in stmts_network_sqlite.inc; every one binds the
 * actor's tenant, and a contact of another operator that is not shared is
 * simply not found (404).
 */
#ifndef TB_STORE_NETWORK_H
#define TB_STORE_NETWORK_H

#include "store/store.h"

/* A contact as written: every column of the table but the bookkeeping ones
 * ({org_id, kind, category, name, organisation, roles, email, phone, country,
 * city, nace, hs[], languages[], markets[], tags[], source, visibility,
 * legal_basis, consent}), checked by the caller. Audited without personal
 * data (a removal must leave none behind). */
int store_contact_create(struct store *st, const struct tb_actor *a, const json_t *c, int64_t *id,
                         struct tb_err *err);
int store_contact_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err);
/* The whole record c replaces the stored one (412 on another version); the
 * owning operator's staff or the foundation. */
int store_contact_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version, const json_t *c,
                         struct tb_err *err);
/* Removal on request: personal fields emptied, relationships dropped. */
int store_contact_remove(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err);
/* Filters: {country, nace, kind, hs (prefix), language}, each optional. */
int store_contact_list(struct store *st, const struct tb_actor *a, const json_t *filters, int64_t after_id, int limit,
                       json_t **out, struct tb_err *err);
/* match: an FTS5 query (the caller builds it from the user's words). Rows
 * carry "rank" (bm25, lower is better). */
int store_contact_search(struct store *st, const struct tb_actor *a, const char *match, const json_t *filters,
                         int limit, json_t **out, struct tb_err *err);
/* The same question as a LIKE scan ("%word%"), for the benchmark. */
int store_contact_search_like(struct store *st, const struct tb_actor *a, const char *word, const json_t *filters,
                              int limit, json_t **out, struct tb_err *err);
/* Visible contacts with this e-mail address (case aside). */
int store_contact_by_email(struct store *st, const struct tb_actor *a, const char *email, json_t **out,
                           struct tb_err *err);
/* {"country": [{value, n}], "category": [...], "sector": [...]}. */
int store_contact_facets(struct store *st, const struct tb_actor *a, const json_t *filters, json_t **out,
                         struct tb_err *err);
/* An alumnus from a graduate with a completed placement who opted in. */
int store_contact_alumnus(struct store *st, const struct tb_actor *a, int64_t graduate_id, const char *roles,
                          const char *visibility, int64_t *id, struct tb_err *err);

/* ---- relationships and the graph ---- */
struct link_write {
    int64_t org_id, from_id, to_id;
    const char *kind, *last_contact;   /* last_contact may be NULL */
    int strength;
};
/* 404 when either end is not visible, 409 for the same link twice. */
int store_link_create(struct store *st, const struct tb_actor *a, const struct link_write *w, int64_t *id,
                      struct tb_err *err);
int store_link_list(struct store *st, const struct tb_actor *a, int64_t contact_id, json_t **out, struct tb_err *err);
int store_link_delete(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err);

/* The part of the network the actor may see, as arrays (malloc'd; free with
 * store_graph_free): people by contact id, relationships between them. */
struct store_graph {
    size_t people, links;
    int64_t *id;                 /* contact ids, ascending */
    int64_t *owner;
    unsigned char *shared;
    int64_t *from, *to;          /* contact ids */
    unsigned char *strength;
    char (*last_contact)[11];    /* "" when unknown */
    size_t nsources;
    int64_t *sources;            /* the asker's side: their operator's staff, alumni and offices */
};
int store_graph_load(struct store *st, const struct tb_actor *a, struct store_graph *g, struct tb_err *err);
void store_graph_free(struct store_graph *g);

/* ---- introductions ---- */
struct intro_write {
    int64_t org_id, company_id, graduate_id, introducer_id, target_id;   /* company/graduate 0 = none */
    const char *asker_name, *purpose, *message;
};
/* Stores the request; when the target is owned by another operator, also
 * that operator's approval (pending). *needs_approval says which. */
int store_intro_create(struct store *st, const struct tb_actor *a, const struct intro_write *w, int64_t *id,
                       int *needs_approval, struct tb_err *err);
/* With its events ([{state, note, by_name, at}]). */
int store_intro_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err);
int store_intro_list(struct store *st, const struct tb_actor *a, const char *state, json_t **out, struct tb_err *err);
struct intro_outcome {
    const char *currency, *market, *hs;   /* deal_closed */
    int64_t value_minor;
};
/* Moves from `from` to `to` (409 when the state changed meanwhile) and logs
 * the event. */
int store_intro_move(struct store *st, const struct tb_actor *a, int64_t id, const char *from, const char *to,
                     const struct intro_outcome *o, const char *by_name, const char *note, struct tb_err *err);
int store_intro_approvals(struct store *st, const struct tb_actor *a, const char *state, json_t **out,
                          struct tb_err *err);
/* approve: 1 approved, 0 refused; 409 when already decided. */
int store_intro_approval_decide(struct store *st, const struct tb_actor *a, int64_t id, int approve,
                                struct tb_err *err);
int store_intro_link_create(struct store *st, const struct tb_actor *a, int64_t id, const char *email,
                            const char *token_hash, int64_t expires_at, struct tb_err *err);
/* {id, org_id, introduction_id, email}; 404 unknown, 410 used or expired. */
int store_intro_link_peek(struct store *st, const char *token_hash, json_t **out, struct tb_err *err);
int store_intro_link_claim(struct store *st, const char *token_hash, struct tb_err *err);
/* Requests waiting for the introducer since before `before` (ISO time). */
int store_intro_reminders_due(struct store *st, const struct tb_actor *a, const char *before, json_t **out,
                              struct tb_err *err);
int store_intro_reminded(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err);
/* Deals started and closed per company, trainee, market and currency. */
int store_intro_outcomes(struct store *st, const struct tb_actor *a, json_t **out, struct tb_err *err);

/* ---- the offers board ---- */
/* An offer as written ({org_id, company_id (0/absent: the operator's own),
 * kind, title, description, hs[], countries[], nace, contact_id,
 * introducer_id, visibility, expires_on}), checked by the caller; the
 * contacts it names must be visible (404 naming the field), the company the
 * operator's (a company manager: their own). */
int store_offer_create(struct store *st, const struct tb_actor *a, const json_t *o, int64_t *id, struct tb_err *err);
/* With owner_name, company_name, contact_name, introducer_name, open (not
 * closed, not expired) and the number of interests. */
int store_offer_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err);
/* Filters {open (bool), kind, country, hs (prefix either way)}; newest first, before before_id (0: from the top). */
int store_offer_list(struct store *st, const struct tb_actor *a, const json_t *filters, int64_t before_id, int limit,
                     json_t **out, struct tb_err *err);
/* The whole offer replaces the stored one ("closed": true closes it); 412 on another version. */
int store_offer_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version, const json_t *o,
                       struct tb_err *err);
/* Candidates to score: the actor's companies ({id, name, country, nace, hs[],
 * target_markets[], export_markets[]}) and visible contacts in the offer's
 * countries or HS chapters ({id, name, organisation, category, country, nace, hs[], markets[]}). */
int store_offer_candidates(struct store *st, const struct tb_actor *a, const json_t *offer, json_t **companies,
                           json_t **contacts, struct tb_err *err);
/* A company's interest (409 twice or when the offer is closed). */
int store_offer_interest(struct store *st, const struct tb_actor *a, int64_t offer_id, int64_t company_id,
                         const char *message, int64_t *id, struct tb_err *err);
int store_offer_interest_intro(struct store *st, const struct tb_actor *a, int64_t id, int64_t intro_id,
                               struct tb_err *err);
int store_offer_interests(struct store *st, const struct tb_actor *a, int64_t offer_id, json_t **out,
                          struct tb_err *err);

/* Merges contact `dropped` (a row of store_contact_get) into contact `keep`
 * (at `version`): relationships, introductions, approvals and offers naming
 * it move to keep (links that would repeat one or become a self-link are
 * dropped), keep becomes `merged` (a whole contact record), the duplicate is
 * emptied like a removal. Audited with the duplicate's record and what moved.
 * *summary: {kept, merged, links_moved[], links_dropped[], introductions_moved[], ...}. */
int store_contact_merge(struct store *st, const struct tb_actor *a, int64_t keep, int64_t version, const json_t *merged,
                        const json_t *dropped, json_t **summary, struct tb_err *err);

/* ---- the offers digest ---- */
/* [{company_id, offer_id}] already told (the actor's operator's companies). */
int store_digest_sent(struct store *st, const struct tb_actor *a, json_t **out, struct tb_err *err);
int store_digest_sent_add(struct store *st, const struct tb_actor *a, int64_t company_id, int64_t offer_id, int score,
                          int mails, struct tb_err *err);
/* The company's managers who did not ask for no digest: [{id, email, name}]. */
int store_digest_recipients(struct store *st, const struct tb_actor *a, int64_t company_id, json_t **out,
                            struct tb_err *err);
/* A person's digest setting: set ("on"/"off") and/or the hash of their newest
 * unsubscribe link when not NULL; *out (when out is not NULL): {digest, updated_at}. */
int store_digest_pref(struct store *st, const struct tb_actor *a, int64_t user_id, const char *set, const char *hash,
                      json_t **out, struct tb_err *err);
/* The link in a digest: digest off for its person; 404 (field token) for an unknown link. */
int store_digest_unsubscribe(struct store *st, const char *hash, struct tb_err *err);

#endif
