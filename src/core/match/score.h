/*
 * score.h - pair scores (graduate, position) that explain themselves.
 *
 * A score is an integer 0..10000 built from weighted criteria; each criterion
 * reports its contribution and a short phrase, and the contributions add up to
 * the total exactly. Hard constraints make the pair forbidden and keep the
 * reason ("Swedish B2 against required C1"). Pure core: plain input structs
 * (the product layer maps its records onto them), no I/O, no globals.
 */
#ifndef TB_MATCH_SCORE_H
#define TB_MATCH_SCORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

#define TB_SCORE_MAX 10000
#define TB_DAY_UNKNOWN INT32_MIN

/* CEFR levels; NATIVE ranks above C2. */
enum tb_cefr { TB_CEFR_NONE = 0, TB_CEFR_A1, TB_CEFR_A2, TB_CEFR_B1, TB_CEFR_B2,
               TB_CEFR_C1, TB_CEFR_C2, TB_CEFR_NATIVE };

/* Where a graduate is willing to work. */
enum tb_mobility { TB_MOBILITY_REGION = 0,   /* own region only */
                   TB_MOBILITY_COUNTRY,      /* anywhere in the home country */
                   TB_MOBILITY_ABROAD };     /* anywhere */

struct tb_lang_level {
    char lang[4];            /* ISO 639-1 (or -3) code, lower case: "sv" */
    enum tb_cefr level;
};

struct tb_market_stay {
    char country[3];         /* ISO 3166-1 alpha-2: "SE" */
    int32_t months;          /* lived or studied there */
};

enum tb_code_scheme { TB_CODE_HS = 0, TB_CODE_NACE };

struct tb_sector_code {
    enum tb_code_scheme scheme;
    char code[12];           /* HS "8413" / "841370"; NACE "C28.13" (dots ignored) */
};

struct tb_candidate_profile {
    int32_t id;
    const struct tb_lang_level *languages;
    int32_t n_languages;
    const struct tb_market_stay *stays;
    int32_t n_stays;
    const char *const *fields;       /* ISCED-F 2013 codes of the degrees: "0413" */
    int32_t n_fields;
    const struct tb_sector_code *sectors;   /* product/sector experience */
    int32_t n_sectors;
    char country[3];                 /* home */
    const char *region;              /* NUTS code or any region label; NULL = unknown */
    enum tb_mobility mobility;
    int32_t available_from;          /* day number (tb_day_from_iso), TB_DAY_UNKNOWN */
    bool consent;                    /* consent to be matched */
};

struct tb_position_profile {
    int32_t id;
    const struct tb_lang_level *required;   /* minimum levels */
    int32_t n_required;
    const char (*markets)[3];        /* target markets, alpha-2 */
    int32_t n_markets;
    const char *const *fields;       /* wanted ISCED-F codes (2, 3 or 4 digits) */
    int32_t n_fields;
    const struct tb_sector_code *sectors;   /* the firm's products / activity */
    int32_t n_sectors;
    char country[3];                 /* where the work is */
    const char *region;
    bool remote;                     /* location does not matter */
    int32_t start;                   /* day number, TB_DAY_UNKNOWN */
};

/* Official languages per country, supplied by the product (pairs). */
struct tb_country_language {
    char country[3];
    char lang[4];
};

enum tb_criterion { TB_CRIT_LANGUAGES = 0, TB_CRIT_MARKET_LANGUAGES, TB_CRIT_MARKET_EXPERIENCE,
                    TB_CRIT_FIELD, TB_CRIT_SECTOR, TB_CRIT_LOCATION, TB_CRIT_AVAILABILITY,
                    TB_CRIT_COUNT };

struct tb_score_weights {
    int32_t w[TB_CRIT_COUNT];        /* relative weights, >= 0 */
    int32_t market_months_full;      /* months in a market that earn full credit */
    int32_t start_grace_days;        /* lateness tolerated before the pair is forbidden */
};

/* Defaults: languages 2500, market languages 1500, market experience 1500,
 * field 1500, sector 1500, location 1000, availability 500 (sum 10000);
 * 12 months for full market credit; 14 days of grace after the start date. */
void tb_score_weights_default(struct tb_score_weights *w);

struct tb_score_context {
    struct tb_score_weights weights;
    const struct tb_country_language *official;   /* may be NULL */
    int32_t n_official;
    bool brief;             /* leave parts[].detail empty: totals and vetoes only */
};

enum tb_veto { TB_VETO_NONE = 0, TB_VETO_LANGUAGE, TB_VETO_AVAILABILITY, TB_VETO_MOBILITY,
               TB_VETO_CONSENT };

struct tb_score_part {
    enum tb_criterion criterion;
    bool applicable;        /* false: no data on the position side, weight redistributed */
    int32_t fraction;       /* 0..1000 of the criterion met */
    int32_t points;         /* contribution to the total */
    char detail[120];
};

struct tb_score_result {
    int32_t total;          /* 0..10000, sum of parts[].points; 0 when forbidden */
    bool forbidden;
    enum tb_veto veto;
    char reason[160];       /* the hard constraint in words, "" when none */
    struct tb_score_part parts[TB_CRIT_COUNT];
};

int tb_score_pair(const struct tb_candidate_profile *c, const struct tb_position_profile *p,
                  const struct tb_score_context *ctx, struct tb_score_result *out,
                  struct tb_err *err);

const char *tb_criterion_name(enum tb_criterion k);
const char *tb_cefr_name(enum tb_cefr l);          /* "B2", "native", "none" */
/* Parses "A1".."C2", "native"; -1 when unknown. */
int tb_cefr_parse(const char *s, enum tb_cefr *out);

/* "2026-09-01" -> days since 1970-01-01 (proleptic Gregorian); 0 or -1. */
int tb_day_from_iso(const char *s, int32_t *day);
void tb_day_to_iso(int32_t day, char out[11]);

#endif
