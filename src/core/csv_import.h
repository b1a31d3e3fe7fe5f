/*
 * csv_import.h - companies and graduates from a CSV file (libcsv), checked
 * row by row against the API's own field declarations.
 *
 * Pure: no I/O and no database. csv_import_parse() turns a buffer into one
 * JSON object per data row (shaped exactly like a POST body) and a report of
 * EVERY problem found, each with the spreadsheet row (the header is row 1, so
 * the first data row is row 2; blank lines count, as a spreadsheet shows them)
 * and the column as written in the header. Writing the rows is the caller's
 * business (src/http/import.c), all or nothing.
 *
 * Format: UTF-8 (a byte-order mark is skipped), RFC 4180 quoting, the
 * delimiter guessed from the header line (',' ';' or TAB: spreadsheets in
 * many European locales save with ';'). Lists inside a cell are separated by
 * ';' (quote the cell when the file itself uses ';'). Money is in major units
 * with a decimal point ("1250000.50") and converted exactly to minor units of
 * the row's currency. docs/import-export.md lists the columns.
 */
#ifndef TB_CSV_IMPORT_H
#define TB_CSV_IMPORT_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"
#include "core/validate.h"

#define CSV_IMPORT_MAX_BYTES (5L * 1024 * 1024)   /* larger files: 413 */
#define CSV_IMPORT_MAX_ROWS 10000                 /* data rows; more: 400, split the file */
/* The report lists at most this many errors (error_count has them all), so
 * a file that is wrong in every cell still gets a response of sane size. */
#define CSV_IMPORT_MAX_ERRORS 10000

enum csv_import_kind { CSV_IMPORT_COMPANIES, CSV_IMPORT_GRADUATES, CSV_IMPORT_CONTACTS };

/* "companies" | "graduates" | "contacts": 0, or -1 when unknown. */
int csv_import_kind_parse(const char *name, enum csv_import_kind *out);
const char *csv_import_kind_name(enum csv_import_kind k);
/* The documented column names, NULL-terminated. */
const char *const *csv_import_columns(enum csv_import_kind k);
/* Every column the importer reads or skips (documented, export bookkeeping), i = 0, 1, ...; NULL past the end. */
const char *csv_import_column_name(enum csv_import_kind k, size_t i);

struct csv_import {
    size_t rows;          /* data rows read (blank rows not counted) */
    size_t valid;         /* rows without any error */
    size_t error_count;   /* every error found; errors[] holds the first CSV_IMPORT_MAX_ERRORS */
    json_t *errors;       /* [{"row", "column", "field", "message"}] */
    json_t *records;      /* rows without errors: [{"row": n, "fields": {...}}] */
};

/*
 * fields: the API's create declaration for the kind (company_create_fields,
 * graduate_create_fields), so imported rows obey the same rules as the API;
 * FT_CODE checks go through validate_set_code_checker() as there.
 * Returns 0 with *out filled (even when rows have errors: see out->error_count),
 * or -1 when the file as a whole cannot be read (empty: 400; larger than
 * CSV_IMPORT_MAX_BYTES: 413; more than CSV_IMPORT_MAX_ROWS: 400).
 * Free *out with csv_import_free() either way.
 */
int csv_import_parse(enum csv_import_kind kind, const struct field_spec *fields, const char *data,
                     size_t len, struct csv_import *out, struct tb_err *err);
/*
 * The same, also reading the columns of an export (issue 17): `id` and
 * `version` (a row with an id updates that record: records[i] then has
 * "id" and "version", and the row's empty cells are null, clearing the
 * value), `contacts` as exported ("name:email:phone:role; ..."), and the
 * bookkeeping columns an export adds (org_id, created_at, sme_check...),
 * which are skipped. aliases (may be NULL): {"header in lower case":
 * "column name"}, so the export's human headers in any shipped language
 * name their columns.
 */
int csv_import_parse_aliased(enum csv_import_kind kind, const struct field_spec *fields, const json_t *aliases,
                             const char *data, size_t len, struct csv_import *out, struct tb_err *err);
void csv_import_free(struct csv_import *imp);

/* Marks records[index] as failed (a problem found when writing it, such as
 * a duplicate e-mail already in the database) and reports it with its row. */
void csv_import_fail_record(struct csv_import *imp, size_t index, const char *column,
                            const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* {"rows", "valid", "invalid", "error_count", "errors_truncated", "errors"}; new reference. */
json_t *csv_import_report(const struct csv_import *imp);

/*
 * "1250000.50" in major units -> 125000050 minor units for a currency with
 * `digits` minor units (0..4), exactly (integer arithmetic: no floating
 * point). Digits with at most one '.', at most `digits` decimals, no sign,
 * no thousands separators, at most 10^15 minor units. 0, or -1 with a reason
 * in why ("has 3 decimals but EUR has 2" style is up to the caller).
 */
int csv_money_parse(const char *text, int digits, long long *out, char *why, size_t why_len);

#endif
