/*
 * stable.h - stable matching of graduates (candidates) to positions with
 * capacities (hospitals/residents), with a stability certificate and
 * explanations a person can read.
 *
 * Lists may be incomplete and one-sided: a pair is acceptable only when both
 * list each other. Ties inside a list are broken by one documented rule before
 * deferred acceptance runs (see enum tb_tie_rule). Pure core: no I/O, no
 * globals, deterministic for the same input and options.
 */
#ifndef TB_MATCH_STABLE_H
#define TB_MATCH_STABLE_H

#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"

/*
 * Preference lists in CSR form, best first. rank[k] is the tie group of entry k
 * (0 = most preferred); entries with the same rank in one list are tied, and
 * ranks never decrease along a list. A NULL rank array means "no ties".
 */
struct tb_hr_problem {
    int32_t n_cand, n_pos;
    const int32_t *capacity;       /* n_pos */
    const int64_t *cand_start;     /* n_cand + 1 */
    const int32_t *cand_list;      /* position ids */
    const int32_t *cand_rank;
    const int64_t *pos_start;      /* n_pos + 1 */
    const int32_t *pos_list;       /* candidate ids */
    const int32_t *pos_rank;
};

enum tb_stable_proposer { TB_STABLE_CANDIDATES = 0, TB_STABLE_POSITIONS };

/*
 * Ties are broken with one number per agent, the same in every list (single
 * tie-breaking): TB_TIE_BY_ID uses the id (lower id first); TB_TIE_LOTTERY uses
 * a splitmix64 hash of (seed, side, id), so one seed always gives the same draw.
 */
enum tb_tie_rule { TB_TIE_BY_ID = 0, TB_TIE_LOTTERY };

struct tb_stable_options {
    enum tb_stable_proposer proposer;
    enum tb_tie_rule tie_rule;
    uint64_t seed;
};

struct tb_stable_state;   /* tie-broken lists and ranks, kept for explanations */

struct tb_stable_result {
    int32_t *cand_pos;        /* n_cand entries, -1 = unmatched */
    int32_t *pos_fill;        /* n_pos entries */
    int64_t *pos_start;       /* n_pos + 1: members of position p are   */
    int32_t *pos_members;     /* pos_members[pos_start[p] .. +pos_fill[p]), best first */
    int32_t matched;
    /* Certificate: pairs that would both rather be together, counted after the
     * run against the tie-broken lists by a separate pass. 0 means stable (and
     * then also weakly stable for the lists with ties). */
    int64_t blocking_pairs;
    int64_t proposals;
    struct tb_stable_state *state;
};

int tb_stable_solve(const struct tb_hr_problem *p, const struct tb_stable_options *o,
                    struct arena *a, struct tb_stable_result *r, struct tb_err *err);

/* Checks the shape of p (ids in range, ranks non-decreasing, no duplicates). */
int tb_hr_validate(const struct tb_hr_problem *p, struct arena *a, struct tb_err *err);

/* ---- explanations -------------------------------------------------------- */

enum tb_explain_kind {
    TB_EXPLAIN_MATCHED = 0,    /* the position the candidate got */
    TB_EXPLAIN_NOT_LISTED,     /* the position did not list the candidate */
    TB_EXPLAIN_NO_PLACES,      /* the position has capacity 0 */
    TB_EXPLAIN_FILLED_HIGHER,  /* full with candidates it ranked strictly higher */
    TB_EXPLAIN_LOST_TIE,       /* full; the last place went to a candidate ranked
                                  equal, by the tie rule */
    TB_EXPLAIN_NO_LIST,        /* the candidate listed no position */
};

struct tb_explain_item {
    enum tb_explain_kind kind;
    int32_t position;          /* -1 for NO_LIST */
    int32_t choice;            /* 1-based place of the position in the candidate's list */
    int32_t rank_there;        /* 1-based rank of the candidate in the position's list, 0 = not listed */
    int32_t capacity;
    int32_t n_filled;
    const int32_t *filled_by;  /* the members, best first (n_filled) */
    int32_t worst_admitted_rank; /* 1-based rank of the last member admitted */
    int32_t tie_with;          /* LOST_TIE: a member ranked equal to the candidate */
};

struct tb_explanation {
    int32_t candidate;
    int32_t matched_position;  /* -1 = unmatched */
    int32_t matched_choice;    /* 1-based, 0 when unmatched */
    enum tb_tie_rule tie_rule;
    int32_t n_items;           /* the match (if any) last, better choices first */
    struct tb_explain_item *items;
};

/* Why candidate `cand` is where it is: one item per position it ranked above
 * its match (all of its list when unmatched), then the match itself. */
int tb_stable_explain(const struct tb_hr_problem *p, const struct tb_stable_result *r,
                      int32_t cand, struct arena *a, struct tb_explanation *out,
                      struct tb_err *err);

/* Names and reasons supplied by the caller; every member may be NULL. */
struct tb_explain_names {
    const char *const *candidate;   /* n_cand: "Anna Berg" */
    const char *const *position;    /* n_pos: "Position 17" or a title */
    const char *const *company;     /* n_pos: "Nordic Pumps" */
    /* Why the position ranks the candidate where it does or not at all,
     * e.g. the score's hard constraint "Swedish B2 against required C1". */
    const char *(*pair_reason)(void *ctx, int32_t cand, int32_t pos);
    void *ctx;
};

/* Appends one sentence per item, each ending with a newline. 0 or -1 (buffer full). */
int tb_explain_render(const struct tb_explanation *x, const struct tb_explain_names *names,
                      struct abuf *out);

#endif
