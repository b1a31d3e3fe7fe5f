/*
 * assign.h - exact optimal assignment (linear sum assignment) on integer scores.
 *
 * Pure core: the caller passes the problem, an arena for every result array and
 * a tb_err; nothing is global, nothing touches files. Same input, same output.
 *
 * Two input shapes: a dense rows x cols matrix (TB_ASSIGN_FORBIDDEN marks a pair
 * that may not be used) or a list of allowed edges (absent pairs are forbidden).
 * Three modes:
 *   TB_ASSIGN_FULL     every element of the smaller side is assigned, else the
 *                      call fails with code "infeasible";
 *   TB_ASSIGN_PARTIAL  anyone may stay unassigned (an unassigned element adds 0
 *                      to the total), so only pairs that improve the total are made;
 *   TB_ASSIGN_MAXCARD  as many pairs as possible, then the best total among those.
 * A threshold forbids pairs whose value is worse than it (below it when
 * maximising, above it when minimising), in every mode.
 */
#ifndef TB_MATCH_ASSIGN_H
#define TB_MATCH_ASSIGN_H

#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"

/* Marks a forbidden pair in a dense matrix. */
#define TB_ASSIGN_FORBIDDEN INT64_MIN
/* Marks a forbidden pair in a narrow (int32) dense matrix. */
#define TB_ASSIGN_FORBIDDEN32 INT32_MAX
/* Largest |value| accepted; totals and potentials are then safe in int64. */
#define TB_ASSIGN_VALUE_MAX ((int64_t)1 << 40)

enum tb_assign_mode { TB_ASSIGN_FULL = 0, TB_ASSIGN_PARTIAL, TB_ASSIGN_MAXCARD };
enum tb_assign_sense { TB_ASSIGN_MIN = 0, TB_ASSIGN_MAX };

struct tb_assign_edge {
    int32_t row, col;
    int64_t value;
};

struct tb_assign_problem {
    int32_t rows, cols;
    enum tb_assign_sense sense;
    enum tb_assign_mode mode;
    /* Exactly one of these three is set. dense32 is the same matrix for
     * values that fit in (INT32_MIN, INT32_MAX), TB_ASSIGN_FORBIDDEN32 marking
     * a forbidden pair: half the memory, and a minimising problem in it is
     * solved in place, without the narrowing copy the int64 form needs. */
    const int64_t *dense;                 /* rows*cols, row-major */
    const int32_t *dense32;               /* rows*cols, row-major */
    const struct tb_assign_edge *edges;   /* duplicates allowed: the best one counts */
    int64_t n_edges;
    int has_threshold;
    int64_t threshold;
    /* Ask for an optimality certificate (dual values); not for MAXCARD. */
    int want_duals;
};

struct tb_assign_result {
    int32_t *row_to_col;   /* rows entries, -1 = unassigned */
    int32_t *col_to_row;   /* cols entries, -1 = unassigned */
    int64_t total;         /* sum of the values of the assigned pairs */
    int32_t assigned;
    /*
     * With want_duals (FULL, PARTIAL): u (rows) and v (cols) such that, with
     * c = value when minimising and c = -value when maximising,
     *   u[r] + v[c] <= c(r,c) on every allowed pair, with equality on assigned pairs,
     *   and sum(u) + sum(v) = the min-form total. Sign rules (LP duality):
     *   FULL: the side that may keep unassigned elements (the larger one) has
     *   duals <= 0, and 0 where unassigned; PARTIAL: both sides so.
     */
    int64_t *row_dual, *col_dual;
    /* Diagnostics: rows left for shortest augmenting paths after the
     * initialisation heuristics, and the total number of Dijkstra scans. */
    int64_t sap_rows, scans;
};

/* Value k (row-major) of a dense problem, whichever width it is stored in. */
static inline int64_t tb_assign_dense_at(const struct tb_assign_problem *p, int64_t k)
{
    if (p->dense)
        return p->dense[k];
    return p->dense32[k] == TB_ASSIGN_FORBIDDEN32 ? TB_ASSIGN_FORBIDDEN : p->dense32[k];
}

/*
 * Solves p. Returns 0 and fills r, or -1 with err set:
 *   400 validation_failed  malformed problem (sizes, ids, values out of range);
 *   422 infeasible         FULL mode and no assignment covers the smaller side;
 *   413 too_large          the value range times the size could overflow int64;
 *   500 internal_error     out of memory in the arena.
 */
int tb_assign_solve(const struct tb_assign_problem *p, struct arena *a,
                    struct tb_assign_result *r, struct tb_err *err);

const char *tb_assign_mode_name(enum tb_assign_mode m);

#endif
