/*
 * xlsx_read.h - the first worksheet of an XLSX (Office Open XML) file as CSV
 * text, so a spreadsheet saved by Excel or LibreOffice goes through the same
 * import checks as a CSV file (src/core/csv_import.c).
 *
 * Why hand-written over libraries: Debian 12 packages no XLSX reader for C
 * (libxlsxio is not in Debian; freexl 1.0.6 reads only the old .xls format,
 * XLSX came in freexl 2.0). The file is a ZIP of XML parts, so libzip opens
 * the archive and expat parses the parts; this module only maps cells to rows.
 *
 * Pure: no I/O. Reads the workbook's first sheet (xl/workbook.xml and its
 * relationships), shared strings, inline strings, booleans, numbers (at most
 * 15 significant digits, as a spreadsheet shows them) and dates (cells whose
 * number format is a date: written YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ with a
 * time of day). Sheet row N is CSV line N (empty rows stay empty lines), so
 * the import's row numbers are the spreadsheet's.
 */
#ifndef TB_XLSX_READ_H
#define TB_XLSX_READ_H

#include <stddef.h>

#include "core/error.h"

#define XLSX_MAX_PART_BYTES (64L * 1024 * 1024)   /* uncompressed size of one XML part */
#define XLSX_MAX_ROWS 100000                       /* sheet rows; the import allows fewer */
#define XLSX_MAX_COLUMNS 1000
#define XLSX_MAX_CSV_BYTES (32L * 1024 * 1024)

/* 1 when data starts like a ZIP archive (an XLSX file), else 0. */
int xlsx_looks_like(const char *data, size_t len);

/* The first sheet as CSV (RFC 4180, every cell quoted, CRLF) in *csv
 * (malloc'd, NUL-terminated, *csv_len bytes without the NUL). 0, or -1 with
 * err (400 field "file": not an XLSX file, no worksheet, malformed XML; 413
 * over the limits above). */
int xlsx_to_csv(const char *data, size_t len, char **csv, size_t *csv_len, struct tb_err *err);

#endif
