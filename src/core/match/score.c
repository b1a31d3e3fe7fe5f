/*
 * score.c - the explainable pair score: each criterion yields a fraction
 * (per mille) and a phrase, weights turn fractions into integer points that
 * sum exactly to the total, and hard constraints veto the pair with a reason.
 * Integer arithmetic only, so scores feed the exact assignment engine.
 */
#include "core/match/score.h"
#include "core/validate.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *code, *name;
} lang_names[] = {
    { "ar", "Arabic" },  { "bg", "Bulgarian" }, { "cs", "Czech" },     { "da", "Danish" },
    { "de", "German" },  { "el", "Greek" },     { "en", "English" },   { "es", "Spanish" },
    { "et", "Estonian" }, { "fi", "Finnish" },  { "fr", "French" },    { "ga", "Irish" },
    { "hi", "Hindi" },   { "hr", "Croatian" },  { "hu", "Hungarian" }, { "is", "Icelandic" },
    { "it", "Italian" }, { "ja", "Japanese" },  { "ko", "Korean" },    { "lt", "Lithuanian" },
    { "lv", "Latvian" }, { "mt", "Maltese" },   { "nl", "Dutch" },     { "no", "Norwegian" },
    { "pl", "Polish" },  { "pt", "Portuguese" }, { "ro", "Romanian" }, { "ru", "Russian" },
    { "sk", "Slovak" },  { "sl", "Slovenian" }, { "sv", "Swedish" },   { "tr", "Turkish" },
    { "uk", "Ukrainian" }, { "vi", "Vietnamese" }, { "zh", "Chinese" },
};

static const char *lang_name(const char *code)
{
    for (size_t k = 0; k < sizeof lang_names / sizeof lang_names[0]; k++)
        if (strcmp(lang_names[k].code, code) == 0)
            return lang_names[k].name;
    return code;
}

const char *tb_cefr_name(enum tb_cefr l)
{
    static const char *const names[] = { "none", "A1", "A2", "B1", "B2", "C1", "C2", "native" };
    return (unsigned)l <= TB_CEFR_NATIVE ? names[l] : "?";
}

int tb_cefr_parse(const char *s, enum tb_cefr *out)
{
    for (int l = TB_CEFR_NONE; l <= TB_CEFR_NATIVE; l++)
        if (strcasecmp(s, tb_cefr_name((enum tb_cefr)l)) == 0) {
            *out = (enum tb_cefr)l;
            return 0;
        }
    return -1;
}

const char *tb_criterion_name(enum tb_criterion k)
{
    static const char *const names[] = { "languages",  "market_languages", "market_experience",
                                         "field",      "sector",           "location",
                                         "availability" };
    return (unsigned)k < TB_CRIT_COUNT ? names[k] : "?";
}

void tb_score_weights_default(struct tb_score_weights *w)
{
    static const int32_t d[TB_CRIT_COUNT] = { 2500, 1500, 1500, 1500, 1500, 1000, 500 };
    memcpy(w->w, d, sizeof d);
    w->market_months_full = 12;
    w->start_grace_days = 14;
}

/* ---- dates ---------------------------------------------------------------- */

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int atoi_n(const char *s, int n)
{
    int v = 0;
    for (int k = 0; k < n; k++)
        v = v * 10 + (s[k] - '0');
    return v;
}

int tb_day_from_iso(const char *s, int32_t *day)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int k = 0; k < 10; k++)
        if (k != 4 && k != 7 && !isdigit((unsigned char)s[k]))
            return -1;
    int y = atoi_n(s, 4), m = atoi_n(s + 5, 2), d = atoi_n(s + 8, 2);
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12 || d < 1)
        return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap))
        return -1;
    *day = (int32_t)days_from_civil(y, m, d);
    return 0;
}

void tb_day_to_iso(int32_t day, char out[11])
{
    int64_t z = (int64_t)day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 0 || y > 9999)
        y = m = d = 0;     /* out of range: "0000-00-00" */
    const int64_t parts[3] = { y, m, d };
    const int widths[3] = { 4, 2, 2 };
    int at = 0;
    for (int k = 0; k < 3; k++) {
        int64_t v = parts[k];
        for (int t = widths[k] - 1; t >= 0; t--) {
            out[at + t] = (char)('0' + v % 10);
            v /= 10;
        }
        at += widths[k];
        if (k < 2)
            out[at++] = '-';
    }
    out[10] = '\0';
}

/* ---- criteria --------------------------------------------------------------- */

static enum tb_cefr level_of(const struct tb_candidate_profile *c, const char *lang)
{
    enum tb_cefr best = TB_CEFR_NONE;
    for (int32_t k = 0; k < c->n_languages; k++)
        if (strcmp(c->languages[k].lang, lang) == 0 && c->languages[k].level > best)
            best = c->languages[k].level;
    return best;
}

/* Appends to a fixed detail buffer, silently truncating. */
static void addf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void addf(char *buf, size_t n, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 1 >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    utf8_vsnprintf(buf + len, n - len, fmt, ap);
    va_end(ap);
}

static size_t norm_code(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s && k + 1 < n; s++)
        if (isalnum((unsigned char)*s))
            out[k++] = (char)toupper((unsigned char)*s);
    out[k] = '\0';
    return k;
}

static int32_t field_fraction(const char *want, const char *have, const char **how)
{
    size_t wl = strlen(want), hl = strlen(have);
    if (wl >= 2 && wl <= hl && strncmp(want, have, wl) == 0) {
        *how = "exact";
        return 1000;
    }
    if (wl >= 3 && hl >= 3 && strncmp(want, have, 3) == 0) {
        *how = "same narrow field";
        return 600;
    }
    if (wl >= 2 && hl >= 2 && strncmp(want, have, 2) == 0) {
        *how = "same broad field";
        return 300;
    }
    *how = "different field";
    return 0;
}

static int check_input(const struct tb_candidate_profile *c, const struct tb_position_profile *p,
                       const struct tb_score_context *ctx, struct tb_err *err)
{
    for (int k = 0; k < TB_CRIT_COUNT; k++)
        if (ctx->weights.w[k] < 0 || ctx->weights.w[k] > 1000000)
            return TB_INVALID(err, "weights", "weight of %s must be 0..1000000",
                              tb_criterion_name((enum tb_criterion)k));
    if (ctx->weights.market_months_full <= 0 || ctx->weights.start_grace_days < 0)
        return TB_INVALID(err, "weights", "market_months_full must be > 0, grace >= 0");
    for (int32_t k = 0; k < c->n_languages; k++)
        if ((unsigned)c->languages[k].level > TB_CEFR_NATIVE)
            return TB_INVALID(err, "languages", "unknown language level");
    for (int32_t k = 0; k < p->n_required; k++)
        if ((unsigned)p->required[k].level > TB_CEFR_NATIVE)
            return TB_INVALID(err, "required", "unknown language level");
    if ((unsigned)c->mobility > TB_MOBILITY_ABROAD)
        return TB_INVALID(err, "mobility", "unknown mobility");
    return 0;
}

int tb_score_pair(const struct tb_candidate_profile *c, const struct tb_position_profile *p,
                  const struct tb_score_context *ctx, struct tb_score_result *out,
                  struct tb_err *err)
{
    memset(out, 0, sizeof *out);
    if (check_input(c, p, ctx, err) < 0)
        return -1;
    const struct tb_score_weights *w = &ctx->weights;
    struct tb_score_part *pt = out->parts;
    /* brief: totals and veto reasons only, the per-criterion phrases left
     * empty (candidate generation scores many pairs and keeps few) */
    const bool brief = ctx->brief;
#define DETAIL(...) do { if (!brief) snprintf(__VA_ARGS__); } while (0)
#define ADDF(...) do { if (!brief) addf(__VA_ARGS__); } while (0)
    for (int k = 0; k < TB_CRIT_COUNT; k++)
        pt[k].criterion = (enum tb_criterion)k;

    if (!c->consent) {
        out->veto = TB_VETO_CONSENT;
        snprintf(out->reason, sizeof out->reason, "no consent to be matched");
    }

    /* Required languages: below the minimum forbids the pair; each level
     * above it adds a little (700 at the minimum, 1000 three levels up). */
    struct tb_score_part *q = &pt[TB_CRIT_LANGUAGES];
    if (p->n_required > 0) {
        int64_t sum = 0;
        q->applicable = true;
        for (int32_t k = 0; k < p->n_required; k++) {
            const struct tb_lang_level *rq = &p->required[k];
            enum tb_cefr have = level_of(c, rq->lang);
            const char *name = lang_name(rq->lang);
            ADDF(q->detail, sizeof q->detail, "%s%s %s (%s required)", k ? "; " : "", name,
                 tb_cefr_name(have), tb_cefr_name(rq->level));
            if (have < rq->level) {
                if (out->veto == TB_VETO_NONE) {
                    out->veto = TB_VETO_LANGUAGE;
                    if (have == TB_CEFR_NONE)
                        snprintf(out->reason, sizeof out->reason, "no %s against required %s",
                                 name, tb_cefr_name(rq->level));
                    else
                        snprintf(out->reason, sizeof out->reason, "%s %s against required %s",
                                 name, tb_cefr_name(have), tb_cefr_name(rq->level));
                }
                continue;
            }
            int32_t f = 700 + 100 * (int32_t)(have - rq->level);
            sum += f > 1000 ? 1000 : f;
        }
        q->fraction = (int32_t)(sum / p->n_required);
    } else {
        DETAIL(q->detail, sizeof q->detail, "no language required");
    }

    /* Languages of the target markets, from the caller's official table. */
    static const int32_t level_points[] = { 0, 150, 300, 500, 700, 850, 1000, 1000 };
    q = &pt[TB_CRIT_MARKET_LANGUAGES];
    {
        int64_t sum = 0;
        int32_t counted = 0;
        for (int32_t m = 0; m < p->n_markets; m++) {
            enum tb_cefr best = TB_CEFR_NONE;
            const char *best_lang = NULL;
            bool known = false;
            for (int32_t k = 0; k < ctx->n_official; k++) {
                if (strcmp(ctx->official[k].country, p->markets[m]) != 0)
                    continue;
                known = true;
                enum tb_cefr l = level_of(c, ctx->official[k].lang);
                if (!best_lang || l > best) {
                    best = l;
                    best_lang = ctx->official[k].lang;
                }
            }
            if (!known)
                continue;
            counted++;
            sum += level_points[best];
            ADDF(q->detail, sizeof q->detail, "%s%s %s for %s", counted > 1 ? "; " : "",
                 lang_name(best_lang), tb_cefr_name(best), p->markets[m]);
        }
        if (counted) {
            q->applicable = true;
            q->fraction = (int32_t)(sum / counted);
        } else {
            DETAIL(q->detail, sizeof q->detail, "no target market with known languages");
        }
    }

    /* Months lived or studied in each target market. */
    q = &pt[TB_CRIT_MARKET_EXPERIENCE];
    if (p->n_markets > 0) {
        int64_t sum = 0;
        q->applicable = true;
        for (int32_t m = 0; m < p->n_markets; m++) {
            int64_t months = 0;
            for (int32_t k = 0; k < c->n_stays; k++)
                if (strcmp(c->stays[k].country, p->markets[m]) == 0 && c->stays[k].months > 0)
                    months += c->stays[k].months;
            int64_t f = months * 1000 / w->market_months_full;
            sum += f > 1000 ? 1000 : f;
            ADDF(q->detail, sizeof q->detail, "%s%lld months in %s", m ? "; " : "",
                 (long long)months, p->markets[m]);
        }
        q->fraction = (int32_t)(sum / p->n_markets);
    } else {
        DETAIL(q->detail, sizeof q->detail, "no target market given");
    }

    /* Field of study: exact (at the level asked) > same narrow > same broad. */
    q = &pt[TB_CRIT_FIELD];
    if (p->n_fields > 0) {
        q->applicable = true;
        const char *best_how = "no degree field given";
        int32_t bi = -1, bj = -1;
        for (int32_t i = 0; i < p->n_fields; i++)
            for (int32_t j = 0; j < c->n_fields; j++) {
                const char *how;
                int32_t f = field_fraction(p->fields[i], c->fields[j], &how);
                if (bi < 0 || f > q->fraction) {
                    q->fraction = f;
                    best_how = how;
                    bi = i;
                    bj = j;
                }
            }
        if (bi >= 0)
            DETAIL(q->detail, sizeof q->detail, "ISCED %s against wanted %s: %s",
                     c->fields[bj], p->fields[bi], best_how);
        else
            DETAIL(q->detail, sizeof q->detail, "%s", best_how);
    } else {
        DETAIL(q->detail, sizeof q->detail, "no field wanted");
    }

    /* Product/sector experience: longest shared code prefix (2+ characters)
     * relative to the position's code, within the same scheme. */
    q = &pt[TB_CRIT_SECTOR];
    if (p->n_sectors > 0) {
        q->applicable = true;
        DETAIL(q->detail, sizeof q->detail, "no shared product or sector code");
        for (int32_t i = 0; i < p->n_sectors; i++)
            for (int32_t j = 0; j < c->n_sectors; j++) {
                if (p->sectors[i].scheme != c->sectors[j].scheme)
                    continue;
                char a[16], b[16];
                size_t al = norm_code(p->sectors[i].code, a, sizeof a);
                norm_code(c->sectors[j].code, b, sizeof b);
                size_t l = 0;
                while (a[l] && b[l] && a[l] == b[l])
                    l++;
                if (l < 2 || al == 0)
                    continue;
                int32_t f = (int32_t)(1000 * l / al);
                if (f > q->fraction) {
                    q->fraction = f;
                    DETAIL(q->detail, sizeof q->detail, "%s %s shares %zu characters with %s",
                             p->sectors[i].scheme == TB_CODE_HS ? "HS" : "NACE",
                             c->sectors[j].code, l, p->sectors[i].code);
                }
            }
    } else {
        DETAIL(q->detail, sizeof q->detail, "no sector given");
    }

    /* Location and mobility. */
    q = &pt[TB_CRIT_LOCATION];
    if (p->remote) {
        q->applicable = true;
        q->fraction = 1000;
        DETAIL(q->detail, sizeof q->detail, "remote position");
    } else if (p->country[0]) {
        q->applicable = true;
        bool same_country = strcmp(p->country, c->country) == 0;
        bool regions_known = p->region && c->region;
        bool same_region = same_country && regions_known && strcmp(p->region, c->region) == 0;
        const char *mob = c->mobility == TB_MOBILITY_REGION    ? "own region only"
                          : c->mobility == TB_MOBILITY_COUNTRY ? "own country only"
                                                               : "anywhere";
        bool excluded = (c->mobility == TB_MOBILITY_COUNTRY && !same_country) ||
                        (c->mobility == TB_MOBILITY_REGION &&
                         (!same_country || (regions_known && !same_region)));
        if (same_region) {
            q->fraction = 1000;
            DETAIL(q->detail, sizeof q->detail, "same region (%s)", p->region);
        } else if (same_country) {
            q->fraction = regions_known ? 700 : 850;
            DETAIL(q->detail, sizeof q->detail, "same country (%s)", p->country);
        } else {
            q->fraction = 400;
            DETAIL(q->detail, sizeof q->detail, "abroad (%s, home %s)", p->country,
                     c->country[0] ? c->country : "unknown");
        }
        if (excluded && out->veto == TB_VETO_NONE) {
            out->veto = TB_VETO_MOBILITY;
            snprintf(out->reason, sizeof out->reason, "works in %s%s%s, graduate mobile in %s",
                     p->country, p->region ? " " : "", p->region ? p->region : "", mob);
        }
        if (excluded)
            q->fraction = 0;
    } else {
        DETAIL(q->detail, sizeof q->detail, "no location given");
    }

    /* Availability against the start date. */
    q = &pt[TB_CRIT_AVAILABILITY];
    if (p->start != TB_DAY_UNKNOWN && c->available_from != TB_DAY_UNKNOWN) {
        q->applicable = true;
        char from[11], start[11];
        tb_day_to_iso(c->available_from, from);
        tb_day_to_iso(p->start, start);
        int64_t late = (int64_t)c->available_from - p->start;
        if (late <= 0) {
            q->fraction = 1000;
            DETAIL(q->detail, sizeof q->detail, "available from %s, start %s", from, start);
        } else if (late <= w->start_grace_days) {
            q->fraction = (int32_t)(1000 - 500 * late / (w->start_grace_days ? w->start_grace_days : 1));
            DETAIL(q->detail, sizeof q->detail, "available %lld days after the start %s",
                     (long long)late, start);
        } else {
            DETAIL(q->detail, sizeof q->detail, "available %lld days after the start %s",
                     (long long)late, start);
            if (out->veto == TB_VETO_NONE) {
                out->veto = TB_VETO_AVAILABILITY;
                snprintf(out->reason, sizeof out->reason,
                         "available from %s, %lld days after the start %s", from,
                         (long long)late, start);
            }
        }
    } else {
        DETAIL(q->detail, sizeof q->detail, "dates not given");
    }

    /* Weighted sum; applicable weights are renormalised to 10000 and each
     * part is floored, so the parts add up to the total exactly. */
    int64_t wsum = 0;
    for (int k = 0; k < TB_CRIT_COUNT; k++)
        if (pt[k].applicable)
            wsum += w->w[k];
    int64_t total = 0;
    for (int k = 0; k < TB_CRIT_COUNT; k++) {
        if (!pt[k].applicable || wsum == 0)
            continue;
        pt[k].points = (int32_t)((int64_t)w->w[k] * pt[k].fraction * (TB_SCORE_MAX / 1000) / wsum);
        total += pt[k].points;
    }
    out->forbidden = out->veto != TB_VETO_NONE;
    out->total = out->forbidden ? 0 : (int32_t)total;
    return 0;
#undef DETAIL
#undef ADDF
}
