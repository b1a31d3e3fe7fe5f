/*
 * csv_columns.h - a CSV file's named columns as strings, for the commands
 * that read tables of figures (impact estimators). libcsv does the parsing;
 * this picks the columns asked for by their header names.
 */
#ifndef TB_CSV_COLUMNS_H
#define TB_CSV_COLUMNS_H

#include <stddef.h>

#include "core/arena.h"
#include "core/error.h"

struct csv_columns {
    size_t ncols;      /* the names asked for, in that order */
    size_t nrows;      /* data rows (the header is not counted) */
    char ***cell;      /* cell[col][row]: the text, "" when empty */
    size_t *line;      /* line[row]: its line in the file (1 = header) */
};

/* Reads `data` (UTF-8, comma-separated, optional BOM, CRLF or LF) and keeps
 * the columns named in names[0..n-1]. A missing column fails naming it and
 * listing the header; a row with fewer cells than the header fails with its
 * line. Memory comes from `a`. */
int csv_columns_read(const char *data, size_t len, const char *const *names, size_t n, struct arena *a,
                     struct csv_columns *out, struct tb_err *err);

#endif
