/*
 * csv_import.c - reads a CSV buffer with libcsv, maps its columns to the
 * fields of companies or graduates, converts cells (lists, languages,
 * country experience, money) and validates every cell on its own so that
 * one upload reports all of its problems, not the first one.
 */
#include "core/csv_import.h"

#include <csv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/codes.h"
#include "core/fields.h"

#define MONEY_LIMIT 1000000000000000LL   /* 10^15 minor units, as MONEY_MAX in the API */

/* ---- columns ------------------------------------------------------------------------- */

enum col_kind {
    C_TEXT,       /* the cell as a string (codes, dates, e-mails are strings too) */
    C_INT,        /* a whole number */
    C_MONEY,      /* major units -> minor units of the row's currency */
    C_LIST,       /* "a; b; c" -> ["a","b","c"] */
    C_LANGUAGES,  /* "de:B2;en:C1" -> [{"code","level"}] */
    C_COUNTRIES,  /* "DE:12:studied" -> [{"country","months","kind"}] */
    C_CONTACT,    /* contact_<sub> -> contacts[0].<sub> (one contact per company row) */
    C_CONTACTS,   /* "name:email:phone:role; ..." -> contacts (as exported) */
    C_ID,         /* the record to update (as exported); no id: a new record */
    C_VERSION,    /* the version the file was exported at (the update's check) */
    C_IGNORED,    /* exported but not imported (bookkeeping, computed values) */
};

struct column {
    const char *name;    /* as documented (matched case-insensitively) */
    const char *field;   /* the API field it fills */
    enum col_kind kind;
    const char *sub;     /* C_CONTACT: the contact's field */
};

static const struct column company_cols[] = {
    {"legal_name", "legal_name", C_TEXT, NULL},
    {"registration_number", "registration_number", C_TEXT, NULL},
    {"country", "country", C_TEXT, NULL},
    {"region", "region", C_TEXT, NULL},
    {"city", "city", C_TEXT, NULL},
    {"nace", "nace", C_TEXT, NULL},
    {"employees", "employees", C_INT, NULL},
    {"currency", "currency", C_TEXT, NULL},
    {"turnover", "turnover", C_MONEY, NULL},
    {"export_turnover", "export_turnover", C_MONEY, NULL},
    {"balance_sheet", "balance_sheet", C_MONEY, NULL},
    {"products", "products", C_LIST, NULL},
    {"export_markets", "export_markets", C_LIST, NULL},
    {"target_markets", "target_markets", C_LIST, NULL},
    {"website", "website", C_TEXT, NULL},
    {"contact_name", "contacts", C_CONTACT, "name"},
    {"contact_email", "contacts", C_CONTACT, "email"},
    {"contact_phone", "contacts", C_CONTACT, "phone"},
    {"contact_role", "contacts", C_CONTACT, "role"},
    {"contacts", "contacts", C_CONTACTS, NULL},
    {"id", "id", C_ID, NULL},
    {"version", "version", C_VERSION, NULL},
    {"org_id", "org_id", C_IGNORED, NULL},
    {"org_name", "org_name", C_IGNORED, NULL},
    {"created_at", "created_at", C_IGNORED, NULL},
    {"updated_at", "updated_at", C_IGNORED, NULL},
    {"sme_check", "sme_check", C_IGNORED, NULL},
    {NULL, NULL, C_TEXT, NULL},
};

static const struct column graduate_cols[] = {
    {"name", "name", C_TEXT, NULL},
    {"email", "email", C_TEXT, NULL},
    {"phone", "phone", C_TEXT, NULL},
    {"nationality", "nationality", C_TEXT, NULL},
    {"residence", "residence", C_TEXT, NULL},
    {"eqf_level", "eqf_level", C_TEXT, NULL},
    {"field", "field", C_TEXT, NULL},
    {"university", "university", C_TEXT, NULL},
    {"graduation_year", "graduation_year", C_INT, NULL},
    {"languages", "languages", C_LANGUAGES, NULL},
    {"countries", "countries", C_COUNTRIES, NULL},
    {"skills", "skills", C_LIST, NULL},
    {"mobility", "mobility", C_LIST, NULL},
    {"available_from", "available_from", C_TEXT, NULL},
    {"id", "id", C_ID, NULL},
    {"version", "version", C_VERSION, NULL},
    {"org_id", "org_id", C_IGNORED, NULL},
    {"org_name", "org_name", C_IGNORED, NULL},
    {"user_id", "user_id", C_IGNORED, NULL},
    {"consent", "consent", C_IGNORED, NULL},
    {"cv_sha256", "cv_sha256", C_IGNORED, NULL},
    {"cv_size", "cv_size", C_IGNORED, NULL},
    {"cv_name", "cv_name", C_IGNORED, NULL},
    {"erased_at", "erased_at", C_IGNORED, NULL},
    {"has_cv", "has_cv", C_IGNORED, NULL},
    {"created_at", "created_at", C_IGNORED, NULL},
    {"updated_at", "updated_at", C_IGNORED, NULL},
    {NULL, NULL, C_TEXT, NULL},
};

/* The trade network's directory (issue 15). */
static const struct column contact_cols[] = {
    {"kind", "kind", C_TEXT, NULL},
    {"category", "category", C_TEXT, NULL},
    {"name", "name", C_TEXT, NULL},
    {"organisation", "organisation", C_TEXT, NULL},
    {"roles", "roles", C_TEXT, NULL},
    {"email", "email", C_TEXT, NULL},
    {"phone", "phone", C_TEXT, NULL},
    {"country", "country", C_TEXT, NULL},
    {"city", "city", C_TEXT, NULL},
    {"nace", "nace", C_TEXT, NULL},
    {"hs", "hs", C_LIST, NULL},
    {"languages", "languages", C_LIST, NULL},
    {"markets", "markets", C_LIST, NULL},
    {"tags", "tags", C_LIST, NULL},
    {"source", "source", C_TEXT, NULL},
    {"visibility", "visibility", C_TEXT, NULL},
    {"legal_basis", "legal_basis", C_TEXT, NULL},
    {"consent", "consent", C_TEXT, NULL},
    {"id", "id", C_ID, NULL},
    {"version", "version", C_VERSION, NULL},
    {"org_id", "org_id", C_IGNORED, NULL},
    {"org_name", "org_name", C_IGNORED, NULL},
    {"owner_name", "owner_name", C_IGNORED, NULL},
    {"graduate_id", "graduate_id", C_IGNORED, NULL},
    {"created_at", "created_at", C_IGNORED, NULL},
    {"updated_at", "updated_at", C_IGNORED, NULL},
    {NULL, NULL, C_TEXT, NULL},
};
static const char *const contact_names[] = {
    "kind", "category", "name", "organisation", "roles", "email", "phone", "country", "city", "nace", "hs",
    "languages", "markets", "tags", "source", "visibility", "legal_basis", "consent", NULL};

static const char *const company_names[] = {
    "legal_name", "registration_number", "country", "region", "city", "nace", "employees",
    "currency", "turnover", "export_turnover", "balance_sheet", "products", "export_markets",
    "target_markets", "website", "contact_name", "contact_email", "contact_phone", "contact_role",
    NULL};
static const char *const graduate_names[] = {
    "name", "email", "phone", "nationality", "residence", "eqf_level", "field", "university",
    "graduation_year", "languages", "countries", "skills", "mobility", "available_from", NULL};

int csv_import_kind_parse(const char *name, enum csv_import_kind *out)
{
    if (name && !strcmp(name, "companies")) {
        *out = CSV_IMPORT_COMPANIES;
        return 0;
    }
    if (name && !strcmp(name, "graduates")) {
        *out = CSV_IMPORT_GRADUATES;
        return 0;
    }
    if (name && !strcmp(name, "contacts")) {
        *out = CSV_IMPORT_CONTACTS;
        return 0;
    }
    return -1;
}

const char *csv_import_kind_name(enum csv_import_kind k)
{
    return k == CSV_IMPORT_COMPANIES ? "companies" : k == CSV_IMPORT_CONTACTS ? "contacts" : "graduates";
}

const char *const *csv_import_columns(enum csv_import_kind k)
{
    return k == CSV_IMPORT_COMPANIES ? company_names : k == CSV_IMPORT_CONTACTS ? contact_names : graduate_names;
}

const char *csv_import_column_name(enum csv_import_kind k, size_t i)
{
    const struct column *cols = k == CSV_IMPORT_COMPANIES ? company_cols : k == CSV_IMPORT_CONTACTS ? contact_cols : graduate_cols;
    for (size_t n = 0; cols[n].name; n++)
        if (n == i)
            return cols[n].name;
    return NULL;
}

/* ---- the report ----------------------------------------------------------------------- */

static void add_error_v(struct csv_import *imp, long row, const char *column, const char *field,
                        const char *fmt, va_list ap)
{
    imp->error_count++;
    if (json_array_size(imp->errors) >= CSV_IMPORT_MAX_ERRORS)
        return;
    char msg[512];
    utf8_vsnprintf(msg, sizeof msg, fmt, ap);
    /* One line per error: CLI output and logs stay readable. */
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    json_array_append_new(imp->errors, json_pack("{s:I, s:s, s:s, s:s}", "row", (json_int_t)row,
                                                 "column", column ? column : "", "field",
                                                 field ? field : "", "message", msg));
}

static void add_error(struct csv_import *imp, long row, const char *column, const char *field,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void add_error(struct csv_import *imp, long row, const char *column, const char *field,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_error_v(imp, row, column, field, fmt, ap);
    va_end(ap);
}

void csv_import_fail_record(struct csv_import *imp, size_t index, const char *column,
                            const char *field, const char *fmt, ...)
{
    json_t *rec = json_array_get(imp->records, index);
    if (!rec)
        return;
    if (!json_is_true(json_object_get(rec, "failed"))) {
        json_object_set_new(rec, "failed", json_true());
        if (imp->valid)
            imp->valid--;
    }
    va_list ap;
    va_start(ap, fmt);
    add_error_v(imp, (long)json_integer_value(json_object_get(rec, "row")), column, field, fmt, ap);
    va_end(ap);
}

json_t *csv_import_report(const struct csv_import *imp)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:b, s:O}", "rows", (json_int_t)imp->rows, "valid",
                     (json_int_t)imp->valid, "invalid", (json_int_t)(imp->rows - imp->valid),
                     "error_count", (json_int_t)imp->error_count, "errors_truncated",
                     imp->error_count > json_array_size(imp->errors), "errors", imp->errors);
}

void csv_import_free(struct csv_import *imp)
{
    json_decref(imp->errors);
    json_decref(imp->records);
    imp->errors = imp->records = NULL;
}

/* ---- cell conversions ------------------------------------------------------------------ */

int csv_money_parse(const char *text, int digits, long long *out, char *why, size_t why_len)
{
    const char *p = text;
    long long v = 0;
    int whole = 0, decimals = 0, seen_point = 0;
    if (digits < 0 || digits > 4) {
        snprintf(why, why_len, "the currency has no minor units");
        return -1;
    }
    for (; *p; p++) {
        if (*p == '.' && !seen_point) {
            seen_point = 1;
            continue;
        }
        if (*p < '0' || *p > '9') {
            if (*p == '-')
                snprintf(why, why_len, "must not be negative");
            else if (*p == ',' || *p == ' ' || *p == '\'')
                utf8_snprintf(why, why_len, "'%s': write digits with a decimal point, without thousands separators", text);
            else
                utf8_snprintf(why, why_len, "'%s' is not an amount (digits with an optional decimal point)", text);
            return -1;
        }
        if (seen_point) {
            if (++decimals > digits) {
                snprintf(why, why_len, "'%s' has more than %d decimal%s", text, digits, digits == 1 ? "" : "s");
                return -1;
            }
        } else {
            whole++;
        }
        /* 10^15 minor units is the ceiling; checking before each step keeps
         * the value far from int64 overflow. */
        if (v > MONEY_LIMIT) {
            snprintf(why, why_len, "'%s' is too large", text);
            return -1;
        }
        v = v * 10 + (*p - '0');
    }
    if (!whole && !decimals) {
        snprintf(why, why_len, "'%s' is not an amount (digits with an optional decimal point)", text);
        return -1;
    }
    for (; decimals < digits; decimals++) {
        if (v > MONEY_LIMIT) {
            snprintf(why, why_len, "'%s' is too large", text);
            return -1;
        }
        v *= 10;
    }
    if (v > MONEY_LIMIT) {
        snprintf(why, why_len, "'%s' is too large", text);
        return -1;
    }
    *out = v;
    return 0;
}

/* Strict decimal integer: optional '-', digits only. */
static int parse_int(const char *s, long long *out)
{
    const char *p = s;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    if (!*p || strlen(p) > 15)
        return -1;
    long long v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    *out = neg ? -v : v;
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* Splits s (modified) at sep into trimmed, non-empty pieces; at most max. */
static size_t split(char *s, char sep, char **parts, size_t max, int keep_empty)
{
    size_t n = 0;
    char *p = s;
    for (;;) {
        char *end = strchr(p, sep);
        if (end)
            *end = '\0';
        char *t = trim(p);
        if ((*t || keep_empty) && n < max)
            parts[n++] = t;
        else if (*t || keep_empty)
            n++;   /* counted so the caller can say "too many" */
        if (!end)
            break;
        p = end + 1;
    }
    return n;
}

/* ---- one row ---------------------------------------------------------------------------- */

struct ctx {
    struct csv_import *imp;
    enum csv_import_kind kind;
    const struct field_spec *fields;
    const struct column *cols;
    int *map;                 /* header index -> index in cols; -1 unknown, -2 no name */
    char **header;            /* names as written */
    size_t nheader;
    int have_header, fatal, too_many;
    int missing_required;     /* the header lacks a required column: no row is valid */
    const char *missing_for_new; /* with an id column: a required column new rows lack */
    int has_id;               /* the header has an id column */
    const json_t *aliases;    /* header label (lower case) -> column name */
    json_t *ids;              /* id -> first row, to name in-file duplicates */
    json_t *emails;           /* graduates: e-mail -> first row, to name in-file duplicates */
    /* the record being read */
    char **cells;
    unsigned char *cell_nul;  /* the cell held a NUL byte */
    size_t ncells, cap;
    long record;              /* spreadsheet row of the record being read */
    int prev_cr;
};

static const struct field_spec *spec_of(const struct ctx *c, const char *field)
{
    for (const struct field_spec *f = c->fields; f && f->name; f++)
        if (!strcmp(f->name, field))
            return f;
    return NULL;
}

/* The header column that fills field (sub: a contact's field), for messages. */
static const char *column_of(const struct ctx *c, const char *field, const char *sub)
{
    for (size_t i = 0; i < c->nheader; i++) {
        if (c->map[i] < 0)
            continue;
        const struct column *col = &c->cols[c->map[i]];
        if (!strcmp(col->field, field) && (!sub || (col->sub && !strcmp(col->sub, sub))))
            return c->header[i];
    }
    for (const struct column *col = c->cols; col->name; col++)
        if (!strcmp(col->field, field) && (!sub || (col->sub && !strcmp(col->sub, sub))))
            return col->name;
    return field;
}

/* Runs the validator on {name: v} against one spec (presence is checked elsewhere). */
static int check_one(const struct field_spec *spec, json_t *v, struct tb_err *e)
{
    struct field_spec one[2] = {*spec, {0}};
    one[0].required = 0;
    json_t *o = json_object();
    json_object_set(o, spec->name, v);
    int rc = validate_object(o, one, 0, e);
    json_decref(o);
    return rc;
}

/* Validates one converted field; lists item by item so each bad item is
 * named with the text the user wrote. raw: the items as written (lists). */
static int check_field(struct ctx *c, long row, const struct field_spec *spec, json_t *v,
                       const json_t *raw)
{
    struct tb_err e = {0};
    const char *column = column_of(c, spec->name, NULL);
    if (spec->type != FT_ARRAY || !json_is_array(v)) {
        if (check_one(spec, v, &e) == 0)
            return 0;
        add_error(c->imp, row, column, spec->name, "%s", e.message);
        return -1;
    }
    int bad = 0;
    long long n = (long long)json_array_size(v), max = spec->max ? spec->max : 100;
    if (n > max) {
        add_error(c->imp, row, column, spec->name, "%s: at most %lld items", spec->name, max);
        bad = 1;
    }
    if (n < spec->min) {
        add_error(c->imp, row, column, spec->name, "%s: needs at least %lld item(s)", spec->name, spec->min);
        bad = 1;
    }
    const struct field_spec *item = spec->items;
    size_t i;
    json_t *it;
    json_array_foreach(v, i, it) {
        if (!item)
            break;
        const char *text = json_string_value(json_array_get(raw, i));
        if (item->type == FT_OBJECT) {
            /* Each part on its own, so a contact with a bad e-mail AND no
             * name gets both reported; a contact's parts have their own
             * columns. */
            for (const struct field_spec *sub = item->items; sub && sub->name; sub++) {
                json_t *sv = json_object_get(it, sub->name);
                if (!sv || json_is_null(sv)) {
                    if (!sub->required)
                        continue;
                    tb_error(&e, TB_E_VALIDATION_FAILED, sub->name, "%s: is required", sub->name);
                } else if (check_one(sub, sv, &e) == 0) {
                    continue;
                }
                const char *col = !strcmp(spec->name, "contacts") ? column_of(c, "contacts", sub->name) : column;
                if (text)
                    add_error(c->imp, row, col, spec->name, "%s: '%s': %s", spec->name, text, e.message);
                else
                    add_error(c->imp, row, col, spec->name, "%s: %s", spec->name, e.message);
                bad = 1;
            }
        } else {
            struct field_spec scalar = *item;
            scalar.name = spec->name;
            if (check_one(&scalar, it, &e) == 0)
                continue;
            add_error(c->imp, row, column, spec->name, "%s", e.message);
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

/* Converts one cell into fields (and raw item texts into raws). money cells
 * wait in `money` until the row's currency is known. */
static int convert_cell(struct ctx *c, long row, const struct column *col, const char *column,
                        char *text, json_t *fields, json_t *raws, json_t *contact, json_t *money)
{
    char *parts[300];
    switch (col->kind) {
    case C_TEXT:
        json_object_set_new(fields, col->field, json_string(text));
        return 0;
    case C_INT: {
        long long v;
        if (parse_int(text, &v) < 0) {
            add_error(c->imp, row, column, col->field, "%s: expected a whole number, got '%s'", col->field, text);
            return -1;
        }
        json_object_set_new(fields, col->field, json_integer(v));
        return 0;
    }
    case C_MONEY:
        json_object_set_new(money, col->field, json_string(text));
        return 0;
    case C_CONTACT:
        json_object_set_new(contact, col->sub, json_string(text));
        return 0;
    case C_ID:
    case C_VERSION:
    case C_IGNORED:
        return 0;   /* read by one_row */
    case C_LIST:
    case C_LANGUAGES:
    case C_COUNTRIES:
    case C_CONTACTS:
        break;
    }
    size_t n = split(text, ';', parts, sizeof parts / sizeof parts[0], 0);
    if (n > sizeof parts / sizeof parts[0]) {
        add_error(c->imp, row, column, col->field, "%s: at most %zu items", col->field, sizeof parts / sizeof parts[0]);
        return -1;
    }
    json_t *arr = json_array(), *raw = json_array();
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(raw, json_string(parts[i]));
        if (col->kind == C_LIST) {
            json_array_append_new(arr, json_string(parts[i]));
            continue;
        }
        char copy[512], *sub[4];
        utf8_snprintf(copy, sizeof copy, "%s", parts[i]);
        size_t k = split(copy, ':', sub, 4, 1);
        if (col->kind == C_CONTACTS) {
            /* name:email:phone:role, as exported; empty parts keep their place */
            static const char *const keys[] = {"name", "email", "phone", "role"};
            if (k > 4) {
                add_error(c->imp, row, column, col->field,
                          "%s: '%s' must be name:email:phone:role (at most four parts)", col->field, parts[i]);
                bad = 1;
                continue;
            }
            json_t *o = json_object();
            for (size_t j = 0; j < k && j < 4; j++)
                if (*sub[j])
                    json_object_set_new(o, keys[j], json_string(sub[j]));
            json_array_append_new(arr, o);
        } else if (col->kind == C_LANGUAGES) {
            if (k != 2 || !*sub[0] || !*sub[1]) {
                add_error(c->imp, row, column, col->field, "%s: '%s' must be code:level, e.g. de:B2", col->field, parts[i]);
                bad = 1;
                continue;
            }
            json_array_append_new(arr, json_pack("{s:s, s:s}", "code", sub[0], "level", sub[1]));
        } else {
            long long months;
            if (k < 2 || k > 3 || !*sub[0]) {
                add_error(c->imp, row, column, col->field,
                          "%s: '%s' must be country:months[:kind], e.g. DE:12:studied", col->field, parts[i]);
                bad = 1;
                continue;
            }
            if (parse_int(sub[1], &months) < 0) {
                add_error(c->imp, row, column, col->field, "%s: '%s': months must be a whole number", col->field, parts[i]);
                bad = 1;
                continue;
            }
            json_t *o = json_pack("{s:s, s:I}", "country", sub[0], "months", (json_int_t)months);
            if (k == 3 && *sub[2])
                json_object_set_new(o, "kind", json_string(sub[2]));
            json_array_append_new(arr, o);
        }
    }
    if (bad) {
        json_decref(arr);
        json_decref(raw);
        return -1;
    }
    json_object_set_new(fields, col->field, arr);
    json_object_set_new(raws, col->field, raw);
    return 0;
}

/* Money needs a currency with minor units; converted after the row is read. */
static int convert_money(struct ctx *c, long row, json_t *fields, json_t *money, int currency_bad)
{
    const char *key;
    json_t *v;
    int bad = 0;
    const char *cur = json_string_value(json_object_get(fields, "currency"));
    json_object_foreach(money, key, v) {
        const char *column = column_of(c, key, NULL);
        if (!cur) {
            if (!currency_bad)
                add_error(c->imp, row, column, key,
                          "currency: required with %s (amounts are in major units of it)", key);
            bad = 1;
            continue;
        }
        int digits = codes_currency_minor_units(cur);
        if (digits < 0) {
            /* An unknown currency is reported on its own column already. */
            if (codes_find(CODES_CURRENCY, cur))
                add_error(c->imp, row, column, key, "%s: %s has no minor units; amounts cannot be given in it", key, cur);
            bad = 1;
            continue;
        }
        long long minor;
        char why[200];
        if (csv_money_parse(json_string_value(v), digits, &minor, why, sizeof why) < 0) {
            add_error(c->imp, row, column, key, "%s: %s (currency %s)", key, why, cur);
            bad = 1;
            continue;
        }
        json_object_set_new(fields, key, json_integer(minor));
    }
    return bad ? -1 : 0;
}

static void one_row(struct ctx *c)
{
    long row = c->record;
    struct csv_import *imp = c->imp;
    int empty = 1;
    for (size_t i = 0; i < c->ncells; i++) {
        char *t = trim(c->cells[i]);
        if (*t || c->cell_nul[i])
            empty = 0;
    }
    if (empty)
        return;   /* a row of empty cells (",,,,"): a spreadsheet's blank row */
    if (imp->rows >= CSV_IMPORT_MAX_ROWS) {
        c->too_many = 1;
        return;
    }
    imp->rows++;
    size_t before = imp->error_count, first_error = json_array_size(imp->errors);
    for (size_t i = c->nheader; i < c->ncells; i++)
        if (*trim(c->cells[i]) || c->cell_nul[i]) {
            add_error(imp, row, "", "", "the row has %zu cells but the header names %zu columns", c->ncells,
                      c->nheader);
            break;
        }
    json_t *fields = json_object(), *raws = json_object(), *contact = json_object(), *money = json_object();
    int currency_bad = 0;
    /* id and version first: a row with an id updates that record, and its
     * empty cells clear the values (a row without one creates a record). */
    long long id = 0, version = 0;
    int has_version = 0;
    for (size_t i = 0; i < c->ncells && i < c->nheader; i++) {
        if (c->map[i] < 0 || (c->cols[c->map[i]].kind != C_ID && c->cols[c->map[i]].kind != C_VERSION))
            continue;
        const struct column *col = &c->cols[c->map[i]];
        char *text = trim(c->cells[i]);
        if (!*text)
            continue;
        long long v;
        if (c->cell_nul[i] || parse_int(text, &v) < 0 || v < 1) {
            char shown[41] = "";   /* at most 40 bytes, cut at a character boundary */
            if (!c->cell_nul[i] && valid_utf8(text, strlen(text)))
                utf8_snprintf(shown, sizeof shown, "%s", text);
            add_error(imp, row, c->header[i], col->field, "%s: expected a whole number from the export, got '%s'",
                      col->field, shown);
            continue;
        }
        if (col->kind == C_ID)
            id = v;
        else
            version = v, has_version = 1;
    }
    if (id && !has_version)
        add_error(imp, row, column_of(c, "version", NULL), "version",
                  "version: needed with id %lld to update the record (export the list again to get it)", id);
    if (id) {
        char key[32];
        snprintf(key, sizeof key, "%lld", id);
        json_t *first = json_object_get(c->ids, key);
        if (first)
            add_error(imp, row, column_of(c, "id", NULL), "id", "id: %lld is also on row %lld", id,
                      (long long)json_integer_value(first));
        else
            json_object_set_new(c->ids, key, json_integer(row));
    } else if (c->missing_for_new) {
        add_error(imp, row, c->missing_for_new, c->missing_for_new,
                  "%s: a new record (a row without id) needs this column", c->missing_for_new);
    }
    for (size_t i = 0; i < c->ncells && i < c->nheader; i++) {
        if (c->map[i] == -2 && (*trim(c->cells[i]) || c->cell_nul[i]))
            add_error(imp, row, "", "", "cell %zu has a value but its column has no name in the first row", i + 1);
        if (c->map[i] < 0)
            continue;   /* unknown column: reported once, on the header */
        const struct column *col = &c->cols[c->map[i]];
        const char *column = c->header[i];
        if (c->cell_nul[i] || !valid_utf8(c->cells[i], strlen(c->cells[i]))) {
            add_error(imp, row, column, col->field, "%s: not valid UTF-8 text (save the file as CSV UTF-8)", col->field);
            currency_bad |= !strcmp(col->field, "currency");
            continue;
        }
        char *text = trim(c->cells[i]);
        /* Our own exports protect formula-like cells with a leading
         * apostrophe; take it off so an export imports back unchanged. */
        if (text[0] == '\'' && text[1] && strchr("=+-@", text[1]))
            text++;
        if (!*text) {
            /* An update clears what the spreadsheet cleared. */
            if (id && col->kind != C_CONTACT && col->kind < C_ID)
                json_object_set_new(fields, col->field, json_null());
            continue;
        }
        if (convert_cell(c, row, col, column, text, fields, raws, contact, money) < 0)
            currency_bad |= !strcmp(col->field, "currency");
    }
    if (json_object_size(contact))
        json_object_set_new(fields, "contacts", json_pack("[O]", contact));
    /* Cell by cell, so every bad cell is reported. */
    const char *key;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(fields, tmp, key, v) {
        const struct field_spec *spec = spec_of(c, key);
        if (!spec) {
            add_error(imp, row, column_of(c, key, NULL), key, "%s: not accepted here", key);
            continue;
        }
        if (check_field(c, row, spec, v, json_object_get(raws, key)) < 0) {
            currency_bad |= !strcmp(key, "currency");
            json_object_del(fields, key);
        }
    }
    convert_money(c, row, fields, money, currency_bad);
    /* Presence: only for columns the header has; a missing column was
     * reported once on row 1 rather than on every row. */
    for (const struct field_spec *f = c->fields; f && f->name; f++) {
        json_t *have = json_object_get(fields, f->name);
        if (!f->required || (have && !json_is_null(have)))
            continue;
        for (size_t i = 0; i < c->nheader; i++) {
            if (c->map[i] < 0 || strcmp(c->cols[c->map[i]].field, f->name))
                continue;
            int converted_bad = 0;
            for (size_t k = first_error; k < json_array_size(imp->errors); k++) {
                json_t *e = json_array_get(imp->errors, k);
                if (json_integer_value(json_object_get(e, "row")) == row &&
                    !strcmp(json_string_value(json_object_get(e, "field")), f->name))
                    converted_bad = 1;
            }
            if (!converted_bad)
                add_error(imp, row, c->header[i], f->name, "%s: is required", f->name);
            break;
        }
    }
    /* The API's rules beyond single fields (src/core/fields.c). */
    struct tb_err rule;
    if (graduate_languages_once(fields, &rule) < 0)
        add_error(imp, row, column_of(c, "languages", NULL), "languages", "%s", rule.message);
    const char *email = json_string_value(json_object_get(fields, "email"));
    if (c->kind != CSV_IMPORT_COMPANIES && email) {
        json_t *first = json_object_get(c->emails, email);
        if (first)
            add_error(imp, row, column_of(c, "email", NULL), "email", "email: %s is also on row %lld", email,
                      (long long)json_integer_value(first));
        else
            json_object_set_new(c->emails, email, json_integer(row));
    }
    if (imp->error_count == before) {
        /* Belt and braces: the whole row as the API would see it (presence
         * was checked above, where a missing column is said once). */
        struct tb_err e = {0};
        if (validate_object(fields, c->fields, 1, &e) < 0)
            add_error(imp, row, column_of(c, e.field, NULL), e.field, "%s", e.message);
    }
    if (imp->error_count == before && !c->missing_required) {
        imp->valid++;
        json_t *rec = json_pack("{s:I, s:O}", "row", (json_int_t)row, "fields", fields);
        if (id)
            json_object_update_new(rec, json_pack("{s:I, s:I}", "id", (json_int_t)id, "version", (json_int_t)version));
        json_array_append_new(imp->records, rec);
    }
    json_decref(fields);
    json_decref(raws);
    json_decref(contact);
    json_decref(money);
}

static void read_header(struct ctx *c)
{
    struct csv_import *imp = c->imp;
    c->nheader = c->ncells;
    c->header = c->cells;
    c->map = malloc((c->nheader ? c->nheader : 1) * sizeof *c->map);
    c->cells = NULL;
    c->ncells = 0;
    c->cap = 0;
    free(c->cell_nul);
    c->cell_nul = NULL;
    if (!c->map) {
        c->fatal = 1;   /* answered as out of memory; the header cells are freed with the rest */
        return;
    }
    char known[400] = "";
    for (const char *const *n = csv_import_columns(c->kind); *n; n++)
        snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", known[0] ? ", " : "", *n);
    for (size_t i = 0; i < c->nheader; i++) {
        c->map[i] = -1;
        char *name = trim(c->header[i]);
        memmove(c->header[i], name, strlen(name) + 1);
        name = c->header[i];
        if (!valid_utf8(name, strlen(name))) {
            name[0] = '\0';
            add_error(imp, 1, "", "", "column %zu: its name is not valid UTF-8 text", i + 1);
            continue;
        }
        if (!*name) {
            /* Spreadsheets often save trailing empty columns: harmless
             * unless a row has something under them (one_row checks). */
            c->map[i] = -2;
            continue;
        }
        int found = -1;
        for (int k = 0; c->cols[k].name; k++)
            if (!strcasecmp(c->cols[k].name, name))
                found = k;
        if (found < 0 && c->aliases) {
            /* A human header of the export ("Legal name", "Juridiskt namn") */
            char lower[256];
            size_t n = 0;
            for (const char *p = name; *p && n + 1 < sizeof lower; p++)
                lower[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
            lower[n] = '\0';
            const char *target = json_string_value(json_object_get(c->aliases, lower));
            for (int k = 0; target && c->cols[k].name; k++)
                if (!strcmp(c->cols[k].name, target))
                    found = k;
        }
        if (found < 0) {
            add_error(imp, 1, name, "", "unknown column '%.80s' (the columns are: %s)", name, known);
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (c->map[j] == found) {
                add_error(imp, 1, name, c->cols[found].field, "column '%s' appears twice", name);
                found = -1;
                break;
            }
        c->map[i] = found;
    }
    for (size_t i = 0; i < c->nheader; i++)
        c->has_id |= c->map[i] >= 0 && c->cols[c->map[i]].kind == C_ID;
    /* Required fields need their column (with an id column, only new rows do). */
    for (const struct field_spec *f = c->fields; f && f->name; f++) {
        if (!f->required)
            continue;
        int present = 0;
        for (size_t i = 0; i < c->nheader; i++)
            if (c->map[i] >= 0 && !strcmp(c->cols[c->map[i]].field, f->name))
                present = 1;
        if (!present && c->has_id) {
            if (!c->missing_for_new)
                c->missing_for_new = f->name;
        } else if (!present) {
            add_error(imp, 1, column_of(c, f->name, NULL), f->name, "%s: the column is required", f->name);
            c->missing_required = 1;
        }
    }
    c->have_header = 1;
}

static void free_cells(struct ctx *c)
{
    for (size_t i = 0; i < c->ncells; i++)
        free(c->cells[i]);
    c->ncells = 0;
}

static void on_field(void *data, size_t len, void *arg)
{
    struct ctx *c = arg;
    c->prev_cr = 0;
    if (c->fatal || c->too_many)
        return;
    if (c->ncells == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        char **cells = realloc(c->cells, cap * sizeof *cells);
        unsigned char *nul = realloc(c->cell_nul, cap);
        if (cells)
            c->cells = cells;
        if (nul)
            c->cell_nul = nul;
        if (!cells || !nul) {
            c->fatal = 1;
            return;
        }
        c->cap = cap;
    }
    char *s = malloc(len + 1);
    if (!s) {
        c->fatal = 1;
        return;
    }
    if (len)
        memcpy(s, data, len);
    s[len] = '\0';
    c->cell_nul[c->ncells] = memchr(s, '\0', len) != NULL;
    c->cells[c->ncells++] = s;
}

static void on_row(int ch, void *arg)
{
    struct ctx *c = arg;
    if (c->fatal || c->too_many) {
        free_cells(c);
        return;
    }
    if (c->ncells == 0) {
        /* CSV_REPALL_NL reports every line end: the LF of a CRLF is not a
         * row, a line with nothing on it is (a spreadsheet shows it). */
        if (ch == '\n' && c->prev_cr) {
            c->prev_cr = 0;
            return;
        }
        c->prev_cr = ch == '\r';
        if (c->have_header)
            c->record++;
        return;
    }
    c->prev_cr = ch == '\r';
    if (!c->have_header) {
        read_header(c);
    } else {
        one_row(c);
    }
    free_cells(c);
    c->record++;
}

/* The delimiter that occurs most in the header line outside quotes. */
static unsigned char guess_delimiter(const char *p, size_t len)
{
    size_t comma = 0, semi = 0, tab = 0;
    int quoted = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = p[i];
        if (ch == '"')
            quoted = !quoted;
        else if (!quoted && (ch == '\n' || ch == '\r'))
            break;
        else if (!quoted && ch == ',')
            comma++;
        else if (!quoted && ch == ';')
            semi++;
        else if (!quoted && ch == '\t')
            tab++;
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

int csv_import_parse(enum csv_import_kind kind, const struct field_spec *fields, const char *data,
                     size_t len, struct csv_import *out, struct tb_err *err)
{
    return csv_import_parse_aliased(kind, fields, NULL, data, len, out, err);
}

int csv_import_parse_aliased(enum csv_import_kind kind, const struct field_spec *fields, const json_t *aliases,
                             const char *data, size_t len, struct csv_import *out, struct tb_err *err)
{
    memset(out, 0, sizeof *out);
    out->errors = json_array();
    out->records = json_array();
    if (len > (size_t)CSV_IMPORT_MAX_BYTES)
        return tb_error(err, TB_E_PAYLOAD_TOO_LARGE, "file", "file: at most %ld MiB; split it",
                       CSV_IMPORT_MAX_BYTES >> 20);
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
        data += 3;
        len -= 3;
    }
    size_t lead = 0;
    while (lead < len && (data[lead] == '\r' || data[lead] == '\n' || data[lead] == ' ' || data[lead] == '\t'))
        lead++;
    if (lead == len)
        return TB_INVALID(err, "file", "file: it is empty; the first row must name the columns");
    struct ctx c = {
        .imp = out, .kind = kind, .fields = fields,
        .cols = kind == CSV_IMPORT_COMPANIES ? company_cols : kind == CSV_IMPORT_CONTACTS ? contact_cols : graduate_cols,
        .emails = json_object(), .record = 1, .aliases = aliases, .ids = json_object(),
    };
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL) != 0) {
        json_decref(c.emails);
        json_decref(c.ids);
        return TB_INTERNAL(err, "out of memory");
    }
    csv_set_delim(&p, guess_delimiter(data, len));
    size_t done = csv_parse(&p, data, len, on_field, on_row, &c);
    int perr = done != len ? csv_error(&p) : CSV_SUCCESS;
    if (perr == CSV_SUCCESS && csv_fini(&p, on_field, on_row, &c) != 0)
        perr = csv_error(&p);
    if (perr == CSV_EPARSE && !c.too_many) {
        /* Strict quoting: a stray quote inside a cell or an unclosed one.
         * Where it happened is known; what follows cannot be trusted. */
        const char *column = c.have_header && c.ncells < c.nheader ? c.header[c.ncells] : "";
        add_error(out, c.record, column, "",
                  "malformed quoting in cell %zu: a quote inside an unquoted cell, text after a closing quote "
                  "or a quote never closed; rows after it were not read", c.ncells + 1);
    } else if (perr != CSV_SUCCESS && perr != CSV_EPARSE) {
        c.fatal = 1;
    }
    csv_free(&p);
    free_cells(&c);
    free(c.cells);
    free(c.cell_nul);
    for (size_t i = 0; i < c.nheader; i++)
        free(c.header[i]);
    free(c.header);
    free(c.map);
    json_decref(c.emails);
    json_decref(c.ids);
    if (c.fatal)
        return TB_INTERNAL(err, "out of memory reading the file");
    if (c.too_many)
        return tb_error(err, TB_E_TOO_MANY_ROWS, "file", "file: at most %d data rows; split it", CSV_IMPORT_MAX_ROWS);
    if (!c.have_header)
        return TB_INVALID(err, "file", "file: the first row must name the columns");
    return 0;
}
