/*
 * offers.h - the offers board's pure pieces (issue 15): an offer's declared
 * fields, and how well a company or a contact fits an offer, with the reasons
 * in words (in the manner of the matching engine's explanations).
 */
#ifndef TB_NETWORK_OFFERS_H
#define TB_NETWORK_OFFERS_H

#include <jansson.h>

#include "core/validate.h"

extern const char *const offer_kinds[];
/* create: with company_id; update: with version and closed. */
extern const struct field_spec offer_create_fields[], offer_update_fields[], offer_interest_fields[];

/* What a candidate offers the match: its HS codes, the markets it sells to
 * or knows, where it is and its NACE sector (each may be NULL). */
struct offer_candidate {
    const json_t *hs, *markets, *markets2;
    const char *country, *nace;
};

/* The score (0-100) of a candidate for an offer {hs[], countries[], nace}:
 * products 50 (HS heading or finer: one code starts the other; 25 for the
 * same chapter), market 30 (based in one of the offer's countries; 25 when
 * it sells to or knows one), sector 20 (the same NACE division). Appends one
 * reason per part that scored to `reasons` ("products: HS 030617 within
 * 0306"). 0 when neither product nor market fits. */
int offer_score(const json_t *offer, const struct offer_candidate *c, json_t *reasons);

#endif
