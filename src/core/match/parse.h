/*
 * parse.h - the matching engine's plain-text input formats, parsed from a
 * memory buffer (pure core: the CLI reads the file, this only reads bytes).
 *
 *   dense  <rows> <cols> <int|float> <max|min>   then one line of <cols> values per row, x = forbidden
 *   sparse <rows> <cols> <nnz> <int|float> <max|min>   then nnz lines "<row> <col> <value>"
 *   hr <n_candidates> <n_positions>   then "p <pos> <capacity> <candidates...>" and
 *                                     "c <cand> <positions...>" lines, ties in ( )
 *   OR-Library assignN / assignpN files (first token a bare n; always int min).
 * '#' lines and blank lines are skipped anywhere. Ids are 0-based except in
 * OR-Library files (1-based there, converted to 0-based).
 *
 * Float values are read exactly as decimals, rounded to 6 decimals at most, and
 * all scaled by 10^scale (scale = the most decimals any value uses) so the
 * engine stays on integers; divide totals by 10^scale to print them.
 */
#ifndef TB_MATCH_PARSE_H
#define TB_MATCH_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/match/assign.h"
#include "core/match/stable.h"

enum tb_match_format { TB_FMT_DENSE = 0, TB_FMT_SPARSE, TB_FMT_ORLIB_DENSE, TB_FMT_ORLIB_SPARSE,
                       TB_FMT_HR };

struct tb_match_input {
    enum tb_match_format format;
    int is_float;
    int scale;                       /* values are multiplied by 10^scale */
    struct tb_assign_problem assign; /* dense/sparse/OR-Library: mode left FULL */
    struct tb_hr_problem hr;         /* hr */
};

/*
 * Parses buf[0..len). On error returns -1 with err->status 400, code
 * "malformed_input" and a message "line N: what was expected".
 */
int tb_match_parse(const char *buf, size_t len, struct arena *a, struct tb_match_input *out,
                   struct tb_err *err);

/* A decimal such as "-12.5" or "3e2" as an integer count of 10^-6 units; 0 or -1. */
int tb_match_parse_decimal(const char *s, int64_t *micro);

#endif
