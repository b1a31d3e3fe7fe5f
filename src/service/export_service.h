/*
 * export_service.h - lists as files (CSV, XLSX): GET <list>?format=csv|xlsx
 * (src/http/export.c) answers with all pages of a list, as export_run makes them.
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
#ifndef TB_EXPORT_SERVICE_H
#define TB_EXPORT_SERVICE_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"
#include "store/store.h"

enum export_format { EXPORT_NONE, EXPORT_CSV, EXPORT_XLSX };

#define EXPORT_MAX_ROWS 100000          /* more: 400 export_too_large, narrow the filters */
#define EXPORT_PAGE 200                 /* rows fetched per store call */
#define EXPORT_CSV_MAX ((size_t)1 << 31) /* bytes of one CSV file */
#define EXPORT_CELL_MAX ((size_t)1 << 26) /* bytes of one cell's text */

/* ---- the file writer (unit-tested on its own) ---- */
struct export_writer;
/* Human headers (issue 17): the UI's word for each column in one language
 * (labels: labels_load(); collection picks "companies.legal_name" before
 * "export.col.KEY" and "common.KEY"). labels NULL: the machine names. */
struct export_view {
    const json_t *labels;
    const char *collection;
};
/* title: the sheet's name (XLSX). */
int export_writer_new(enum export_format fmt, const char *title, struct export_writer **out,
                      struct tb_err *err);
/* Headers from view (kept by reference; NULL: the names); before the first row. */
void export_writer_view(struct export_writer *w, const struct export_view *view);
/* rows: JSON objects; the first row seen fixes the columns. */
int export_writer_rows(struct export_writer *w, const json_t *rows, struct tb_err *err);
/* The finished file (malloc'd: the caller frees *data). Frees w, whatever happens. */
int export_writer_finish(struct export_writer *w, char **data, size_t *len, struct tb_err *err);
void export_writer_free(struct export_writer *w);
/* One CSV cell as the writer writes it (quoting, formula protection); malloc'd. */
char *export_csv_cell(const char *text);

/* ---- a whole list ---- */
/* One page of the list (q carries the cursor); decorate (may be NULL) adds
 * derived fields to each row before it is written. ctx is the caller's. */
typedef int (*export_page_fn)(void *ctx, const struct list_query *q, struct list_page *page,
                              struct tb_err *err);
typedef void (*export_row_fn)(void *ctx, json_t *row);
/* Every page from the first (q's filters and sort, not its cursor), at most
 * EXPORT_MAX_ROWS rows, as one file in *data (malloc'd) of *len bytes. */
int export_run(enum export_format fmt, const char *title, const struct export_view *view, const struct list_query *q,
               export_page_fn fetch, export_row_fn decorate, void *ctx, char **data, size_t *len,
               struct tb_err *err);

#endif
