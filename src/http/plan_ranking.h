/*
 * plan_ranking.h - the ranking snapshot of an export plan's chosen markets,
 * computed by the server (never taken from the client): what the ranking
 * said about (home, product, market) when the market was chosen, with the
 * import it was computed from, so the plan can show when newer data came in.
 */
#ifndef TB_HTTP_PLAN_RANKING_H
#define TB_HTTP_PLAN_RANKING_H

#include <jansson.h>

#include "http/http.h"

/* Sets markets[].ranking of doc from the server's ranking (the operator's
 * weights, its and the company's tariffs). A market whose country, product
 * and home are unchanged from old_doc keeps its snapshot unless `refresh`;
 * a market the ranking cannot place gets {"unavailable": reason}. */
int plan_snapshot_markets(struct request *r, json_t *doc, const json_t *old_doc, int64_t org_id,
                          int64_t company_id, int refresh, struct tb_err *err);
/* Marks each snapshot with data_changed (a newer import since) and the plan
 * with ranking_data_changed (how many). */
void plan_snapshot_freshness(struct request *r, json_t *doc);

#endif
