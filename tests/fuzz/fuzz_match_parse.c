/*
 * fuzz_match_parse.c - the matching engine's file formats (dense, sparse, hr,
 * OR-Library: `tradebridge match` and the matching upload), and, when the input
 * parses as an assignment or hr problem small enough, the solvers.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/match/assign.h"
#include "core/match/parse.h"
#include "core/match/stable.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new(64u << 20);
    struct tb_match_input in;
    struct tb_err err;
    if (tb_match_parse((const char *)data, size, a, &in, &err) == 0) {
        if (in.format == TB_FMT_HR) {
            struct tb_stable_result r;
            if (tb_stable_solve(&in.hr, NULL, a, &r, &err) == 0 && in.hr.n_cand > 0) {
                struct tb_explanation x;
                tb_stable_explain(&in.hr, &r, 0, a, &x, &err);
            }
        } else if ((int64_t)in.assign.rows * in.assign.cols <= 4096) {
            struct tb_assign_result r;
            for (int m = 0; m < 3; m++) {
                in.assign.mode = (enum tb_assign_mode)m;
                tb_assign_solve(&in.assign, a, &r, &err);
            }
        }
    }
    arena_free(a);
    return 0;
}
