/*
 * csvrows.h - small CSV files (dictionaries, GeoDist, World Bank) row by row
 * through libcsv: BOM skipped, CRLF or LF, quoted fields.
 */
#ifndef TB_TRADE_CSVROWS_H
#define TB_TRADE_CSVROWS_H

#include <stddef.h>

#include "core/error.h"

#define CSVROWS_MAX_FIELDS 96

/* Called once per record; `line` is 1-based (the header is line 1). Return 0
 * to go on, -1 to stop (the callback has filled err). */
typedef int (*csvrows_fn)(void *ctx, char **fields, int n, long line, struct tb_err *err);

int csvrows_each(const char *buf, size_t len, char sep, csvrows_fn fn, void *ctx,
                 struct tb_err *err);

#endif
