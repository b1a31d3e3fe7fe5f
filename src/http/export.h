/*
 * export.h - every list view as a file: GET <list>?format=csv|xlsx answers
 * with all pages (same filters, sort and q as the JSON list) as a download.
 *
 * Columns are the record's fields in the order the API shows them: scalars
 * as they are, lists joined with "; " (a list of objects shows each as its
 * values joined with ':', so languages read "de:B2" and countries
 * "DE:12:studied", as the importer takes them), other objects as compact
 * JSON, money (turnover, export_turnover, balance_sheet, pay, stipend) in
 * major units of the row's currency. CSV is RFC 4180 (UTF-8 with a BOM, CRLF),
 * with cells that a spreadsheet would run as a formula (= + - @ TAB CR)
 * prefixed by an apostrophe; XLSX (libxlsxwriter) has a bold frozen header,
 * column widths from the contents, numbers, money and dates as such.
 */
#ifndef TB_EXPORT_H
#define TB_EXPORT_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"
#include "http/http.h"
#include "store/entity.h"

enum export_format { EXPORT_NONE, EXPORT_CSV, EXPORT_XLSX };

#define EXPORT_MAX_ROWS 100000          /* more: 400 export_too_large, narrow the filters */
#define EXPORT_PAGE 200                 /* rows fetched per store call */

/* ?format= : absent or "json" -> EXPORT_NONE; "csv", "xlsx"; else 400. */
int export_format_of(struct request *r, enum export_format *out, struct tb_err *err);

/* ---- the file writer (no HTTP; unit-tested on its own) ---- */
struct export_writer;
/* title: the sheet's name (XLSX). */
int export_writer_new(enum export_format fmt, const char *title, struct export_writer **out,
                      struct tb_err *err);
/* rows: JSON objects; the first row seen fixes the columns. */
int export_writer_rows(struct export_writer *w, const json_t *rows, struct tb_err *err);
/* The finished file (malloc'd: the caller frees *data). Frees w, whatever happens. */
int export_writer_finish(struct export_writer *w, char **data, size_t *len, struct tb_err *err);
void export_writer_free(struct export_writer *w);
/* One CSV cell as the writer writes it (quoting, formula protection); malloc'd. */
char *export_csv_cell(const char *text);

/* ---- list handlers ---- */
typedef void (*export_decorate_fn)(struct request *r, json_t *row);

/* For entity_list() (entity_http.c): q and filters as the JSON list uses them. */
int export_entity_list(struct request *r, struct response *res, enum export_format fmt, enum entity e,
                       const struct list_query *q, const json_t *filters, export_decorate_fn decorate,
                       struct tb_err *err);

/* For lists shaped like store_user_list / store_audit_list:
 *   if (fmt) return export_store_list(r, res, fmt, "users", store_user_list, &q, err); */
typedef int (*export_store_list_fn)(struct store *st, const struct tb_actor *a,
                                    const struct list_query *q, struct list_page *page,
                                    struct tb_err *err);
int export_store_list(struct request *r, struct response *res, enum export_format fmt,
                      const char *collection, export_store_list_fn list, const struct list_query *q,
                      struct tb_err *err);

/* Rows already built (a report): the whole file as the download. */
int export_send_rows(struct request *r, struct response *res, enum export_format fmt, const char *collection,
                     const json_t *rows, struct tb_err *err);

#endif
