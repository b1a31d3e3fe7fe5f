/*
 * sme.c - SME eligibility. Amounts in other currencies are converted with
 * approximate euro reference rates (ECB annual averages for 2024, rounded),
 * which is precise enough for a threshold check that is only advisory.
 */
#include "core/sme.h"

#include <math.h>
#include <string.h>

#include "core/codes.h"

struct rate {
    const char *code;
    double per_euro;   /* units of the currency for one euro */
};

static const struct rate rates[] = {
    {"EUR", 1.0},     {"SEK", 11.43},  {"NOK", 11.63}, {"DKK", 7.459}, {"ISK", 149.0},
    {"GBP", 0.847},   {"CHF", 0.953},  {"PLN", 4.306}, {"CZK", 25.12}, {"HUF", 395.3},
    {"RON", 4.975},   {"BGN", 1.9558}, {"USD", 1.082}, {"JPY", 163.9}, {"CNY", 7.787},
    {"TRY", 35.57},   {"CAD", 1.482},  {"AUD", 1.640}, {"RSD", 117.1}, {"UAH", 43.5},
};

int sme_to_euro_cents(const char *currency, int64_t minor, int64_t *cents)
{
    if (!currency)
        return -1;
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
        if (strcmp(rates[i].code, currency))
            continue;
        int digits = codes_currency_minor_units(currency);
        if (digits < 0)
            return -1;
        double units = (double)minor / pow(10, digits);
        *cents = (int64_t)llround(units / rates[i].per_euro * 100.0);
        return 0;
    }
    return -1;
}

json_t *sme_check(const json_t *c)
{
    json_t *reasons = json_array();
    int unknown = 0, ok = 1;
    json_t *staff = json_object_get(c, "employees");
    if (!json_is_integer(staff)) {
        json_array_append_new(reasons, json_string("number of employees not given"));
        unknown = 1;
    } else if (json_integer_value(staff) >= 250) {
        json_array_append_new(reasons, json_string("250 or more employees"));
        ok = 0;
    }
    const char *currency = json_string_value(json_object_get(c, "currency"));
    json_t *turnover = json_object_get(c, "turnover"), *balance = json_object_get(c, "balance_sheet");
    int64_t t_cents = -1, b_cents = -1;
    int have_money = json_is_integer(turnover) || json_is_integer(balance);
    if (have_money && currency) {
        if (json_is_integer(turnover) && sme_to_euro_cents(currency, json_integer_value(turnover), &t_cents) < 0)
            t_cents = -2;
        if (json_is_integer(balance) && sme_to_euro_cents(currency, json_integer_value(balance), &b_cents) < 0)
            b_cents = -2;
    }
    const int64_t turnover_cap = 50000000LL * 100, balance_cap = 43000000LL * 100;
    if (!have_money) {
        json_array_append_new(reasons, json_string("neither turnover nor balance sheet total given"));
        unknown = 1;
    } else if (!currency) {
        json_array_append_new(reasons, json_string("amounts given without a currency"));
        unknown = 1;
    } else if (t_cents == -2 || b_cents == -2) {
        json_array_append_new(reasons, json_string("no euro reference rate for this currency"));
        unknown = 1;
    } else {
        int within = (t_cents >= 0 && t_cents <= turnover_cap) || (b_cents >= 0 && b_cents <= balance_cap);
        if (!within) {
            json_array_append_new(reasons, json_string(
                "turnover above EUR 50 million and balance sheet above EUR 43 million (or not given)"));
            ok = 0;
        }
    }
    json_t *eligible = !ok ? json_false() : unknown ? json_null() : json_true();
    if (ok && !unknown)
        json_array_append_new(reasons, json_string("under 250 employees and within the financial ceilings"));
    return json_pack("{s:o, s:o, s:s}", "eligible", eligible, "reasons", reasons, "rule",
                     "EU SME definition (Recommendation 2003/361/EC)");
}
