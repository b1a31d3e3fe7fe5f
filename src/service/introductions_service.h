/*
 * introductions_service.h - the introductions workflow (issue 15) as units of
 * work (store_in_tx, docs/store.md section 7), shared by the HTTP handlers
 * (h_introductions.c) and the command line: a request (with the
 * introducer's link mailed through the outbox when no approval is needed),
 * a new link, a move along the state machine (the outcome path), and the
 * introducer's answer by link.
 */
#ifndef TB_INTRODUCTIONS_SERVICE_H
#define TB_INTRODUCTIONS_SERVICE_H

#include <jansson.h>

#include "store/network.h"
#include "store/store.h"

/* Stores request `w`; when the target's operator need not approve, the
 * introducer is mailed a link. *id: the new introduction. */
int intro_request(struct store *st, const struct tb_actor *a, const struct intro_write *w, const char *public_url,
                  int64_t *id, struct tb_err *err);

/* A fresh link for introduction `id`'s introducer: 409 (approval) unless
 * approved or no approval needed, 400 (introducer_id) without an address,
 * 409 (state) once answered. */
int intro_send_link(struct store *st, const struct tb_actor *a, int64_t id, const char *public_url,
                    struct tb_err *err);

/* A move of introduction `id` to state `to` by `by` (a name for the event
 * log): the state machine, the introducer's answer (as_introducer, or staff
 * for them), the owning operator's approval, and for deal_closed the
 * outcome's value_minor, currency, market and hs from `outcome` (400 naming
 * a missing one). 409 (state) for a move the state machine refuses. */
struct intro_move_in {
    const char *to, *by, *note;
    const json_t *outcome;   /* deal_closed: {value_minor, currency, market, hs} */
    int as_introducer, staff;
};
int intro_move(struct store *st, const struct tb_actor *a, int64_t id, const struct intro_move_in *in,
               struct tb_err *err);

/* The introducer's answer by link (token_hash): the link is used up only by
 * an answer that is stored; the link's actor `a` moves the introduction. */
int intro_link_answer(struct store *st, const struct tb_actor *a, const char *token_hash, int64_t id,
                      const struct intro_move_in *in, struct tb_err *err);

#endif
