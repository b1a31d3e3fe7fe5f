/*
 * rank_json.c - a ranking as JSON, for `trade rank --format json` and the API.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/codes.h"
#include "core/trade/rank.h"

#define COL(n, k, f) {n, TRADE_COL_##k, offsetof(struct trade_market, f)}
const struct trade_column trade_columns[TRADE_N_COLUMNS] = {
    COL("rank", INT, rank),
    COL("code", INT, code),
    COL("iso3", TEXT, iso3),
    COL("hs6", HS6, hs6),
    COL("import_value", MONEY, import_value),
    COL("import_cagr", FRAC, import_cagr),
    COL("home_exports", MONEY, home_exports),
    COL("actual", MONEY, home_exports),
    COL("home_share", FRAC, home_share),
    COL("suppliers", INT, suppliers),
    COL("hhi", FRAC, hhi),
    COL("distw_km", KM, distw_km),
    COL("gdp", BIG, gdp),
    COL("gdp_pc_growth", FRAC, gdp_pc_growth),
    COL("unit_value", MONEY, unit_value),
    COL("supply", FRAC, supply),
    COL("demand", MONEY, demand),
    COL("ease", FRAC, ease),
    COL("ease_estimated", INT, ease_estimated),
    COL("potential", MONEY, potential),
    COL("untapped", MONEY, untapped),
    COL("reexport_hub", INT, reexport_hub),
    COL("score", MONEY, score),
    COL("explanation", TEXT, explanation),
};

static json_t *num(double v, double scale)
{
    return isnan(v) ? json_null() : json_real(round(v * scale) / scale);
}

static json_t *value(const struct trade_column *c, const struct trade_market *m)
{
    const char *p = (const char *)m + c->off;
    double d;
    int i;
    uint32_t u;
    char hs[16];
    switch (c->kind) {
    case TRADE_COL_INT: memcpy(&i, p, sizeof i); return json_integer(i);
    case TRADE_COL_TEXT: return json_string(p);
    case TRADE_COL_HS6:
        memcpy(&u, p, sizeof u);
        snprintf(hs, sizeof hs, "%06u", (unsigned)u);
        return u ? json_string(hs) : NULL;
    default: break;
    }
    memcpy(&d, p, sizeof d);
    return num(d, c->kind == TRADE_COL_FRAC ? 1e6 : c->kind == TRADE_COL_BIG ? 1 : 1e3);
}

json_t *trade_result_json(const struct trade_result *r, const char *product, int revision,
                          int limit)
{
    json_t *markets = json_array();
    int n = limit >= 0 && limit < r->n ? limit : r->n;
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        for (int c = 0; c < TRADE_N_COLUMNS; c++) {
            json_t *v = strcmp(trade_columns[c].name, "actual") ? value(&trade_columns[c], &r->m[i])
                                                                 : NULL;
            if (v)
                json_object_set_new(o, trade_columns[c].name, v);
        }
        json_object_set_new(o, "iso2", json_string(r->m[i].iso2));
        const struct code_entry *ce = codes_find(CODES_COUNTRY, r->m[i].iso2);
        if (ce && ce->numeric)
            json_object_set_new(o, "iso_numeric", json_string(ce->numeric));   /* maps key countries by it */
        json_t *pct = json_object();
        for (int k = 0; k < TRADE_N_WEIGHTS; k++)
            json_object_set_new(pct, trade_weight_names[k], num(r->m[i].pct[k], 1e4));
        json_object_set_new(o, "percentiles", pct);
        if (r->m[i].tariff) {   /* the entered tariff weighing most, and the demand factor of all */
            json_t *t = trade_tariff_json(r->m[i].tariff);
            json_object_set_new(t, "demand_factor", num(r->m[i].tariff_factor, 1e6));
            json_object_set_new(t, "products", json_integer(r->m[i].n_tariffed));
            json_object_set_new(o, "tariff", t);
        } else {
            json_object_set_new(o, "tariff", json_null());
        }
        char why[320];
        snprintf(why, sizeof why, "rank %d of %d, score %.1f: %s", r->m[i].rank, r->n,
                 r->m[i].score, r->m[i].why);
        json_object_set_new(o, "rank_explanation", json_string(why));
        json_array_append_new(markets, o);
    }
    char rev[8];
    snprintf(rev, sizeof rev, "HS%02d", revision);
    return json_pack("{s:s, s:s, s:[i,i], s:s, s:o, s:o, s:i, s:o, s:s}", "home", r->home_iso3,
                     "product", product, "years", r->first_year, r->last_year, "revision", rev,
                     "home_supply", num(r->home_supply, 1e6), "world_value",
                     num(r->world_value, 1e3), "count", r->n, "markets", markets, "sources",
                     "CEPII BACI and GeoDist (Etalab 2.0), World Bank WDI (CC BY 4.0); export "
                     "potential computed by TradeBridge, not ITC figures");
}

/* ---- the markets array as text, for the API's ranking response ----
 * Building ~5,000 jansson values per ranking and printing every real with
 * "%.17g" took 3.2 ms of a 3.5 ms ranking request (bench/trade): the ranking
 * itself takes 0.2 ms. This writes the same array straight into a buffer.
 * A figure is round(v * scale) / scale, so its exact decimal form (integer
 * digits, a point, at most log10(scale) digits) parses back to the very
 * double trade_result_json holds; it is written with at least one decimal
 * (5.0) so that it stays a JSON real. */

static void put_num(struct abuf *b, double v, double scale)
{
    double x = round(v * scale);
    if (isnan(v)) {
        abuf_append(b, "null", 4);
        return;
    }
    int digits = scale >= 1e6 ? 6 : scale >= 1e4 ? 4 : scale >= 1e3 ? 3 : 0;
    if (!(fabs(x) < 9007199254740992.0)) {   /* beyond 2^53: as jansson prints a real */
        char big[40];
        snprintf(big, sizeof big, "%.17g", x / scale);
        abuf_puts(b, big);
        if (!strpbrk(big, ".e"))
            abuf_append(b, ".0", 2);
        return;
    }
    long long n = (long long)x, p10 = 1;
    for (int i = 0; i < digits; i++)
        p10 *= 10;
    unsigned long long u = n < 0 ? (unsigned long long)-n : (unsigned long long)n;
    unsigned long long whole = u / (unsigned long long)p10, frac = u % (unsigned long long)p10;
    char tmp[48], *e = tmp + sizeof tmp, *s = e;
    int fd = digits;
    while (fd > 1 && frac % 10 == 0) {   /* trailing zeros go, one decimal stays */
        frac /= 10;
        fd--;
    }
    for (int i = 0; i < (digits ? fd : 1); i++, frac /= 10)
        *--s = (char)('0' + frac % 10);
    *--s = '.';
    do
        *--s = (char)('0' + whole % 10);
    while ((whole /= 10));
    if (n < 0)
        *--s = '-';
    abuf_append(b, s, (size_t)(e - s));
}

/* A JSON string, ASCII only (\u escapes) like the server's JSON_ENSURE_ASCII. */
static void put_str(struct abuf *b, const char *s)
{
    abuf_append(b, "\"", 1);
    for (const char *run = s;; s++) {
        unsigned char c = (unsigned char)*s;
        if (c && c != '"' && c != '\\' && c >= 0x20 && c < 0x80)
            continue;
        abuf_append(b, run, (size_t)(s - run));
        if (!c)
            break;
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            abuf_append(b, esc, 2);
        } else if (c < 0x80) {
            abuf_printf(b, "\\u%04x", c);
        } else {   /* UTF-8: the code point, as a surrogate pair past U+FFFF */
            int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
            unsigned cp = len == 1 ? 0xfffd : c & (0x7fu >> len);
            for (int k = 1; k < len; k++) {
                unsigned char cc = (unsigned char)s[k];
                if ((cc & 0xc0) != 0x80) {
                    cp = 0xfffd;
                    len = k;
                    break;
                }
                cp = cp << 6 | (cc & 0x3f);
            }
            if (cp > 0xffff)
                abuf_printf(b, "\\u%04x\\u%04x", 0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
            else
                abuf_printf(b, "\\u%04x", cp);
            s += len - 1;
        }
        run = s + 1;
    }
    abuf_append(b, "\"", 1);
}

/* What json_real refuses (infinite), trade_result_json leaves out. */
static int omitted(double v, double scale)
{
    return !isnan(v) && !isfinite(round(v * scale) / scale);
}

static void put_int(struct abuf *b, long long v)
{
    char tmp[24], *e = tmp + sizeof tmp, *s = e;
    unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
    do
        *--s = (char)('0' + u % 10);
    while ((u /= 10));
    if (v < 0)
        *--s = '-';
    abuf_append(b, s, (size_t)(e - s));
}

/* ,"key": in one piece (the keys are the program's own ASCII names) */
static void put_key(struct abuf *b, const char *key, int *first)
{
    char tmp[64];
    size_t n = strlen(key), at = !*first;
    if (n > sizeof tmp - 4) {
        abuf_append(b, ",", at);
        put_str(b, key);
        abuf_append(b, ":", 1);
    } else {
        tmp[0] = ',';
        tmp[at] = '"';
        memcpy(tmp + at + 1, key, n);
        memcpy(tmp + at + 1 + n, "\":", 2);
        abuf_append(b, tmp, at + n + 3);
    }
    *first = 0;
}

int trade_markets_text(const struct trade_result *r, int limit, struct abuf *b)
{
    int n = limit >= 0 && limit < r->n ? limit : r->n;
    if (!abuf_reserve(b, (size_t)n * 1536 + 2))   /* a market takes about 1 KB: grown once */
        return -1;
    abuf_append(b, "[", 1);
    for (int i = 0; i < n; i++) {
        const struct trade_market *m = &r->m[i];
        int first = 1;
        abuf_append(b, i ? ",{" : "{", i ? 2 : 1);
        for (int c = 0; c < TRADE_N_COLUMNS; c++) {
            const struct trade_column *col = &trade_columns[c];
            const char *p = (const char *)m + col->off;
            double d;
            int v;
            uint32_t u;
            if (!strcmp(col->name, "actual"))
                continue;
            switch (col->kind) {
            case TRADE_COL_INT:
                memcpy(&v, p, sizeof v);
                put_key(b, col->name, &first);
                put_int(b, v);
                break;
            case TRADE_COL_TEXT:
                put_key(b, col->name, &first);
                put_str(b, p);
                break;
            case TRADE_COL_HS6:
                memcpy(&u, p, sizeof u);
                if (u) {
                    put_key(b, col->name, &first);
                    abuf_printf(b, "\"%06u\"", (unsigned)u);
                }
                break;
            default:
                memcpy(&d, p, sizeof d);
                if (omitted(d, col->kind == TRADE_COL_FRAC ? 1e6 : col->kind == TRADE_COL_BIG ? 1 : 1e3))
                    break;
                put_key(b, col->name, &first);
                put_num(b, d, col->kind == TRADE_COL_FRAC ? 1e6 : col->kind == TRADE_COL_BIG ? 1 : 1e3);
            }
        }
        put_key(b, "iso2", &first);
        put_str(b, m->iso2);
        const struct code_entry *ce = codes_find(CODES_COUNTRY, m->iso2);
        if (ce && ce->numeric) {
            put_key(b, "iso_numeric", &first);
            put_str(b, ce->numeric);
        }
        put_key(b, "percentiles", &first);
        abuf_append(b, "{", 1);
        for (int k = 0, f2 = 1; k < TRADE_N_WEIGHTS; k++) {
            if (omitted(m->pct[k], 1e4))
                continue;
            put_key(b, trade_weight_names[k], &f2);
            put_num(b, m->pct[k], 1e4);
        }
        abuf_append(b, "}", 1);
        put_key(b, "tariff", &first);
        if (m->tariff) {   /* rare (tariffs a person entered): the object as trade_result_json builds it */
            json_t *t = trade_tariff_json(m->tariff);
            json_object_set_new(t, "demand_factor", num(m->tariff_factor, 1e6));
            json_object_set_new(t, "products", json_integer(m->n_tariffed));
            char *txt = json_dumps(t, JSON_COMPACT);
            json_decref(t);
            if (!txt)
                return -1;
            abuf_puts(b, txt);
            free(txt);
        } else {
            abuf_append(b, "null", 4);
        }
        char why[320];
        snprintf(why, sizeof why, "rank %d of %d, score %.1f: %s", m->rank, r->n, m->score, m->why);
        put_key(b, "rank_explanation", &first);
        put_str(b, why);
        abuf_append(b, "}", 1);
    }
    abuf_append(b, "]", 1);
    return b->failed ? -1 : 0;
}
