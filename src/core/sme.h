/*
 * sme.h - the EU SME definition (Commission Recommendation 2003/361/EC):
 * fewer than 250 staff, and annual turnover <= EUR 50 M or balance sheet
 * total <= EUR 43 M. Shown to coordinators as a check; never enforced.
 */
#ifndef TB_SME_H
#define TB_SME_H

#include <jansson.h>
#include <stdint.h>

/* {"eligible":true|false|null,"reasons":[...]} - null when the data is
 * incomplete or the currency has no reference rate; reasons in plain words. */
json_t *sme_check(const json_t *company);
/* Minor units of `currency` converted to euro cents with the reference rate;
 * -1 when no rate is known. */
int sme_to_euro_cents(const char *currency, int64_t minor, int64_t *cents);

#endif
