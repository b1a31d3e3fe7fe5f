/*
 * directory.h - the directory's pure pieces: a user's words as a full-text
 * query, why a contact matched, and the introduction's states.
 */
#ifndef TB_NETWORK_DIRECTORY_H
#define TB_NETWORK_DIRECTORY_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"
#include "core/validate.h"

#define NET_QUERY_WORDS 8

/* The words of q (letters and digits; at most NET_QUERY_WORDS, each at most
 * 40 bytes) as an FTS5 query where every word must start a word of the
 * contact: "gote"* "fish"*. 0, or -1 (400, field "q") when q has no word or
 * the query does not fit in cap. */
int net_match_query(const char *q, char *out, size_t cap, struct tb_err *err);

/* Why a contact (a directory row) matched q: ["name: Göteborg", "city: ..."],
 * one reason per field in which a word starts with a word of q, compared
 * with case and Latin accents folded. */
json_t *net_match_reasons(const json_t *contact, const char *q);

/* Introduction states and the moves between them:
 * requested -> accepted | declined; accepted -> made; made -> meeting_held;
 * meeting_held -> deal_started; deal_started -> deal_closed; any open state
 * -> dropped. */
extern const char *const net_intro_states[];
/* 1 when `from` may move to `to`. */
int net_intro_can_move(const char *from, const char *to);
/* 1 when the state is final (declined, deal_closed, dropped). */
int net_intro_final(const char *state);

/* A contact's declared fields (create: with org_id; update: with version). */
extern const struct field_spec contact_create_fields[], contact_update_fields[];

#endif
