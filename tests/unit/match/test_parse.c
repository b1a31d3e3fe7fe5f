/*
 * test_parse.c - the input parser: valid files of every format, a table of
 * malformed inputs with the exact line and reason expected, and a seeded
 * mutation fuzzer (truncations, byte flips, insertions) that must never crash
 * and must always answer either a problem or a "line N: ..." error.
 */
#include <string.h>

#include "core/arena.h"
#include "core/match/parse.h"
#include "tap.h"

static int parse(struct arena *a, const char *text, struct tb_match_input *in, struct tb_err *err)
{
    return tb_match_parse(text, strlen(text), a, in, err);
}

static void valid_inputs(struct arena *a)
{
    struct tb_match_input in;
    struct tb_err err;
    int rc = parse(a, "# a comment\n\ndense 2 3 int max\n1 2 x\n-4 5 6\n", &in, &err);
    tap_ok(rc == 0 && in.format == TB_FMT_DENSE && in.assign.rows == 2 && in.assign.cols == 3 &&
               in.assign.sense == TB_ASSIGN_MAX && in.assign.dense32 && !in.assign.dense &&
               tb_assign_dense_at(&in.assign, 2) == TB_ASSIGN_FORBIDDEN &&
               tb_assign_dense_at(&in.assign, 3) == -4,
           "dense with comment, blank line, x and a negative value (kept as int32)");
    rc = parse(a, "dense 2 2 int min\n1 x\n3 5000000000\n", &in, &err);
    tap_ok(rc == 0 && in.assign.dense && !in.assign.dense32 && in.assign.dense[0] == 1 &&
               in.assign.dense[1] == TB_ASSIGN_FORBIDDEN && in.assign.dense[3] == 5000000000LL,
           "an integer beyond int32 widens the matrix to int64, earlier rows kept");
    rc = parse(a, "dense 1 2 int min\n-2147483648 2147483647\n", &in, &err);
    tap_ok(rc == 0 && in.assign.dense && in.assign.dense[0] == INT32_MIN &&
               in.assign.dense[1] == INT32_MAX,
           "the int32 limits themselves are kept as int64 (they are the markers)");
    rc = parse(a, "dense 1 3 float min\n1.5 2 -0.25\n", &in, &err);
    tap_ok(rc == 0 && in.is_float && in.scale == 2 && in.assign.dense[0] == 150 &&
               in.assign.dense[1] == 200 && in.assign.dense[2] == -25,
           "float values scale exactly by 10^2");
    rc = parse(a, "dense 1 2 float min\n1e-3 2.5E1\n", &in, &err);
    tap_ok(rc == 0 && in.scale == 3 && in.assign.dense[0] == 1 && in.assign.dense[1] == 25000,
           "exponents read exactly");
    rc = parse(a, "sparse 2 2 3 int min\n0 0 5\n1 1 6\n0 1 7\n", &in, &err);
    tap_ok(rc == 0 && in.format == TB_FMT_SPARSE && in.assign.n_edges == 3 &&
               in.assign.edges[2].row == 0 && in.assign.edges[2].col == 1 &&
               in.assign.edges[2].value == 7,
           "sparse");
    rc = parse(a, " 2 \n 1 2\n 3\n 4\n", &in, &err);
    tap_ok(rc == 0 && in.format == TB_FMT_ORLIB_DENSE && in.assign.dense[3] == 4,
           "OR-Library dense, wrapped over lines");
    rc = parse(a, "4\n1 1 5\n2 3 6\n3 2 7\n", &in, &err);
    tap_ok(rc == 0 && in.format == TB_FMT_ORLIB_SPARSE && in.assign.edges[1].row == 1 &&
               in.assign.edges[1].col == 2,
           "OR-Library sparse, 1-based ids made 0-based");
    rc = parse(a, "hr 4 2\np 1 2 3 (0 2) 1\nc 0 1 0\nc 2 (0 1)\np 0 1\n", &in, &err);
    const struct tb_hr_problem *h = &in.hr;
    tap_ok(rc == 0 && in.format == TB_FMT_HR && h->capacity[1] == 2 && h->capacity[0] == 1 &&
               h->pos_start[2] - h->pos_start[1] == 4 && h->pos_rank[h->pos_start[1] + 2] == 1 &&
               h->pos_rank[h->pos_start[1] + 3] == 2 && h->cand_start[1] - h->cand_start[0] == 2 &&
               h->cand_rank[h->cand_start[2]] == 0 && h->cand_rank[h->cand_start[2] + 1] == 0 &&
               h->cand_start[2] == h->cand_start[1],
           "hr with ties, lines in any order, missing candidates");
}

struct bad {
    const char *text, *want;
};

static const struct bad bad_inputs[] = {
    { "", "empty input" },
    { "# only a comment\n", "empty input" },
    { "matrix 2 2\n", "line 1: expected a header" },
    { "dense 2 2 int\n1 2\n3 4\n", "line 1: expected 'dense <rows> <cols> <int|float> <max|min>'" },
    { "dense 2 2 int max\n1 2\n3\n", "line 3: expected 2 values, got 1" },
    { "dense 2 2 int max\n1 2\n3 4 5\n", "line 3: expected 2 values, got 3" },
    { "dense 2 2 int max\n1 2\n", "line 3: expected 2 rows of values, got 1" },
    { "dense 1 2 int max\n1 2\n3 4\n", "line 3: unexpected data after the last row" },
    { "dense 1 2 int max\n1 2.5\n", "line 2: expected an integer value, got '2.5'" },
    { "dense 1 2 float max\n1 abc\n", "line 2: expected a number, got 'abc'" },
    { "dense 1 2 int sideways\n1 2\n", "line 1: expected 'max' or 'min', got 'sideways'" },
    { "dense 1 2 double max\n1 2\n", "line 1: expected 'int' or 'float', got 'double'" },
    { "dense -1 2 int max\n", "line 1: expected row and column counts" },
    { "dense 100000 100000 int max\n1\n", "line 1: 100000 x 100000 values cannot fit" },
    { "dense 1 1 int max\n99999999999999\n", "line 2: value 99999999999999 outside +-2^40" },
    { "dense 1 1 int max\n9999999999999999999999\n", "line 2: expected an integer value" },
    { "sparse 2 2 1 int min\n0 5 1\n", "line 2: column 5 outside 0..1" },
    { "sparse 2 2 1 int min\n-1 0 1\n", "line 2: row -1 outside 0..1" },
    { "sparse 2 2 2 int min\n0 0 1\n", "line 3: expected 2 entries, got 1" },
    { "sparse 2 2 1 int min\n0 0\n", "line 2: expected '<row> <col> <value>'" },
    { "sparse 2 2 1 int min\n0 0 1\n1 1 1\n", "line 3: unexpected data after 1 entries" },
    { "sparse 2 2 99999 int min\n0 0 1\n", "line 1: 99999 entries cannot fit" },
    { "3\n1 1 5\n2 2\n", "line 1: OR-Library file: expected 3 x 3 costs" },
    { "2\n1 3 5\n2 2 1\n", "line 2: column 3 outside 1..2" },
    { "2 2\n1 2 3 4\n", "line 1: expected the OR-Library size n alone on its line" },
    { "hr 2 2\nq 0 1\n", "line 2: expected a line starting with 'p' or 'c'" },
    { "hr 2 2\np 0\n", "line 2: expected 'p <position> <capacity> <candidates...>'" },
    { "hr 2 2\np 5 1 0\n", "line 2: position 5 outside 0..1" },
    { "hr 2 2\np 0 1 0 0\n", "line 2: candidate 0 listed twice" },
    { "hr 2 2\np 0 1 (0 1\n", "line 2: missing ')'" },
    { "hr 2 2\np 0 1 0) 1\n", "line 2: ')' without '('" },
    { "hr 2 2\np 0 1 ((0) 1)\n", "line 2: nested '('" },
    { "hr 2 2\np 0 1 () 1\n", "line 2: empty '( )'" },
    { "hr 2 2\nc 0 1 7\n", "line 2: position 7 outside 0..1" },
    { "hr 2 2\nc 0 1\n\n# note\nc 0 0\n", "line 5: candidate 0 already defined on line 2" },
    { "hr 2 2\nc 0 1x\n", "line 2: expected a position id, got 'x' after digits" },
    { "hr 2 2\nc 0 -1\n", "line 2: expected a position id, '(' or ')', got '-'" },
    { "hr 2\n", "line 1: expected 'hr <n_candidates> <n_positions>'" },
};

static void malformed_inputs(struct arena *a)
{
    int n = (int)(sizeof bad_inputs / sizeof bad_inputs[0]), good = 0;
    for (int k = 0; k < n; k++) {
        struct tb_match_input in;
        struct tb_err err = { 0 };
        arena_reset(a);
        int rc = parse(a, bad_inputs[k].text, &in, &err);
        if (rc < 0 && err.status == 400 && strstr(err.message, bad_inputs[k].want) == err.message)
            good++;
        else
            printf("# input %d: rc %d, message '%s', expected '%s...'\n", k, rc, err.message,
                   bad_inputs[k].want);
    }
    tap_ok(good == n, "%d of %d malformed inputs rejected with the expected line and reason",
           good, n);
    struct tb_match_input in;
    struct tb_err err;
    tap_ok(tb_match_parse("dense 1 1 int max\n1\0", 20, a, &in, &err) < 0 &&
               strstr(err.message, "NUL"),
           "NUL bytes refused");
}

static void fuzz(struct arena *a)
{
    static const char *seeds[] = {
        "dense 3 3 int max\n1 2 3\n4 x 6\n7 8 9\n",
        "dense 2 2 float min\n1.5 2e1\n-3 0.001\n",
        "sparse 3 3 4 int min\n0 0 1\n1 1 2\n2 2 3\n0 2 9\n",
        "4\n1 1 5\n2 2 6\n3 3 7\n4 4 8\n",
        "2\n1 2\n3 4\n",
        "hr 3 2\np 0 2 0 (1 2)\np 1 1 2 1\nc 0 0\nc 1 1 0\nc 2 (0 1)\n",
    };
    const char alphabet[] = "0123456789 \n()x-.#eE+pcahrdsmin\t";
    unsigned long long seed = 31337;
    char buf[256];
    int ok_count = 0, err_count = 0, weird = 0;
    for (int it = 0; it < 30000; it++) {
        const char *s = seeds[it % 6];
        size_t n = strlen(s);
        memcpy(buf, s, n);
        int edits = (int)tap_range(&seed, 1, 4);
        for (int e = 0; e < edits; e++) {
            int op = (int)tap_range(&seed, 0, 3);
            size_t at = n ? (size_t)tap_range(&seed, 0, (long long)n - 1) : 0;
            if (op == 0 && n > 0) {
                n = at;                                             /* truncate */
            } else if (op == 1 && n > 0) {
                buf[at] = alphabet[tap_range(&seed, 0, (long long)sizeof alphabet - 2)];
            } else if (op == 2 && n + 1 < sizeof buf) {
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = alphabet[tap_range(&seed, 0, (long long)sizeof alphabet - 2)];
                n++;
            } else if (n > 0) {
                memmove(buf + at, buf + at + 1, n - at - 1);        /* delete */
                n--;
            }
        }
        arena_reset(a);
        struct tb_match_input in;
        struct tb_err err = { 0 };
        /* Exact-size heap copy so ASan sees any read past the end. */
        char *copy = malloc(n ? n : 1);
        memcpy(copy, buf, n);
        int rc = tb_match_parse(copy, n, a, &in, &err);
        free(copy);
        if (rc == 0)
            ok_count++;
        else if (err.status == 400 && err.message[0])
            err_count++;
        else
            weird++;
    }
    tap_ok(weird == 0, "fuzz: 30000 mutated inputs, %d parsed, %d rejected with a message, "
                       "%d otherwise", ok_count, err_count, weird);
}

int main(void)
{
    struct arena *a = arena_new(0);
    valid_inputs(a);
    malformed_inputs(a);
    fuzz(a);
    arena_free(a);
    return tap_done();
}
