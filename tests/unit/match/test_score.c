/*
 * test_score.c - the explainable pair score on hand-made profiles: defaults,
 * every hard constraint with its reason, each criterion's levels, parts that
 * add up to the total, and the date helpers.
 */
#include <string.h>

#include "core/match/score.h"
#include "tap.h"

static const struct tb_lang_level cand_langs[] = { { "sv", TB_CEFR_B2 }, { "en", TB_CEFR_C1 },
                                                   { "de", TB_CEFR_NATIVE } };
static const struct tb_market_stay cand_stays[] = { { "DE", 18 }, { "SE", 3 } };
static const char *const cand_fields[] = { "0413" };
static const struct tb_sector_code cand_sectors[] = { { TB_CODE_HS, "841370" } };

static const struct tb_lang_level req_c1[] = { { "sv", TB_CEFR_C1 } };
static const struct tb_lang_level req_b2[] = { { "en", TB_CEFR_B2 } };
static const char markets[][3] = { "DE", "SE" };
static const char *const pos_fields[] = { "0413" };
static const struct tb_sector_code pos_sectors[] = { { TB_CODE_HS, "8413" } };
static const struct tb_country_language official[] = { { "DE", "de" }, { "SE", "sv" },
                                                       { "AT", "de" } };

static struct tb_candidate_profile candidate(void)
{
    struct tb_candidate_profile c = { 0 };
    c.id = 7;
    c.languages = cand_langs;
    c.n_languages = 3;
    c.stays = cand_stays;
    c.n_stays = 2;
    c.fields = cand_fields;
    c.n_fields = 1;
    c.sectors = cand_sectors;
    c.n_sectors = 1;
    memcpy(c.country, "SE", 3);
    c.region = "SE11";
    c.mobility = TB_MOBILITY_COUNTRY;
    tb_day_from_iso("2026-08-01", &c.available_from);
    c.consent = true;
    return c;
}

static struct tb_position_profile position(void)
{
    struct tb_position_profile p = { 0 };
    p.id = 17;
    p.required = req_b2;
    p.n_required = 1;
    p.markets = markets;
    p.n_markets = 2;
    p.fields = pos_fields;
    p.n_fields = 1;
    p.sectors = pos_sectors;
    p.n_sectors = 1;
    memcpy(p.country, "SE", 3);
    p.region = "SE11";
    tb_day_from_iso("2026-08-15", &p.start);
    return p;
}

static int parts_sum(const struct tb_score_result *r)
{
    int s = 0;
    for (int k = 0; k < TB_CRIT_COUNT; k++)
        s += r->parts[k].points;
    return s;
}

int main(void)
{
    struct tb_score_context ctx = { .official = official, .n_official = 3 };
    tb_score_weights_default(&ctx.weights);
    int wsum = 0;
    for (int k = 0; k < TB_CRIT_COUNT; k++)
        wsum += ctx.weights.w[k];
    tap_ok(wsum == TB_SCORE_MAX && ctx.weights.market_months_full == 12 &&
               ctx.weights.start_grace_days == 14,
           "default weights sum to 10000");

    struct tb_candidate_profile c = candidate();
    struct tb_position_profile p = position();
    struct tb_score_result r;
    struct tb_err err;
    int rc = tb_score_pair(&c, &p, &ctx, &r, &err);
    tap_ok(rc == 0 && !r.forbidden && r.total > 0 && r.total <= TB_SCORE_MAX &&
               parts_sum(&r) == r.total,
           "good pair: total %d equals the sum of its parts", r.total);
    tap_ok(r.parts[TB_CRIT_LANGUAGES].fraction == 800 &&
               strcmp(r.parts[TB_CRIT_LANGUAGES].detail, "English C1 (B2 required)") == 0,
           "languages: one level above the minimum = 800 (%s)", r.parts[TB_CRIT_LANGUAGES].detail);
    /* DE: German native -> 1000; SE: Swedish B2 -> 700; mean 850 */
    tap_ok(r.parts[TB_CRIT_MARKET_LANGUAGES].fraction == 850,
           "market languages: native German + Swedish B2 = 850 (%s)",
           r.parts[TB_CRIT_MARKET_LANGUAGES].detail);
    /* DE 18 months -> 1000, SE 3 months -> 250; mean 625 */
    tap_ok(r.parts[TB_CRIT_MARKET_EXPERIENCE].fraction == 625,
           "market experience: 18 and 3 months = 625 (%s)",
           r.parts[TB_CRIT_MARKET_EXPERIENCE].detail);
    tap_ok(r.parts[TB_CRIT_FIELD].fraction == 1000, "field: exact ISCED match");
    tap_ok(r.parts[TB_CRIT_SECTOR].fraction == 1000,
           "sector: HS 841370 under wanted 8413 = full (%s)", r.parts[TB_CRIT_SECTOR].detail);
    tap_ok(r.parts[TB_CRIT_LOCATION].fraction == 1000, "location: same region");
    tap_ok(r.parts[TB_CRIT_AVAILABILITY].fraction == 1000, "availability: before the start");

    /* Field levels. */
    const char *f2[] = { "0412" }, *f3[] = { "0421" }, *f4[] = { "0511" };
    int want[] = { 600, 300, 0 };
    const char *const *fs[] = { f2, f3, f4 };
    for (int k = 0; k < 3; k++) {
        p.fields = fs[k];
        tb_score_pair(&c, &p, &ctx, &r, &err);
        tap_ok(r.parts[TB_CRIT_FIELD].fraction == want[k], "field %s against 0413: %d (%s)",
               fs[k][0], want[k], r.parts[TB_CRIT_FIELD].detail);
    }
    p = position();

    /* Hard constraints keep their reason. */
    p.required = req_c1;
    tb_score_pair(&c, &p, &ctx, &r, &err);
    tap_ok(r.forbidden && r.veto == TB_VETO_LANGUAGE && r.total == 0 &&
               strcmp(r.reason, "Swedish B2 against required C1") == 0,
           "language below minimum forbids: '%s'", r.reason);
    p = position();
    tb_day_from_iso("2026-07-01", &p.start);
    tb_score_pair(&c, &p, &ctx, &r, &err);
    tap_ok(r.forbidden && r.veto == TB_VETO_AVAILABILITY &&
               strcmp(r.reason, "available from 2026-08-01, 31 days after the start 2026-07-01") == 0,
           "late availability forbids: '%s'", r.reason);
    tb_day_from_iso("2026-07-25", &p.start);
    tb_score_pair(&c, &p, &ctx, &r, &err);
    tap_ok(!r.forbidden && r.parts[TB_CRIT_AVAILABILITY].fraction == 1000 - 500 * 7 / 14,
           "7 days late within 14 days of grace: %d", r.parts[TB_CRIT_AVAILABILITY].fraction);
    p = position();
    memcpy(p.country, "DE", 3);
    p.region = "DE21";
    tb_score_pair(&c, &p, &ctx, &r, &err);
    tap_ok(r.forbidden && r.veto == TB_VETO_MOBILITY && strstr(r.reason, "own country only"),
           "mobility excludes the location: '%s'", r.reason);
    c.mobility = TB_MOBILITY_ABROAD;
    tb_score_pair(&c, &p, &ctx, &r, &err);
    tap_ok(!r.forbidden && r.parts[TB_CRIT_LOCATION].fraction == 400, "abroad allowed: 400");
    p.remote = true;
    c.mobility = TB_MOBILITY_REGION;
    tb_score_pair(&c, &p, &ctx, &r, &err);
    tap_ok(!r.forbidden && r.parts[TB_CRIT_LOCATION].fraction == 1000,
           "remote position ignores mobility");
    p = position();
    c = candidate();
    c.consent = false;
    tb_score_pair(&c, &p, &ctx, &r, &err);
    tap_ok(r.forbidden && r.veto == TB_VETO_CONSENT && strcmp(r.reason, "no consent to be matched") == 0,
           "missing consent forbids");

    /* Only applicable criteria count; weights renormalise. */
    c = candidate();
    struct tb_position_profile bare = { 0 };
    bare.start = TB_DAY_UNKNOWN;
    memcpy(bare.country, "SE", 3);
    bare.region = "SE11";
    tb_score_pair(&c, &bare, &ctx, &r, &err);
    tap_ok(r.total == TB_SCORE_MAX && r.parts[TB_CRIT_LOCATION].points == TB_SCORE_MAX,
           "only location applies: same region gives the full 10000");
    ctx.weights.w[TB_CRIT_LANGUAGES] = -1;
    tap_ok(tb_score_pair(&c, &p, &ctx, &r, &err) < 0 && err.status == 400, "negative weight refused");
    tb_score_weights_default(&ctx.weights);

    /* Dates. */
    int32_t d;
    char iso[11];
    tap_ok(tb_day_from_iso("1970-01-01", &d) == 0 && d == 0, "1970-01-01 is day 0");
    tap_ok(tb_day_from_iso("2026-11-27", &d) == 0 && d == 20784, "2026-11-27 is day 20784");
    tap_ok(tb_day_from_iso("2000-02-29", &d) == 0 && d == 11016, "2000-02-29 is a leap day");
    tap_ok(tb_day_from_iso("1900-02-29", &d) < 0 && tb_day_from_iso("2026-13-01", &d) < 0 &&
               tb_day_from_iso("2026-1-01", &d) < 0,
           "invalid dates refused");
    int ok = 1;
    for (int32_t k = -30000; k < 40000; k += 7) {
        tb_day_to_iso(k, iso);
        ok &= tb_day_from_iso(iso, &d) == 0 && d == k;
    }
    tap_ok(ok, "day numbers round-trip through ISO text");
    enum tb_cefr l;
    tap_ok(tb_cefr_parse("b2", &l) == 0 && l == TB_CEFR_B2 && tb_cefr_parse("native", &l) == 0 &&
               l == TB_CEFR_NATIVE && tb_cefr_parse("D1", &l) < 0,
           "CEFR levels parse");
    return tap_done();
}
