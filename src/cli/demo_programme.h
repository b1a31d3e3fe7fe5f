/*
 * demo_programme.h - what the two halves of the demo programme share:
 * demo_generate.c composes the programme in memory from the seed,
 * demo_programme.c writes it through the store (see demo.h).
 */
#ifndef TB_DEMO_PROGRAMME_H
#define TB_DEMO_PROGRAMME_H

#include <stdint.h>

#include "cli/demo.h"
#include "cli/demo_data.h"

struct rng {
    uint64_t s[4];
};


#define N_COMPANIES_SE 24
#define N_COMPANIES_SI 18
#define N_COMPANIES_EE 18
#define MAX_COMPANIES 64
#define MAX_GRADUATES 210
#define MAX_POSITIONS 100
#define MAX_APPS 600
#define MAXLANG 8
#define MAXSTAY 4


enum pos_status { P_DRAFT, P_SUBMITTED, P_APPROVED, P_OPEN, P_CLOSED, P_FILLED };
enum stage { S_APPLIED, S_SCREENED, S_INTERVIEW, S_SHORTLISTED, S_OFFERED, S_ACCEPTED, S_DECLINED,
             S_REJECTED, S_WITHDRAWN };

struct lang {
    const char *code;
    int rank;
};

struct stay {
    const char *country;
    int months;
    const char *kind;
};

struct company {
    int home, sector;
    char name[128], slug[96], reg[24];
    const struct demo_place *place;
    int employees;
    int64_t turnover, export_turnover, balance;
    const char *products[3];
    int nprod;
    const char *exp[6], *tgt[4];
    int nexp, ntgt;
    char contact[2][96], contact_email[2][160], phone[2][40];
    const char *contact_role[2];
    int64_t id, user_id, mentor_id;
};

struct graduate {
    int home, nat, male;
    char name[128], first[64], email[160], phone[40];
    const char *residence, *field, *university;
    int eqf, grad_year;
    struct lang lang[MAXLANG];
    int nlang;
    struct stay stay[MAXSTAY];
    int nstay;
    const char *skills[6];
    int nskills;
    const char *mobility[4];
    int nmob;
    int64_t available, consent_day;
    int consent, placed, napps;
    int64_t id, user_id;
};

struct position {
    int company, cohort, status, winner;
    const char *markets[2];
    int nm;
    struct lang req[3];
    int nreq;
    const char *fields[3];
    int nfields;
    const char *products[2];
    int nprod;
    int64_t start, pay;
    int months;
    char title[160], description[900];
    int64_t id;
};

struct application {
    int grad, pos, stage, reached; /* reached: the last open stage before rejected/withdrawn */
    int grank, crank;
    const char *note;
    int64_t id;
};

struct demo {
    struct rng r;
    const struct demo_people *people;
    struct store *st;
    int64_t ref;                       /* DEMO_REFERENCE_DATE in days */
    int64_t cohort_id[HOME__MAX][3];
    int64_t cohort_start[3], cohort_end[3];
    struct company co[MAX_COMPANIES];
    int nco;
    struct graduate gr[MAX_GRADUATES];
    int ngr;
    struct position pos[MAX_POSITIONS];
    int npos;
    struct application app[MAX_APPS];
    int napp;
    struct demo_counts *counts;
};

extern const char *const op_names[HOME__MAX];
extern const char *const pos_statuses[];
extern const char *const stages[];
extern const char *const levels[];   /* CEFR by rank: "", "A1" .. "C2", "native" */

/* demo_generate.c */
void demo_rng_seed(struct rng *r, uint64_t seed);
int demo_rnd(struct rng *r, int lo, int hi);
void demo_fmt_date(int64_t days, char out[11]);
/* The day before the same date `months` later: a placement's last day. */
int64_t demo_end_after_months(int64_t start, int months);
void demo_cat(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *demo_country_name(const char *code);
/* Composes the whole programme in d (d->r seeded, d->ref and cohorts set). */
int demo_compose(struct demo *d);

#endif
