/*
 * directory.c - see directory.h.
 */
#include "core/network/directory.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/validate.h"

static int word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* The words of s, each at most 40 bytes, at most max. */
static size_t words_of(const char *s, char w[][41], size_t max)
{
    size_t n = 0;
    while (*s && n < max) {
        while (*s && !word_byte((unsigned char)*s))
            s++;
        size_t len = 0;
        while (word_byte((unsigned char)s[len]))
            len++;
        if (len) {
            size_t keep = len > 40 ? 40 : len;
            while (keep && keep < len && ((unsigned char)s[keep] & 0xC0) == 0x80)
                keep--;   /* never cut a character in two */
            memcpy(w[n], s, keep);
            w[n++][keep] = '\0';
        }
        s += len;
    }
    return n;
}

int net_match_query(const char *q, char *out, size_t cap, struct tb_err *err)
{
    char w[NET_QUERY_WORDS][41];
    size_t n = q ? words_of(q, w, NET_QUERY_WORDS) : 0, used = 0;
    if (!n)
        return TB_INVALID(err, "q", "q: give at least one word to search for");
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int k = snprintf(out + used, cap - used, "%s\"%s\"*", i ? " " : "", w[i]);
        if (k < 0 || (size_t)k >= cap - used)
            return TB_INVALID(err, "q", "q: too long");
        used += (size_t)k;
    }
    return 0;
}

/* 1 when a word of folded text starts with folded word w. */
static int starts_a_word(const char *text, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = text; *p; p++)
        if ((p == text || !word_byte((unsigned char)p[-1])) && !strncmp(p, w, n))
            return 1;
    return 0;
}

json_t *net_match_reasons(const json_t *contact, const char *q)
{
    static const char *const fields[] = {"name", "organisation", "roles", "tags", "city", NULL};
    char w[NET_QUERY_WORDS][41], fw[NET_QUERY_WORDS][41];
    size_t n = q ? words_of(q, w, NET_QUERY_WORDS) : 0;
    for (size_t i = 0; i < n; i++)
        codes_fold(w[i], fw[i]);
    json_t *out = json_array();
    for (int f = 0; fields[f]; f++) {
        json_t *v = json_object_get(contact, fields[f]);
        char *text = json_is_string(v) ? strdup(json_string_value(v))
                     : json_is_array(v) ? json_dumps(v, JSON_COMPACT) : NULL;
        if (!text)
            continue;
        char *folded = malloc(strlen(text) + 1);
        if (folded) {
            codes_fold(text, folded);
            for (size_t i = 0; i < n; i++)
                if (starts_a_word(folded, fw[i])) {
                    json_array_append_new(out, json_sprintf("%s matches \"%s\"", fields[f], w[i]));
                    break;
                }
        }
        free(folded);
        free(text);
    }
    return out;
}

const char *const net_intro_states[] = {"requested", "accepted", "declined", "made", "meeting_held",
                                        "deal_started", "deal_closed", "dropped", NULL};

int net_intro_final(const char *s)
{
    return !strcmp(s, "declined") || !strcmp(s, "deal_closed") || !strcmp(s, "dropped");
}

int net_intro_can_move(const char *from, const char *to)
{
    static const char *const moves[][2] = {
        {"requested", "accepted"}, {"requested", "declined"}, {"accepted", "made"},
        {"made", "meeting_held"},  {"meeting_held", "deal_started"}, {"deal_started", "deal_closed"},
    };
    if (!strcmp(to, "dropped"))
        return !net_intro_final(from);
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
        if (!strcmp(moves[i][0], from) && !strcmp(moves[i][1], to))
            return 1;
    return 0;
}

/* ---- a contact's fields, for the API and the CSV import ---- */

static const char *const contact_kinds[] = {"person", "organisation", NULL};
static const char *const contact_categories[] = {"operator_office", "chamber", "trade_council", "een_partner",
                                                 "distributor", "agent", "importer", "logistics", "fair_organiser",
                                                 "alumnus", "trainee", "company_contact", "staff", "other", NULL};
static const char *const visibilities[] = {"private", "shared", NULL};
static const char *const legal_bases[] = {"consent", "legitimate_interest", "contract", "public_record", NULL};
static const char *const consents[] = {"given", "pending", "withdrawn", "not_required", NULL};

static const struct field_spec hs_item = {.type = FT_CODE, .code_list = CODES_HS};
static const struct field_spec language_item = {.type = FT_CODE, .code_list = CODES_LANGUAGE};
static const struct field_spec country_item = {.type = FT_CODE, .code_list = CODES_COUNTRY};
static const struct field_spec tag_item = {.type = FT_STRING, .min = 1, .max = 40};

#define CONTACT_FIELDS(req) \
    {.name = "kind", .type = FT_ENUM, .required = req, .allowed = contact_kinds}, \
    {.name = "category", .type = FT_ENUM, .required = req, .allowed = contact_categories}, \
    {.name = "name", .type = FT_STRING, .required = req, .min = 1, .max = 200}, \
    {.name = "organisation", .type = FT_STRING, .max = 200}, {.name = "roles", .type = FT_STRING, .max = 300}, \
    {.name = "email", .type = FT_EMAIL}, {.name = "phone", .type = FT_STRING, .max = 40}, \
    {.name = "country", .type = FT_CODE, .code_list = CODES_COUNTRY}, {.name = "city", .type = FT_STRING, .max = 100}, \
    {.name = "nace", .type = FT_CODE, .code_list = CODES_NACE}, \
    {.name = "hs", .type = FT_ARRAY, .max = 50, .items = &hs_item}, \
    {.name = "languages", .type = FT_ARRAY, .max = 20, .items = &language_item}, \
    {.name = "markets", .type = FT_ARRAY, .max = 60, .items = &country_item}, \
    {.name = "tags", .type = FT_ARRAY, .max = 30, .items = &tag_item}, \
    {.name = "source", .type = FT_STRING, .max = 200}, \
    {.name = "visibility", .type = FT_ENUM, .allowed = visibilities}, \
    {.name = "legal_basis", .type = FT_ENUM, .allowed = legal_bases}, \
    {.name = "consent", .type = FT_ENUM, .allowed = consents}
const struct field_spec contact_create_fields[] = {CONTACT_FIELDS(1), {.name = "org_id", .type = FT_INT, .min = 1, .max = INT64_MAX}, {0}};
const struct field_spec contact_update_fields[] = {CONTACT_FIELDS(1), {.name = "version", .type = FT_INT, .min = 1, .max = INT64_MAX}, {0}};
