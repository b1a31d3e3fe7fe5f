/*
 * fx.c - ECB reference rates (see fx.h).
 */
#include "core/market/fx.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/codes.h"

void fx_init(struct fx_table *t)
{
    memset(t, 0, sizeof *t);
}

void fx_free(struct fx_table *t)
{
    free(t->day);
    free(t->rate);
    fx_init(t);
}

/* Day numbers through the C library's UTC calendar (timegm, gmtime_r). */
static int32_t days_from_civil(int y, int m, int d)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    return (int32_t)(timegm(&tm) / 86400);
}

static int month_days(int y, int m)
{
    static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : md[m - 1];
}

static int civil_ok(int y, int m, int d)
{
    return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

int fx_day(const char *iso, int32_t *day)
{
    int y, m, d, n = 0;
    if (strlen(iso) != 10 || sscanf(iso, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
        !civil_ok(y, m, d))
        return -1;
    *day = days_from_civil(y, m, d);
    return 0;
}

void fx_day_text(int32_t day, char out[11])
{
    time_t t = (time_t)day * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* "11 October 2024" (the one-day file). */
static int long_day(const char *s, int32_t *day)
{
    static const char *const months[] = {"January", "February", "March", "April", "May", "June", "July",
                                         "August", "September", "October", "November", "December"};
    int d, y;
    char mon[16];
    if (sscanf(s, "%d %15s %d", &d, mon, &y) != 3)
        return -1;
    for (int m = 0; m < 12; m++)
        if (!strcmp(months[m], mon) && civil_ok(y, m + 1, d)) {
            *day = days_from_civil(y, m + 1, d);
            return 0;
        }
    return -1;
}

static int cur_index(const struct fx_table *t, const char *c)
{
    for (int i = 0; i < t->n_cur; i++)
        if (!strcmp(t->cur[i], c))
            return i;
    return -1;
}

static int day_index(const struct fx_table *t, int32_t day)
{
    int lo = 0, hi = t->n_days;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (t->day[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;   /* first index with day >= `day` */
}

int fx_set(struct fx_table *t, int32_t day, const char *currency, double rate, struct tb_err *err)
{
    if (!(rate > 0) || !isfinite(rate))
        return TB_INVALID(err, currency, "%s: a rate must be a positive number", currency);
    int c = cur_index(t, currency);
    if (c < 0) {
        if (t->n_cur == FX_MAX_CURRENCIES)
            return TB_INVALID(err, currency, "%s: more than %d currencies", currency, FX_MAX_CURRENCIES);
        c = t->n_cur++;
        snprintf(t->cur[c], sizeof t->cur[c], "%s", currency);
    }
    int i = day_index(t, day);
    if (i == t->n_days || t->day[i] != day) {
        if (t->n_days == t->cap_days) {
            int cap = t->cap_days ? 2 * t->cap_days : 1024;
            int32_t *nd = realloc(t->day, (size_t)cap * sizeof *nd);
            if (nd)
                t->day = nd;
            double *nr = nd ? realloc(t->rate, (size_t)cap * FX_MAX_CURRENCIES * sizeof *nr) : NULL;
            if (!nr)
                return TB_INTERNAL(err, "out of memory");
            t->rate = nr;
            t->cap_days = cap;
        }
        memmove(t->day + i + 1, t->day + i, (size_t)(t->n_days - i) * sizeof *t->day);
        memmove(t->rate + (size_t)(i + 1) * FX_MAX_CURRENCIES, t->rate + (size_t)i * FX_MAX_CURRENCIES,
                (size_t)(t->n_days - i) * FX_MAX_CURRENCIES * sizeof *t->rate);
        t->day[i] = day;
        for (int k = 0; k < FX_MAX_CURRENCIES; k++)
            t->rate[(size_t)i * FX_MAX_CURRENCIES + k] = NAN;
        t->n_days++;
    }
    t->rate[(size_t)i * FX_MAX_CURRENCIES + c] = rate;
    return 0;
}

/* One field of a line, spaces around it dropped; returns the next start. */
static const char *field(const char *p, const char *end, char *out, size_t cap)
{
    while (p < end && *p == ' ')
        p++;
    const char *s = p;
    while (p < end && *p != ',')
        p++;
    const char *e = p;
    while (e > s && (e[-1] == ' ' || e[-1] == '\r'))
        e--;
    size_t n = (size_t)(e - s) < cap - 1 ? (size_t)(e - s) : cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
    return p < end ? p + 1 : NULL;
}

int fx_parse_csv(struct fx_table *t, const char *text, size_t len, const char *name,
                 struct tb_err *err)
{
    const char *p = text, *end = text + len;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    char cols[FX_MAX_CURRENCIES + 1][4];
    int ncols = 0, line = 0, rows = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *le = eol ? eol : end;
        line++;
        char f[64];
        const char *q = field(p, le, f, sizeof f);
        if (line == 1) {
            if (strcmp(f, "Date"))
                return TB_INVALID(err, "file", "%s:1: expected the ECB layout: a first column 'Date', "
                                  "then one column per currency", name);
            while (q) {
                q = field(q, le, f, sizeof f);
                if (!*f && !q)
                    break;   /* the trailing comma */
                if (strlen(f) != 3 || !isupper((unsigned char)f[0]) || !isupper((unsigned char)f[1]) ||
                    !isupper((unsigned char)f[2]))
                    return TB_INVALID(err, "file", "%s:1: '%s' is not a currency code", name, f);
                if (ncols == FX_MAX_CURRENCIES)
                    return TB_INVALID(err, "file", "%s:1: more than %d currencies", name, FX_MAX_CURRENCIES);
                memcpy(cols[ncols++], f, 4);
            }
        } else if (*f || q) {
            int32_t day;
            if (fx_day(f, &day) < 0 && long_day(f, &day) < 0)
                return TB_INVALID(err, "file", "%s:%d: '%s' is not a date", name, line, f);
            for (int c = 0; c < ncols; c++) {
                if (!q)
                    return TB_INVALID(err, "file", "%s:%d: %d rates expected, %d found", name, line, ncols, c);
                q = field(q, le, f, sizeof f);
                if (!*f || !strcmp(f, "N/A"))
                    continue;
                char *e;
                double v = strtod(f, &e);
                if (*e || !(v > 0) || v > 1e9)
                    return TB_INVALID(err, "file", "%s:%d: %s rate '%s' is not a positive number", name,
                                      line, cols[c], f);
                if (fx_set(t, day, cols[c], v, err) < 0)
                    return -1;
            }
            rows++;
        }
        p = eol ? eol + 1 : end;
    }
    if (!ncols || !rows)
        return TB_INVALID(err, "file", "%s: no rates in the file", name);
    return 0;
}

static int known(const char *currency, const char *field, struct tb_err *err)
{
    if (!codes_find(CODES_CURRENCY, currency))
        return TB_INVALID(err, field, "%s: '%s' is not an ISO 4217 currency code", field, currency);
    return 0;
}

static int no_rate(const char *currency, const char *when, const char *field, struct tb_err *err)
{
    return tb_fail(err, 422, "no_exchange_rate", field,
                   "%s: the ECB publishes no reference rate for %s %s; use another currency or "
                   "import newer rates (tradebridge fx import)", field, currency, when);
}

int fx_rate(const struct fx_table *t, const char *currency, const char *date, double *out,
            const char *field, struct tb_err *err)
{
    int32_t day;
    if (fx_day(date, &day) < 0)
        return TB_INVALID(err, field, "%s: '%s' is not a date (YYYY-MM-DD)", field, date);
    if (known(currency, field, err) < 0)
        return -1;
    if (!strcmp(currency, "EUR")) {
        *out = 1;
        return 0;
    }
    int c = cur_index(t, currency);
    int i = day_index(t, day + 1) - 1;   /* the last day <= day */
    for (; c >= 0 && i >= 0 && t->day[i] >= day - FX_LOOKBACK_DAYS; i--) {
        double v = t->rate[(size_t)i * FX_MAX_CURRENCIES + c];
        if (!isnan(v)) {
            *out = v;
            return 0;
        }
    }
    char when[40];
    snprintf(when, sizeof when, "on %s", date);
    return no_rate(currency, when, field, err);
}

static int average_days(const struct fx_table *t, const char *currency, int32_t from, int32_t to,
                        const char *when, double *out, const char *field, struct tb_err *err)
{
    if (known(currency, field, err) < 0)
        return -1;
    if (!strcmp(currency, "EUR")) {
        *out = 1;
        return 0;
    }
    int c = cur_index(t, currency), n = 0;
    double sum = 0;
    for (int i = day_index(t, from); c >= 0 && i < t->n_days && t->day[i] <= to; i++) {
        double v = t->rate[(size_t)i * FX_MAX_CURRENCIES + c];
        if (!isnan(v)) {
            sum += v;
            n++;
        }
    }
    if (!n)
        return no_rate(currency, when, field, err);
    *out = sum / n;
    return 0;
}

int fx_average(const struct fx_table *t, const char *currency, const char *from, const char *to,
               double *out, const char *field, struct tb_err *err)
{
    int32_t a, b;
    if (fx_day(from, &a) < 0 || fx_day(to, &b) < 0 || b < a)
        return TB_INVALID(err, field, "%s: expected two dates, the first not after the second", field);
    char when[48];
    snprintf(when, sizeof when, "from %s to %s", from, to);
    return average_days(t, currency, a, b, when, out, field, err);
}

int fx_period_average(const struct fx_table *t, const char *currency, int year, int quarter,
                      double *out, const char *field, struct tb_err *err)
{
    if (year < 1900 || year > 2200 || quarter < 0 || quarter > 4)
        return TB_INVALID(err, field, "%s: no such period", field);
    int m1 = quarter ? 3 * quarter - 2 : 1, m2 = quarter ? 3 * quarter : 12;
    char when[24];
    if (quarter)
        snprintf(when, sizeof when, "in %d-Q%d", year, quarter);
    else
        snprintf(when, sizeof when, "in %d", year);
    return average_days(t, currency, days_from_civil(year, m1, 1),
                        days_from_civil(year, m2, month_days(year, m2)), when, out, field, err);
}

int fx_cross(const struct fx_table *t, const char *from, const char *to, const char *date,
             double *out, const char *field, struct tb_err *err)
{
    double a, b;
    if (fx_rate(t, from, date, &a, field, err) < 0 || fx_rate(t, to, date, &b, field, err) < 0)
        return -1;
    *out = b / a;
    return 0;
}

int fx_convert_period(const struct fx_table *t, int64_t minor, const char *from, const char *to,
                      int year, int quarter, int64_t *out, const char *field, struct tb_err *err)
{
    double a, b;
    if (!strcmp(from, to) && known(from, field, err) == 0) {
        *out = minor;   /* no rate needed, even for a quarter the rates do not reach yet */
        return 0;
    }
    if (fx_period_average(t, from, year, quarter, &a, field, err) < 0 ||
        fx_period_average(t, to, year, quarter, &b, field, err) < 0)
        return -1;
    int ea = codes_currency_minor_units(from), eb = codes_currency_minor_units(to);
    double v = (double)minor / pow(10, ea < 0 ? 2 : ea) * (b / a) * pow(10, eb < 0 ? 2 : eb);
    if (!(fabs(v) < 9e15))
        return TB_INVALID(err, field, "%s: the converted amount is too large", field);
    *out = (int64_t)llround(v);
    return 0;
}
