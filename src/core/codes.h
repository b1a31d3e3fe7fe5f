/*
 * codes.h - the code lists every form validates against (countries, currencies,
 * languages, CEFR, NACE Rev. 2, HS 2022, EQF, ISCED-F 2013).
 *
 * The lists are the CSV files of data/codes/ compiled into the binary; they are
 * parsed once, on first use, and are read-only afterwards, so every function here
 * is safe to call from any thread. No I/O, no allocation after the first call.
 *
 * Codes are matched exactly in their canonical form ("SE", "EUR", "sv", "B2",
 * "46.69", "030617", "6", "0413"): the HTTP layer validates input with codes_find()
 * and serves pickers with codes_search().
 */
#ifndef TB_CODES_H
#define TB_CODES_H

#include <stddef.h>

enum code_list {
    CODES_COUNTRY,   /* ISO 3166-1 alpha-2            data/codes/iso3166-1.csv    */
    CODES_CURRENCY,  /* ISO 4217 alphabetic           data/codes/iso4217.csv      */
    CODES_LANGUAGE,  /* ISO 639-1                     data/codes/iso639-1.csv     */
    CODES_CEFR,      /* A1..C2, native                data/codes/cefr.csv         */
    CODES_NACE,      /* NACE Rev. 2, A .. 99.00       data/codes/nace2.csv        */
    CODES_HS,        /* HS 2022, 2/4/6 digits         data/codes/hs2022.csv       */
    CODES_EQF,       /* EQF levels "1".."8"           data/codes/eqf.csv          */
    CODES_ISCED_F,   /* ISCED-F 2013, 2/3/4 digits    data/codes/isced-f-2013.csv */
    CODES__MAX
};

/* One entry. Absent fields are "" (never NULL), so callers can print them as is. */
struct code_entry {
    const char *code;    /* canonical code */
    const char *name;    /* English name (HS: description; EQF: knowledge descriptor) */
    const char *parent;  /* parent code in hierarchical lists (NACE, HS, ISCED-F), else "" */
    int level;           /* as in the CSV: NACE 1-4, HS 2/4/6, ISCED-F 1-3, CEFR rank 1-7,
                            EQF 1-8; 1 for flat lists */
    const char *alpha3;  /* countries: ISO 3166-1 alpha-3 */
    const char *numeric; /* countries, currencies: ISO numeric code (3 digits) */
    const char *extra;   /* countries: official languages (ISO 639-1, space-separated,
                            primary first); currencies: minor units "0".."4" or "N/A";
                            CEFR: band ("Basic user" ...); EQF: typical qualification */
};

/* Parses the embedded lists if not done yet. 0, or -1 if they could not be loaded
 * (out of memory or a malformed file: a build defect). Other functions call it. */
int codes_init(void);

/* "countries", "currencies", "languages", "cefr", "nace", "hs", "eqf", "isced-f"
 * (the {list} of GET /api/v1/codes/{list}). 0 and *out set, or -1 if unknown. */
int codes_list_by_name(const char *name, enum code_list *out);
const char *codes_list_name(enum code_list l);          /* NULL if out of range */

/* Number of entries, and entry i in canonical (code) order; for listing. */
size_t codes_count(enum code_list l);
const struct code_entry *codes_at(enum code_list l, size_t i);

/* Exact, case-sensitive lookup of a canonical code; NULL if not in the list. O(log n). */
const struct code_entry *codes_find(enum code_list l, const char *code);
/* 1 when code is in list l: the code checker validate_set_code_checker() takes. */
int codes_known(int list, const char *code);

/* Country by ISO 3166-1 alpha-3 ("SWE"), exact; NULL if unknown. O(log n). */
const struct code_entry *codes_country_by_alpha3(const char *alpha3);

/*
 * Picker search. Case-insensitive; Latin accents are folded (e.g. "reunion" finds
 * "Réunion"). Results come in tiers, each in code order:
 *   1. code (or country alpha-3) equals q   2. code starts with q
 *   3. name starts with q   4. every word of q starts a word of the name
 *   5. every word of q occurs somewhere in the name
 * An empty or NULL q lists the whole list in code order. Writes at most max
 * pointers to out and returns how many it wrote.
 */
size_t codes_search(enum code_list l, const char *q, const struct code_entry **out, size_t max);
/* The folding the picker search uses: ASCII lower-cased, Latin accents folded
 * ("Göteborg" -> "goteborg"); dst holds at least strlen(src)+1 bytes. */
void codes_fold(const char *src, char *dst);

/* ISO 4217 minor units (0..4); -1 if the code is unknown or has none (funds, metals). */
int codes_currency_minor_units(const char *code);

/* Official languages of a country as space-separated ISO 639-1 codes, primary first
 * ("" for uninhabited territories); NULL if alpha2 is not a known country. */
const char *codes_country_languages(const char *alpha2);

/* CEFR rank: A1=1 .. C2=6, native=7; -1 if not a level. */
int codes_cefr_rank(const char *level);

#endif
