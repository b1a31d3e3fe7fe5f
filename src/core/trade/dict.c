/*
 * dict.c - BACI country dictionaries, both layouts:
 *   up to V2023: country_code,country_name_abbreviation,country_name_full,iso_2digit_alpha,iso_3digit_alpha
 *   V2024 on:    country_code,country_name,country_iso2,country_iso3
 * Codes are UN Comtrade codes, not ISO numeric (USA 842, France 251). A code is
 * a rankable market unless it is a group, a former state or an "nes" bucket;
 * 490 "Other Asia, nes" is Taiwan (TW/TWN), as is common practice.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/embedded.h"
#include "core/trade/csvrows.h"
#include "core/trade/trade.h"

extern const struct embedded_file trade_dict_files[];

/* Groups and former states that share an ISO code with a current country. */
static const int not_markets[] = {58, 200, 280, 530, 697, 711, 736, 810, 849, 890, 891};

void trade_dict_init(struct trade_dict *d)
{
    d->n = 0;
    memset(d->idx, 0xff, sizeof d->idx);
}

struct dict_ctx {
    struct trade_dict *d;
    int override;
    int col_code, col_name, col_iso2, col_iso3;
};

static void copy_code(char *dst, size_t n, const char *src)
{
    size_t k = 0;
    for (; src[k] && k + 1 < n; k++)
        dst[k] = src[k];
    dst[k] = '\0';
    if (src[k])             /* longer than a code ("N/A" fits, "Not known" not) */
        dst[0] = '\0';
}

static int is_alpha3(const char *s)
{
    return strlen(s) == 3 && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]) &&
           isupper((unsigned char)s[2]);
}

static int dict_row(void *vctx, char **f, int n, long line, struct tb_err *err)
{
    struct dict_ctx *c = vctx;
    if (line == 1) {
        for (int i = 0; i < n; i++) {
            if (!strcmp(f[i], "country_code"))
                c->col_code = i;
            else if (!strcmp(f[i], "country_name") || !strcmp(f[i], "country_name_abbreviation"))
                c->col_name = i;
            else if (!strcmp(f[i], "country_iso2") || !strcmp(f[i], "iso_2digit_alpha"))
                c->col_iso2 = i;
            else if (!strcmp(f[i], "country_iso3") || !strcmp(f[i], "iso_3digit_alpha"))
                c->col_iso3 = i;
        }
        if (c->col_code < 0 || c->col_iso3 < 0)
            return TB_INVALID(err, "countries",
                              "not a BACI country dictionary: the header has no country_code "
                              "and country_iso3 (or iso_3digit_alpha) column");
        return 0;
    }
    int need = c->col_code > c->col_iso3 ? c->col_code : c->col_iso3;
    if (n <= need)
        return TB_INVALID(err, "countries", "line %ld: %d columns, expected at least %d", line, n,
                          need + 1);
    char *e;
    long code = strtol(f[c->col_code], &e, 10);
    if (e == f[c->col_code] || *e || code < 0 || code >= TRADE_MAX_CODE)
        return TB_INVALID(err, "countries", "line %ld: country code '%s' is not a number 0-999",
                          line, f[c->col_code]);
    struct trade_dict *d = c->d;
    int at = d->idx[code];
    if (at >= 0 && !c->override)
        return 0;
    if (at < 0) {
        if (d->n >= TRADE_MAX_COUNTRIES)
            return TB_INVALID(err, "countries", "line %ld: more than %d countries", line,
                              TRADE_MAX_COUNTRIES);
        at = d->n++;
        d->idx[code] = (int16_t)at;
    }
    struct trade_country *t = &d->c[at];
    memset(t, 0, sizeof *t);
    t->code = (int16_t)code;
    copy_code(t->iso3, sizeof t->iso3, f[c->col_iso3]);
    if (c->col_iso2 >= 0 && c->col_iso2 < n)
        copy_code(t->iso2, sizeof t->iso2, f[c->col_iso2]);
    if (c->col_name >= 0 && c->col_name < n)
        snprintf(t->name, sizeof t->name, "%s", f[c->col_name]);
    if (code == 490) {      /* "Other Asia, nes" = Taiwan */
        strcpy(t->iso2, "TW");
        strcpy(t->iso3, "TWN");
    }
    if (!is_alpha3(t->iso3))
        t->iso3[0] = '\0';
    t->rankable = t->iso3[0] != '\0';
    for (size_t i = 0; i < sizeof not_markets / sizeof not_markets[0]; i++)
        if (not_markets[i] == code)
            t->rankable = 0;
    return 0;
}

int trade_dict_parse(struct trade_dict *d, const char *buf, size_t len, int override,
                     struct tb_err *err)
{
    struct dict_ctx c = {d, override, -1, -1, -1, -1};
    return csvrows_each(buf, len, ',', dict_row, &c, err);
}

int trade_dict_default(struct trade_dict *d, struct tb_err *err)
{
    trade_dict_init(d);
    const struct embedded_file *newer = embedded_find(trade_dict_files, "country_codes_V202501.csv");
    const struct embedded_file *older = embedded_find(trade_dict_files, "country_codes_V202201.csv");
    if (!newer || !older)
        return TB_INTERNAL(err, "built-in country dictionary missing");
    if (trade_dict_parse(d, (const char *)newer->data, newer->size, 0, err) < 0 ||
        trade_dict_parse(d, (const char *)older->data, older->size, 0, err) < 0)
        return -1;
    return 0;
}

const struct trade_country *trade_dict_get(const struct trade_dict *d, int code)
{
    if (code < 0 || code >= TRADE_MAX_CODE || d->idx[code] < 0)
        return NULL;
    return &d->c[d->idx[code]];
}
