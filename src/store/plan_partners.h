/*
 * plan_partners.h - introduction outcomes flow into the export plan's
 * channel partners (issue 15).
 */
#ifndef TB_STORE_PLAN_PARTNERS_H
#define TB_STORE_PLAN_PARTNERS_H

#include "store/network.h"

/* Records an introduction's move (store_intro_move) and, in the same
 * transaction, when it reaches "deal_started" or "deal_closed", links its
 * target as a channel partner ("channel_partner_contact_ids") on every plan
 * of the introduction's company that is not closed and has that market: the
 * deal's market when recorded, else the target's country. Only a contact of
 * the plan's operator is linked (as a plan write from a client must), at most
 * 20 per market; one already linked is left as it is (idempotent). Each plan
 * changed gets a new version and its audit entry, the introduction an audit
 * entry naming the plan. */
int store_intro_move_with_partners(struct store *st, const struct tb_actor *a, int64_t id, const char *from,
                                   const char *to, const struct intro_outcome *o, const char *by_name,
                                   const char *note, struct tb_err *err);

#endif
