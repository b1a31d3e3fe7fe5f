/*
 * demo.h - the demonstration database behind `tradebridge demo`.
 *
 * demo_build() writes the foundation, the three national operators, one login
 * per role, and a programme generated from a seed: about 60 SMEs, 200
 * graduates, cohorts, positions in every status, applications at every stage
 * with their history, and placements (signed, completed, and drafts awaiting
 * signatures). The same seed gives the same data: every value comes from the
 * seed and a fixed reference date (DEMO_REFERENCE_DATE), never from the clock;
 * only bookkeeping timestamps (created_at, updated_at, event and acceptance
 * times, which the store stamps) and password hashes (salted) differ.
 *
 * Language levels of graduates follow one rule (checked by tests/unit/test_demo.c):
 *  - exactly one "native" language: the first official language of the
 *    graduate's nationality;
 *  - English at any level from B1;
 *  - any other language L at most B1, unless the graduate spent M months in
 *    countries where L is official: M >= 6 allows B2, M >= 12 C1, M >= 24 C2;
 *  - a stay of 6+ months in a country whose first official language is not
 *    native nor English shows: that language is listed, at least B1.
 */
#ifndef TB_DEMO_H
#define TB_DEMO_H

#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

#define DEMO_DEFAULT_SEED 20261101u
#define DEMO_REFERENCE_DATE "2026-11-01"

/* What the programme builder needs from the accounts part. */
struct demo_people {
    int64_t operators[3];     /* org ids: ITM Sweden, ITM Slovenia, ITM Estonia */
    int64_t coordinators[3];  /* a coordinator's user id in each */
    int64_t company_user;     /* company@: bound here to the showcase SME */
    int64_t trainee_user;     /* trainee@: bound here to the showcase graduate */
    int64_t mentor_user;      /* mentor@ (ITM Sweden): mentors the showcase SME's trainees */
    const char *password_hash;   /* the demo password's hash, for the programme's other logins */
};

struct demo_counts {
    int companies, graduates, cohorts, positions, applications, events, placements, users;
};

/* Everything, in the caller's transaction (cli_demo.c). */
int demo_build(struct store *st, uint64_t seed, struct demo_counts *counts, struct tb_err *err);
/* Market selection (demo_plans.c): the real BACI shrimp extract imported next
 * to the database (0 or -1), then a seafood exporter and an export plan per
 * placement in several states, with actuals (sales figures synthetic). */
int demo_trade_import(const char *db);
int demo_plans(struct store *st, const char *db, int *n_plans, struct tb_err *err);

/* The qualification part (demo_credentials.c): accreditations, the
 * achievement, signed credentials for completed placements. Runs after the
 * programme is committed (issuing manages its own transactions). */
int demo_credentials(struct store *st, const char *public_url, const char *kek, int *issued,
                     struct tb_err *err);

/* The programme part (demo_programme.c). */
int demo_programme_build(struct store *st, const struct demo_people *people, uint64_t seed,
                         struct demo_counts *counts, struct tb_err *err);

/* The training part (demo_training.c): a learning plan for every signed or
 * completed placement, with deliverables in every state, reviews, test
 * attempts and self-assessments. */
int demo_training(struct store *st, uint64_t seed, struct tb_err *err);

/* Impact (demo_impact.c): past cohorts 2021-2023 with baselines, costs,
 * follow-up surveys (skewed outcomes, some non-response) and a register
 * comparison group; synthetic figures. In the caller's transaction. */
int demo_impact(struct store *st, uint64_t seed, int *n_placements, struct tb_err *err);
/* The trade network (demo_network.c, issue 15): contacts of every operator
 * across the demo's markets, alumni, relationships, introductions in every
 * state. In its own transaction. */
int demo_network(struct store *st, int *n_contacts, int *n_links, int *n_intros, struct tb_err *err);

#endif
