/*
 * check_assign.h - independent optimality check for assignment results: the
 * dual values returned with want_duals must be feasible, complementary and
 * sum to the primal total (LP duality), using only the input and the duals.
 */
#ifndef TB_MATCH_CHECK_ASSIGN_H
#define TB_MATCH_CHECK_ASSIGN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/match/assign.h"

static int chk_allowed(const struct tb_assign_problem *p, int64_t val, int64_t *c)
{
    if (val == TB_ASSIGN_FORBIDDEN)
        return 0;
    if (p->has_threshold &&
        (p->sense == TB_ASSIGN_MAX ? val < p->threshold : val > p->threshold))
        return 0;
    *c = p->sense == TB_ASSIGN_MAX ? -val : val;
    return 1;
}

/* 0 when r is certified optimal; else fills why. */
static int check_assign_certificate(const struct tb_assign_problem *p,
                                    const struct tb_assign_result *r, char *why, size_t wn)
{
    const int32_t R = p->rows, C = p->cols;
    const int64_t *u = r->row_dual, *v = r->col_dual;
    if (!u || !v) {
        snprintf(why, wn, "no duals");
        return -1;
    }
    int64_t *best = malloc(((size_t)R + 1) * sizeof *best);
    for (int32_t i = 0; i < R; i++)
        best[i] = INT64_MAX;
    const bool is_dense = p->dense || p->dense32;
    int64_t n = is_dense ? (int64_t)R * C : p->n_edges;
    int rc = -1;
    for (int64_t k = 0; k < n; k++) {
        int32_t i = is_dense ? (int32_t)(k / C) : p->edges[k].row;
        int32_t j = is_dense ? (int32_t)(k % C) : p->edges[k].col;
        int64_t val = is_dense ? tb_assign_dense_at(p, k) : p->edges[k].value, c;
        if (!chk_allowed(p, val, &c))
            continue;
        if (u[i] + v[j] > c) {
            snprintf(why, wn, "dual infeasible at (%d,%d): %lld + %lld > %lld", i, j,
                     (long long)u[i], (long long)v[j], (long long)c);
            goto out;
        }
        if (r->row_to_col[i] == j && c < best[i])
            best[i] = c;
    }
    int64_t primal = 0, dual = 0, assigned = 0;
    for (int32_t i = 0; i < R; i++) {
        int32_t j = r->row_to_col[i];
        dual += u[i];
        if (j < 0)
            continue;
        assigned++;
        if (j >= C || r->col_to_row[j] != i) {
            snprintf(why, wn, "row %d -> col %d not mirrored", i, j);
            goto out;
        }
        if (best[i] == INT64_MAX) {
            snprintf(why, wn, "row %d uses a forbidden pair", i);
            goto out;
        }
        if (u[i] + v[j] != best[i]) {
            snprintf(why, wn, "assigned pair (%d,%d) not tight", i, j);
            goto out;
        }
        primal += best[i];
    }
    for (int32_t j = 0; j < C; j++)
        dual += v[j];
    int rows_free = p->mode == TB_ASSIGN_PARTIAL || R > C;
    int cols_free = p->mode == TB_ASSIGN_PARTIAL || C > R;
    if (p->mode == TB_ASSIGN_FULL && assigned != (R < C ? R : C)) {
        snprintf(why, wn, "full mode but only %lld assigned", (long long)assigned);
        goto out;
    }
    for (int32_t i = 0; i < R && rows_free; i++)
        if (u[i] > 0 || (r->row_to_col[i] < 0 && u[i] != 0)) {
            snprintf(why, wn, "row dual %d = %lld breaks the sign rule", i, (long long)u[i]);
            goto out;
        }
    for (int32_t j = 0; j < C && cols_free; j++)
        if (v[j] > 0 || (r->col_to_row[j] < 0 && v[j] != 0)) {
            snprintf(why, wn, "col dual %d = %lld breaks the sign rule", j, (long long)v[j]);
            goto out;
        }
    int64_t want = p->sense == TB_ASSIGN_MAX ? -r->total : r->total;
    if (primal != want || dual != want) {
        snprintf(why, wn, "primal %lld, dual %lld, reported %lld", (long long)primal,
                 (long long)dual, (long long)want);
        goto out;
    }
    rc = 0;
out:
    free(best);
    return rc;
}

#endif
