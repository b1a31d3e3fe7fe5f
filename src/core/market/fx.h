/*
 * fx.h - ECB euro foreign exchange reference rates (issue 13): parsed from
 * the ECB's historical file (eurofxref-hist.csv) or its one-day file
 * (eurofxref.csv, "Date, USD, ..." with "11 October 2024"); the rate on a
 * date, yearly and quarterly averages, cross rates X->Y = rate(Y)/rate(X)
 * (rates are units of the currency per 1 EUR; EUR itself is 1).
 */
#ifndef TB_MARKET_FX_H
#define TB_MARKET_FX_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define FX_MAX_CURRENCIES 64
/* A date without a publication (a weekend, a TARGET holiday) takes the
 * latest rate published up to this many days before. */
#define FX_LOOKBACK_DAYS 7

struct fx_table {
    int n_days, cap_days;
    int32_t *day;                        /* days since 1970-01-01, ascending */
    int n_cur;
    char cur[FX_MAX_CURRENCIES][4];
    double *rate;                        /* n_days x FX_MAX_CURRENCIES, NAN = none */
};

void fx_init(struct fx_table *t);
void fx_free(struct fx_table *t);
/* One rate (units per EUR, > 0); a later value for the same day replaces it. */
int fx_set(struct fx_table *t, int32_t day, const char *currency, double rate, struct tb_err *err);
/* Either ECB layout; name is used in errors ("eurofxref.csv:12: ..."). */
int fx_parse_csv(struct fx_table *t, const char *text, size_t len, const char *name,
                 struct tb_err *err);

/* "2024-10-11" <-> day number; -1 / 0 when not a valid date. */
int fx_day(const char *iso, int32_t *day);
void fx_day_text(int32_t day, char out[11]);

/* The rate of `currency` on `date` (YYYY-MM-DD). A currency without a rate
 * on that date (never quoted, discontinued, before the file starts) is a 422
 * naming `field`. */
int fx_rate(const struct fx_table *t, const char *currency, const char *date, double *out,
            const char *field, struct tb_err *err);
/* Mean of the daily rates published from `from` to `to` inclusive. */
int fx_average(const struct fx_table *t, const char *currency, const char *from, const char *to,
               double *out, const char *field, struct tb_err *err);
/* quarter 1-4, or 0 for the whole year. */
int fx_period_average(const struct fx_table *t, const char *currency, int year, int quarter,
                      double *out, const char *field, struct tb_err *err);
/* How many units of `to` one unit of `from` buys on `date`. */
int fx_cross(const struct fx_table *t, const char *from, const char *to, const char *date,
             double *out, const char *field, struct tb_err *err);
/* An amount in minor units of `from` converted to minor units of `to` at the
 * ratio of the two currencies' average rates over the period (quarter 0 =
 * the year), rounded half away from zero; the same currency needs no rate. */
int fx_convert_period(const struct fx_table *t, int64_t minor, const char *from, const char *to,
                      int year, int quarter, int64_t *out, const char *field, struct tb_err *err);

#endif
