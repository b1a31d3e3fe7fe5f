/*
 * suppress.c - small-cell suppression for figures meant for funders and the
 * public: primary (too few firms, or one firm dominates) and secondary (a
 * suppressed cell must not be the difference between a total and the cells
 * shown beside it). The rule applied is the classic one for tables with
 * margins: each row and column of the table with its totals holds either no
 * suppressed entry or at least two; it is re-checked until nothing changes.
 */
#include <stdlib.h>
#include <string.h>

#include "core/impact/impact.h"

struct table {
    size_t rows, cols, w;    /* w = cols + 1: stride of the extended table */
    uint64_t *units;         /* extended table, margins summed */
    uint8_t *mark;
};

/* One line of the extended table: a row (is_row) or a column, index i. */
static size_t line_len(const struct table *t, int is_row)
{
    return is_row ? t->cols + 1 : t->rows + 1;
}

static size_t line_at(const struct table *t, int is_row, size_t i, size_t j)
{
    return is_row ? i * t->w + j : j * t->w + i;
}

/* With exactly one suppressed entry in the line, suppress one more: the
 * interior entry with the fewest firms (> 0), else the total. Returns 1 when
 * it changed something. */
static int protect_line(struct table *t, int is_row, size_t i)
{
    size_t len = line_len(t, is_row), suppressed = 0;
    for (size_t j = 0; j < len; j++)
        suppressed += t->mark[line_at(t, is_row, i, j)] != CELL_SHOWN;
    if (suppressed != 1)
        return 0;
    size_t best = (size_t)-1;
    for (size_t j = 0; j + 1 < len; j++) {   /* interior entries: the last one is the total */
        size_t at = line_at(t, is_row, i, j);
        if (t->mark[at] != CELL_SHOWN || t->units[at] == 0)
            continue;
        if (best == (size_t)-1 || t->units[at] < t->units[best])
            best = at;
    }
    if (best == (size_t)-1)
        best = line_at(t, is_row, i, len - 1);
    if (t->mark[best] != CELL_SHOWN)
        return 0;
    t->mark[best] = CELL_SECONDARY;
    return 1;
}

int impact_suppress(const uint32_t *units, const double *top_share, size_t rows, size_t cols,
                    unsigned k, double dominance, uint8_t *mark, struct tb_err *err)
{
    if (k < 3)
        return TB_INVALID(err, "min_cell", "the smallest cell shown must be at least 3 firms, got %u", k);
    if (!rows || !cols)
        return TB_INVALID(err, "", "an empty table has nothing to suppress");
    struct table t = {rows, cols, cols + 1, calloc((rows + 1) * (cols + 1), sizeof(uint64_t)), mark};
    if (!t.units)
        return TB_INTERNAL(err, "out of memory for a %zu x %zu table", rows, cols);
    memset(mark, CELL_SHOWN, (rows + 1) * (cols + 1));
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < cols; c++) {
            uint32_t u = units[r * cols + c];
            t.units[r * t.w + c] = u;
            t.units[r * t.w + cols] += u;
            t.units[rows * t.w + c] += u;
            t.units[rows * t.w + cols] += u;
            int dominated = top_share && dominance > 0 && top_share[r * cols + c] > dominance;
            if ((u > 0 && u < k) || (u > 0 && dominated))
                mark[r * t.w + c] = CELL_PRIMARY;
        }
    /* Totals describe many firms, but a total of fewer than k firms is as
     * revealing as a cell of fewer than k. */
    for (size_t r = 0; r <= rows; r++)
        if (t.units[r * t.w + cols] > 0 && t.units[r * t.w + cols] < k)
            mark[r * t.w + cols] = CELL_PRIMARY;
    for (size_t c = 0; c < cols; c++)
        if (t.units[rows * t.w + c] > 0 && t.units[rows * t.w + c] < k)
            mark[rows * t.w + c] = CELL_PRIMARY;

    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t r = 0; r <= rows; r++)
            changed |= protect_line(&t, 1, r);
        for (size_t c = 0; c <= cols; c++)
            changed |= protect_line(&t, 0, c);
    }
    free(t.units);
    return 0;
}
