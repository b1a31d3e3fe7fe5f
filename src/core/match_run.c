/*
 * match_run.c - programme records to engine input and back (see match_run.h).
 */
#include "core/match_run.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/codes.h"
#include "core/match/assign.h"
#include "core/match/score.h"
#include "core/match/stable.h"

#define MAX_LANGS 20
#define MAX_ITEMS 64

struct candidate {
    int64_t id;
    const char *name;
    struct tb_candidate_profile profile;
    struct tb_lang_level langs[MAX_LANGS];
    struct tb_market_stay stays[MAX_ITEMS];
    const char *fields[1];
    const json_t *mobility;     /* accepted countries; empty = not restricted */
};

struct position {
    int64_t id;
    const char *title, *company;
    int32_t places;
    struct tb_position_profile profile;
    struct tb_lang_level required[MAX_LANGS];
    char markets[MAX_ITEMS][3];
    const char *fields[MAX_ITEMS];
    struct tb_sector_code sectors[MAX_ITEMS];
};

struct pair {
    int32_t cand, pos;
    int64_t application_id;
    int graduate_rank, company_rank;   /* 0 = not ranked */
    int locked, vetoed_by_coordinator;
    struct tb_score_result score;
};

struct run {
    struct arena *arena;
    struct candidate *cands;
    struct position *poss;
    struct pair *pairs;
    int32_t n_cand, n_pos, n_pairs;
    struct tb_score_context ctx;
};

static int final_stage(const char *stage)
{
    return !strcmp(stage, "accepted") || !strcmp(stage, "declined") || !strcmp(stage, "rejected") ||
           !strcmp(stage, "withdrawn");
}

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static void copy_code(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static int32_t day_of(const json_t *o, const char *k)
{
    int32_t d;
    const char *s = json_string_value(json_object_get(o, k));
    return s && tb_day_from_iso(s, &d) == 0 ? d : TB_DAY_UNKNOWN;
}

static void load_candidate(struct candidate *c, const json_t *g)
{
    memset(c, 0, sizeof *c);
    c->id = json_integer_value(json_object_get(g, "id"));
    c->name = str(g, "name");
    size_t i;
    json_t *v;
    int n = 0;
    json_array_foreach(json_object_get(g, "languages"), i, v) {
        enum tb_cefr level;
        if (n >= MAX_LANGS || tb_cefr_parse(str(v, "level"), &level) < 0)
            continue;
        copy_code(c->langs[n].lang, sizeof c->langs[n].lang, str(v, "code"));
        c->langs[n++].level = level;
    }
    c->profile.languages = c->langs;
    c->profile.n_languages = n;
    n = 0;
    json_array_foreach(json_object_get(g, "countries"), i, v) {
        if (n >= MAX_ITEMS)
            break;
        copy_code(c->stays[n].country, sizeof c->stays[n].country, str(v, "country"));
        c->stays[n++].months = (int32_t)json_integer_value(json_object_get(v, "months"));
    }
    c->profile.stays = c->stays;
    c->profile.n_stays = n;
    c->fields[0] = str(g, "field");
    c->profile.fields = c->fields;
    c->profile.n_fields = *c->fields[0] ? 1 : 0;
    const char *home = str(g, "residence");
    copy_code(c->profile.country, sizeof c->profile.country, *home ? home : str(g, "nationality"));
    c->profile.available_from = day_of(g, "available_from");
    c->profile.consent = json_is_object(json_object_get(g, "consent"));
    c->mobility = json_object_get(g, "mobility");
    c->profile.id = 0;
}

static void load_position(struct position *p, const json_t *j, const json_t *company)
{
    memset(p, 0, sizeof *p);
    p->id = json_integer_value(json_object_get(j, "id"));
    p->title = str(j, "title");
    p->company = str(j, "company_name");
    json_t *places = json_object_get(j, "places");
    p->places = json_is_integer(places) ? (int32_t)json_integer_value(places) : 1;
    size_t i;
    json_t *v;
    int n = 0;
    json_array_foreach(json_object_get(j, "languages"), i, v) {
        enum tb_cefr level;
        if (n >= MAX_LANGS || tb_cefr_parse(str(v, "min_level"), &level) < 0)
            continue;
        copy_code(p->required[n].lang, sizeof p->required[n].lang, str(v, "code"));
        p->required[n++].level = level;
    }
    p->profile.required = p->required;
    p->profile.n_required = n;
    n = 0;
    json_array_foreach(json_object_get(j, "target_markets"), i, v)
        if (n < MAX_ITEMS)
            copy_code(p->markets[n++], 3, json_string_value(v));
    p->profile.markets = (const char(*)[3])p->markets;
    p->profile.n_markets = n;
    n = 0;
    json_array_foreach(json_object_get(j, "fields"), i, v)
        if (n < MAX_ITEMS)
            p->fields[n++] = json_string_value(v);
    p->profile.fields = p->fields;
    p->profile.n_fields = n;
    n = 0;
    json_array_foreach(json_object_get(j, "products"), i, v) {
        if (n >= MAX_ITEMS)
            break;
        p->sectors[n].scheme = TB_CODE_HS;
        copy_code(p->sectors[n++].code, sizeof p->sectors[0].code, json_string_value(v));
    }
    if (company && *str(company, "nace") && n < MAX_ITEMS) {
        p->sectors[n].scheme = TB_CODE_NACE;
        copy_code(p->sectors[n++].code, sizeof p->sectors[0].code, str(company, "nace"));
    }
    p->profile.sectors = p->sectors;
    p->profile.n_sectors = n;
    copy_code(p->profile.country, sizeof p->profile.country, str(j, "location_country"));
    p->profile.remote = !*p->profile.country;
    p->profile.start = day_of(j, "start_date");
}

/* Our graduates list the countries they accept; the score speaks of home
 * country or anywhere, so each pair gets the matching case. */
static void score_pair(struct run *run, struct pair *pr)
{
    struct candidate *c = &run->cands[pr->cand];
    struct position *p = &run->poss[pr->pos];
    struct tb_candidate_profile prof = c->profile;
    prof.mobility = TB_MOBILITY_ABROAD;
    if (json_array_size(c->mobility) > 0 && !p->profile.remote && strcmp(p->profile.country, prof.country)) {
        int accepted = 0;
        size_t i;
        json_t *v;
        json_array_foreach(c->mobility, i, v)
            accepted |= !strcmp(json_string_value(v), p->profile.country);
        if (!accepted)
            prof.mobility = TB_MOBILITY_COUNTRY;
    }
    struct tb_err e;
    if (tb_score_pair(&prof, &p->profile, &run->ctx, &pr->score, &e) < 0) {
        memset(&pr->score, 0, sizeof pr->score);
        pr->score.forbidden = true;
        snprintf(pr->score.reason, sizeof pr->score.reason, "%.150s", e.message);
    }
}

static const struct {
    const char *name;
    enum tb_criterion k;
} criteria[] = {
    {"languages", TB_CRIT_LANGUAGES}, {"market_languages", TB_CRIT_MARKET_LANGUAGES},
    {"market_experience", TB_CRIT_MARKET_EXPERIENCE}, {"field", TB_CRIT_FIELD},
    {"sector", TB_CRIT_SECTOR}, {"location", TB_CRIT_LOCATION}, {"availability", TB_CRIT_AVAILABILITY},
};

json_t *match_weights_effective(const json_t *stored)
{
    struct tb_score_weights w;
    tb_score_weights_default(&w);
    json_t *out = json_object();
    for (size_t i = 0; i < sizeof criteria / sizeof criteria[0]; i++) {
        json_t *v = json_object_get(stored, criteria[i].name);
        json_object_set_new(out, criteria[i].name,
                            json_integer(json_is_integer(v) ? json_integer_value(v) : w.w[criteria[i].k]));
    }
    json_t *m = json_object_get(stored, "market_months_full"), *g = json_object_get(stored, "start_grace_days");
    json_object_set_new(out, "market_months_full", json_integer(json_is_integer(m) ? json_integer_value(m) : w.market_months_full));
    json_object_set_new(out, "start_grace_days", json_integer(json_is_integer(g) ? json_integer_value(g) : w.start_grace_days));
    return out;
}

int match_weights_validate(const json_t *weights, struct tb_err *err)
{
    if (!json_is_object(weights))
        return TB_INVALID(err, "weights", "weights: expected an object");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)weights, k, v) {
        int known = !strcmp(k, "market_months_full") || !strcmp(k, "start_grace_days");
        for (size_t i = 0; i < sizeof criteria / sizeof criteria[0]; i++)
            known |= !strcmp(k, criteria[i].name);
        if (!known)
            return TB_INVALID(err, k, "%s: not a score criterion (languages, market_languages, market_experience, "
                                      "field, sector, location, availability, market_months_full, start_grace_days)", k);
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 10000)
            return TB_INVALID(err, k, "%s: expected a whole number from 0 to 10000", k);
    }
    return 0;
}

static void weights_from_json(const json_t *j, struct tb_score_weights *w)
{
    json_t *eff = match_weights_effective(j);
    for (size_t i = 0; i < sizeof criteria / sizeof criteria[0]; i++)
        w->w[criteria[i].k] = (int32_t)json_integer_value(json_object_get(eff, criteria[i].name));
    w->market_months_full = (int32_t)json_integer_value(json_object_get(eff, "market_months_full"));
    w->start_grace_days = (int32_t)json_integer_value(json_object_get(eff, "start_grace_days"));
    json_decref(eff);
}

/* Official languages of every market the positions target (code lists). */
static void official_languages(struct run *run)
{
    size_t cap = 16, n = 0;
    struct tb_country_language *list = arena_alloc(run->arena, cap * sizeof *list);
    for (int32_t p = 0; p < run->n_pos; p++)
        for (int32_t m = 0; m < run->poss[p].profile.n_markets; m++) {
            const char *country = run->poss[p].markets[m];
            const char *langs = codes_country_languages(country);
            while (langs && *langs) {
                char code[4] = "";
                size_t len = strcspn(langs, " ");
                if (len < sizeof code) {
                    memcpy(code, langs, len);
                    code[len] = '\0';
                    if (n == cap) {
                        list = arena_realloc(run->arena, list, cap * sizeof *list, 2 * cap * sizeof *list);
                        cap *= 2;
                    }
                    copy_code(list[n].country, 3, country);
                    copy_code(list[n].lang, 4, code);
                    n++;
                }
                langs += len;
                while (*langs == ' ')
                    langs++;
            }
        }
    run->ctx.official = list;
    run->ctx.n_official = (int32_t)n;
}

static int32_t index_of_cand(const struct run *run, int64_t id)
{
    for (int32_t i = 0; i < run->n_cand; i++)
        if (run->cands[i].id == id)
            return i;
    return -1;
}

static int32_t index_of_pos(const struct run *run, int64_t id)
{
    for (int32_t i = 0; i < run->n_pos; i++)
        if (run->poss[i].id == id)
            return i;
    return -1;
}

static struct pair *find_pair(struct run *run, int32_t c, int32_t p)
{
    for (int32_t i = 0; i < run->n_pairs; i++)
        if (run->pairs[i].cand == c && run->pairs[i].pos == p)
            return &run->pairs[i];
    return NULL;
}

static int usable(const struct pair *pr)
{
    return !pr->score.forbidden && !pr->vetoed_by_coordinator;
}

static const char *veto_reason(const struct pair *pr)
{
    if (pr->vetoed_by_coordinator)
        return "the coordinator ruled this pair out";
    return pr->score.reason[0] ? pr->score.reason : "not allowed";
}

static json_t *parts_json(const struct tb_score_result *s)
{
    json_t *arr = json_array();
    for (int k = 0; k < TB_CRIT_COUNT; k++) {
        const struct tb_score_part *q = &s->parts[k];
        json_array_append_new(arr, json_pack("{s:s, s:b, s:i, s:i, s:s}", "criterion",
                                             tb_criterion_name(q->criterion), "applicable", q->applicable,
                                             "fraction", q->fraction, "points", q->points, "detail", q->detail));
    }
    return arr;
}

/* ---- engines ---- */

/* Positions with k places become k columns; locked pairs are settled first. */
static int run_assign(struct run *run, const json_t *options, int32_t *cand_pos, json_t *summary,
                      struct tb_err *err)
{
    int32_t *slot_pos = arena_alloc(run->arena, sizeof(int32_t) * 1);
    int32_t n_slots = 0, *free_places = arena_calloc(run->arena, (size_t)run->n_pos + 1, sizeof(int32_t));
    for (int32_t p = 0; p < run->n_pos; p++)
        free_places[p] = run->poss[p].places;
    for (int32_t i = 0; i < run->n_pairs; i++) {
        struct pair *pr = &run->pairs[i];
        if (pr->locked && cand_pos[pr->cand] < 0 && free_places[pr->pos] > 0) {
            cand_pos[pr->cand] = pr->pos;
            free_places[pr->pos]--;
        }
    }
    for (int32_t p = 0; p < run->n_pos; p++)
        n_slots += free_places[p];
    slot_pos = arena_alloc(run->arena, sizeof(int32_t) * ((size_t)n_slots + 1));
    int32_t *first_slot = arena_alloc(run->arena, sizeof(int32_t) * ((size_t)run->n_pos + 1));
    for (int32_t p = 0, s = 0; p < run->n_pos; p++) {
        first_slot[p] = s;
        for (int32_t k = 0; k < free_places[p]; k++)
            slot_pos[s++] = p;
    }
    struct tb_assign_edge *edges = arena_alloc(run->arena, sizeof *edges * ((size_t)run->n_pairs * 4 + 1));
    int64_t n_edges = 0;
    size_t edge_cap = (size_t)run->n_pairs * 4 + 1;
    for (int32_t i = 0; i < run->n_pairs; i++) {
        struct pair *pr = &run->pairs[i];
        if (!usable(pr) || cand_pos[pr->cand] >= 0)
            continue;
        for (int32_t k = 0; k < free_places[pr->pos]; k++) {
            if ((size_t)n_edges == edge_cap) {
                edges = arena_realloc(run->arena, edges, edge_cap * sizeof *edges, 2 * edge_cap * sizeof *edges);
                edge_cap *= 2;
            }
            edges[n_edges++] = (struct tb_assign_edge){pr->cand, first_slot[pr->pos] + k, pr->score.total};
        }
    }
    const char *mode = json_string_value(json_object_get(options, "mode"));
    struct tb_assign_problem prob = {0};
    prob.rows = run->n_cand;
    prob.cols = n_slots;
    prob.sense = TB_ASSIGN_MAX;
    prob.mode = !mode || !strcmp(mode, "partial") ? TB_ASSIGN_PARTIAL
                : !strcmp(mode, "maxcard")        ? TB_ASSIGN_MAXCARD
                                                  : TB_ASSIGN_FULL;
    prob.edges = edges;
    prob.n_edges = n_edges;
    json_t *threshold = json_object_get(options, "threshold");
    if (json_is_integer(threshold)) {
        prob.has_threshold = 1;
        prob.threshold = json_integer_value(threshold);
    }
    int64_t total = 0;
    if (n_edges > 0 && n_slots > 0) {
        struct tb_assign_result res;
        if (tb_assign_solve(&prob, run->arena, &res, err) < 0)
            return -1;
        for (int32_t c = 0; c < run->n_cand; c++)
            if (res.row_to_col[c] >= 0)
                cand_pos[c] = slot_pos[res.row_to_col[c]];
    }
    for (int32_t c = 0; c < run->n_cand; c++)
        if (cand_pos[c] >= 0) {
            struct pair *pr = find_pair(run, c, cand_pos[c]);
            total += pr ? pr->score.total : 0;
        }
    json_object_set_new(summary, "mode", json_string(tb_assign_mode_name(prob.mode)));
    json_object_set_new(summary, "total_score", json_integer(total));
    return 0;
}

/* Sort keys for preference lists: explicit ranks first, then score. */
struct pref {
    int32_t other;
    int64_t key;   /* lower is better */
};

static int cmp_pref(const void *a, const void *b)
{
    const struct pref *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->other - y->other;
}

static int64_t pref_key(int rank, int32_t score)
{
    /* Ranked entries (1..) come before unranked ones; equal keys are ties. */
    return rank > 0 ? rank : 1000000 + (TB_SCORE_MAX - score);
}

static void build_lists(struct run *run, int side_is_cand, int64_t *start, int32_t *list, int32_t *rank,
                        const int32_t *locked_to)
{
    int32_t n = side_is_cand ? run->n_cand : run->n_pos;
    struct pref *tmp = arena_alloc(run->arena, sizeof *tmp * ((size_t)run->n_pairs + 1));
    int64_t at = 0;
    for (int32_t x = 0; x < n; x++) {
        start[x] = at;
        int32_t m = 0;
        for (int32_t i = 0; i < run->n_pairs; i++) {
            struct pair *pr = &run->pairs[i];
            if (!usable(pr) || (side_is_cand ? pr->cand : pr->pos) != x || locked_to[pr->cand] >= 0)
                continue;
            tmp[m].other = side_is_cand ? pr->pos : pr->cand;
            tmp[m].key = pref_key(side_is_cand ? pr->graduate_rank : pr->company_rank, pr->score.total);
            m++;
        }
        qsort(tmp, (size_t)m, sizeof *tmp, cmp_pref);
        int32_t group = -1;
        for (int32_t k = 0; k < m; k++) {
            if (k == 0 || tmp[k].key != tmp[k - 1].key)
                group++;
            list[at] = tmp[k].other;
            rank[at] = group;
            at++;
        }
    }
    start[n] = at;
}

struct reason_ctx {
    struct run *run;
    char buf[200];
};

static const char *pair_reason(void *ctx, int32_t cand, int32_t pos)
{
    struct reason_ctx *rc = ctx;
    struct pair *pr = find_pair(rc->run, cand, pos);
    if (!pr)
        return "you did not apply there";
    if (!usable(pr))
        return veto_reason(pr);
    snprintf(rc->buf, sizeof rc->buf, "score %d of %d", pr->score.total, TB_SCORE_MAX);
    return rc->buf;
}

static int run_stable(struct run *run, const json_t *options, int32_t *cand_pos, json_t *summary,
                      json_t *explanations, struct tb_err *err)
{
    int32_t *capacity = arena_alloc(run->arena, sizeof(int32_t) * ((size_t)run->n_pos + 1));
    for (int32_t p = 0; p < run->n_pos; p++)
        capacity[p] = run->poss[p].places;
    int32_t *locked_to = arena_alloc(run->arena, sizeof(int32_t) * ((size_t)run->n_cand + 1));
    for (int32_t c = 0; c < run->n_cand; c++)
        locked_to[c] = -1;
    for (int32_t i = 0; i < run->n_pairs; i++) {
        struct pair *pr = &run->pairs[i];
        if (pr->locked && locked_to[pr->cand] < 0 && capacity[pr->pos] > 0) {
            locked_to[pr->cand] = pr->pos;
            capacity[pr->pos]--;
        }
    }
    size_t np = (size_t)run->n_pairs + 1;
    int64_t *cs = arena_alloc(run->arena, sizeof(int64_t) * ((size_t)run->n_cand + 1));
    int64_t *ps = arena_alloc(run->arena, sizeof(int64_t) * ((size_t)run->n_pos + 1));
    int32_t *cl = arena_alloc(run->arena, sizeof(int32_t) * np), *cr = arena_alloc(run->arena, sizeof(int32_t) * np);
    int32_t *pl = arena_alloc(run->arena, sizeof(int32_t) * np), *prk = arena_alloc(run->arena, sizeof(int32_t) * np);
    build_lists(run, 1, cs, cl, cr, locked_to);
    build_lists(run, 0, ps, pl, prk, locked_to);
    struct tb_hr_problem hr = {run->n_cand, run->n_pos, capacity, cs, cl, cr, ps, pl, prk};
    struct tb_stable_options o = {0};
    const char *proposing = json_string_value(json_object_get(options, "proposing"));
    const char *tie = json_string_value(json_object_get(options, "tie_break"));
    o.proposer = proposing && !strcmp(proposing, "positions") ? TB_STABLE_POSITIONS : TB_STABLE_CANDIDATES;
    o.tie_rule = tie && !strcmp(tie, "lottery") ? TB_TIE_LOTTERY : TB_TIE_BY_ID;
    o.seed = (uint64_t)json_integer_value(json_object_get(options, "seed"));
    struct tb_stable_result r;
    if (tb_stable_solve(&hr, &o, run->arena, &r, err) < 0)
        return -1;
    int64_t total = 0;
    for (int32_t c = 0; c < run->n_cand; c++) {
        cand_pos[c] = locked_to[c] >= 0 ? locked_to[c] : r.cand_pos[c];
        struct pair *pr = cand_pos[c] >= 0 ? find_pair(run, c, cand_pos[c]) : NULL;
        total += pr ? pr->score.total : 0;
    }
    const char **cand_names = arena_alloc(run->arena, sizeof(char *) * ((size_t)run->n_cand + 1));
    const char **pos_names = arena_alloc(run->arena, sizeof(char *) * ((size_t)run->n_pos + 1));
    const char **companies = arena_alloc(run->arena, sizeof(char *) * ((size_t)run->n_pos + 1));
    for (int32_t c = 0; c < run->n_cand; c++)
        cand_names[c] = run->cands[c].name;
    for (int32_t p = 0; p < run->n_pos; p++) {
        pos_names[p] = arena_printf(run->arena, "Position %lld (%s)", (long long)run->poss[p].id, run->poss[p].title);
        companies[p] = run->poss[p].company;
    }
    struct reason_ctx rctx = {run, ""};
    struct tb_explain_names names = {cand_names, pos_names, companies, pair_reason, &rctx};
    for (int32_t c = 0; c < run->n_cand; c++) {
        if (locked_to[c] >= 0) {
            json_array_append_new(explanations, json_string("Placed here because the coordinator locked this pair."));
            continue;
        }
        struct tb_explanation x;
        struct abuf b;
        abuf_init(&b, run->arena, 16384);
        if (tb_stable_explain(&hr, &r, c, run->arena, &x, err) < 0 || tb_explain_render(&x, &names, &b) < 0)
            json_array_append_new(explanations, json_string(""));
        else
            json_array_append_new(explanations, json_string(abuf_cstr(&b)));
    }
    json_object_set_new(summary, "proposing", json_string(o.proposer == TB_STABLE_POSITIONS ? "positions" : "candidates"));
    json_object_set_new(summary, "tie_break", json_string(o.tie_rule == TB_TIE_LOTTERY ? "lottery" : "id"));
    json_object_set_new(summary, "blocking_pairs", json_integer(r.blocking_pairs));
    json_object_set_new(summary, "total_score", json_integer(total));
    return 0;
}

/* Assignment outcome in words, for each graduate. */
static const char *explain_assign(struct run *run, int32_t c, const int32_t *cand_pos)
{
    struct abuf b;
    abuf_init(&b, run->arena, 16384);
    for (int32_t i = 0; i < run->n_pairs; i++) {
        struct pair *pr = &run->pairs[i];
        if (pr->cand != c)
            continue;
        struct position *p = &run->poss[pr->pos];
        if (cand_pos[c] == pr->pos) {
            abuf_printf(&b, "Assigned to position %lld (%s) at %s with score %d%s.\n", (long long)p->id, p->title,
                        p->company, pr->score.total, pr->locked ? ", locked by the coordinator" : "");
        } else if (!usable(pr)) {
            abuf_printf(&b, "Position %lld (%s) at %s was not possible: %s.\n", (long long)p->id, p->title,
                        p->company, veto_reason(pr));
        } else {
            int taken = 0;
            for (int32_t o = 0; o < run->n_cand; o++)
                if (o != c && cand_pos[o] == pr->pos) {
                    struct pair *their = find_pair(run, o, pr->pos);
                    abuf_printf(&b, "%sPosition %lld (%s) at %s went to %s (score %d; yours %d)",
                                taken ? "" : "", (long long)p->id, p->title, p->company, run->cands[o].name,
                                their ? their->score.total : 0, pr->score.total);
                    taken++;
                    break;
                }
            if (!taken)
                abuf_printf(&b, "Position %lld (%s) at %s stayed open: your score %d", (long long)p->id, p->title,
                            p->company, pr->score.total);
            abuf_puts(&b, cand_pos[c] >= 0 ? "; the total was higher with you elsewhere.\n"
                                           : "; the best total for the cohort left you unassigned.\n");
        }
    }
    if (b.len == 0)
        abuf_puts(&b, "No open application in this cohort.\n");
    return abuf_cstr(&b);
}

void match_run_input_hash(const json_t *input, char out[65])
{
    char *text = json_dumps(input, JSON_COMPACT | JSON_SORT_KEYS);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
    sodium_bin2hex(out, 65, h, sizeof h);
    free(text);
}

int match_run_compute(const json_t *input, json_t **result, struct tb_err *err)
{
    const char *engine = json_string_value(json_object_get(input, "engine"));
    if (!engine || (strcmp(engine, "assign") && strcmp(engine, "stable")))
        return TB_INVALID(err, "engine", "engine: must be assign or stable");
    const json_t *options = json_object_get(input, "options");
    const json_t *graduates = json_object_get(input, "graduates"), *positions = json_object_get(input, "positions");
    const json_t *apps = json_object_get(input, "applications"), *constraints = json_object_get(input, "constraints");
    const json_t *companies = json_object_get(input, "companies");
    struct run run = {0};
    run.arena = arena_new(0);
    if (!run.arena)
        return TB_INTERNAL(err, "out of memory");
    int rc = -1;
    weights_from_json(json_object_get(input, "weights"), &run.ctx.weights);
    run.cands = arena_calloc(run.arena, json_array_size(graduates) + 1, sizeof *run.cands);
    run.poss = arena_calloc(run.arena, json_array_size(positions) + 1, sizeof *run.poss);
    run.pairs = arena_calloc(run.arena, json_array_size(apps) + 1, sizeof *run.pairs);
    size_t i;
    json_t *v;
    json_array_foreach(graduates, i, v) {
        load_candidate(&run.cands[run.n_cand], v);
        run.cands[run.n_cand].profile.id = run.n_cand;
        run.n_cand++;
    }
    json_array_foreach(positions, i, v) {
        const json_t *company = NULL;
        size_t k;
        json_t *co;
        json_array_foreach(companies, k, co)
            if (json_equal(json_object_get(co, "id"), json_object_get(v, "company_id")))
                company = co;
        load_position(&run.poss[run.n_pos], v, company);
        run.poss[run.n_pos].profile.id = run.n_pos;
        run.n_pos++;
    }
    official_languages(&run);
    json_array_foreach(apps, i, v) {
        if (final_stage(str(v, "stage")))
            continue;
        int32_t c = index_of_cand(&run, json_integer_value(json_object_get(v, "graduate_id")));
        int32_t p = index_of_pos(&run, json_integer_value(json_object_get(v, "position_id")));
        if (c < 0 || p < 0 || find_pair(&run, c, p))
            continue;
        struct pair *pr = &run.pairs[run.n_pairs++];
        pr->cand = c;
        pr->pos = p;
        pr->application_id = json_integer_value(json_object_get(v, "id"));
        pr->graduate_rank = (int)json_integer_value(json_object_get(v, "graduate_rank"));
        pr->company_rank = (int)json_integer_value(json_object_get(v, "company_rank"));
        score_pair(&run, pr);
    }
    json_array_foreach(constraints, i, v) {
        int32_t c = index_of_cand(&run, json_integer_value(json_object_get(v, "graduate_id")));
        int32_t p = index_of_pos(&run, json_integer_value(json_object_get(v, "position_id")));
        struct pair *pr = c >= 0 && p >= 0 ? find_pair(&run, c, p) : NULL;
        if (!pr)
            continue;
        if (!strcmp(str(v, "kind"), "forbid"))
            pr->vetoed_by_coordinator = 1;
        else if (usable(pr))
            pr->locked = 1;
    }
    int32_t *cand_pos = arena_alloc(run.arena, sizeof(int32_t) * ((size_t)run.n_cand + 1));
    for (int32_t c = 0; c < run.n_cand; c++)
        cand_pos[c] = -1;
    json_t *summary = json_pack("{s:s, s:i, s:i, s:i}", "engine", engine, "graduates", run.n_cand, "positions",
                                run.n_pos, "pairs_considered", run.n_pairs);
    json_t *explanations = json_array();
    if (!strcmp(engine, "assign"))
        rc = run_assign(&run, options, cand_pos, summary, err);
    else
        rc = run_stable(&run, options, cand_pos, summary, explanations, err);
    if (rc < 0) {
        json_decref(summary);
        json_decref(explanations);
        arena_free(run.arena);
        return -1;
    }
    json_t *pairs = json_array(), *grads = json_array(), *forbidden = json_array();
    int32_t assigned = 0;
    for (int32_t c = 0; c < run.n_cand; c++) {
        struct candidate *cd = &run.cands[c];
        const char *why = explain_assign(&run, c, cand_pos);
        if (!strcmp(engine, "stable")) {
            /* The stable engine explains the lists it saw; pairs ruled out
             * before it ran are explained here, first. */
            struct abuf b;
            abuf_init(&b, run.arena, 32768);
            for (int32_t k = 0; k < run.n_pairs; k++) {
                struct pair *pr = &run.pairs[k];
                if (pr->cand == c && !usable(pr))
                    abuf_printf(&b, "Position %lld (%s) at %s was not possible: %s.\n", (long long)run.poss[pr->pos].id,
                                run.poss[pr->pos].title, run.poss[pr->pos].company, veto_reason(pr));
            }
            const char *stable_why = json_string_value(json_array_get(explanations, (size_t)c));
            if (!(b.len > 0 && stable_why && strstr(stable_why, "listed no positions")))
                abuf_puts(&b, stable_why ? stable_why : "");
            why = abuf_cstr(&b);
        }
        json_t *pos_id = json_null();
        if (cand_pos[c] >= 0) {
            struct pair *pr = find_pair(&run, c, cand_pos[c]);
            struct position *p = &run.poss[cand_pos[c]];
            assigned++;
            pos_id = json_integer(p->id);
            json_array_append_new(pairs, json_pack("{s:I, s:s, s:I, s:s, s:s, s:I, s:i, s:b, s:o}",
                "graduate_id", (json_int_t)cd->id, "graduate_name", cd->name, "position_id", (json_int_t)p->id,
                "position_title", p->title, "company_name", p->company, "application_id",
                (json_int_t)(pr ? pr->application_id : 0), "score", pr ? pr->score.total : 0, "locked",
                pr ? pr->locked : 0, "parts", pr ? parts_json(&pr->score) : json_array()));
        }
        json_array_append_new(grads, json_pack("{s:I, s:s, s:o, s:s}", "graduate_id", (json_int_t)cd->id, "name",
                                               cd->name, "position_id", pos_id, "explanation", why ? why : ""));
    }
    for (int32_t k = 0; k < run.n_pairs; k++) {
        struct pair *pr = &run.pairs[k];
        if (!usable(pr))
            json_array_append_new(forbidden, json_pack("{s:I, s:I, s:s}", "graduate_id",
                (json_int_t)run.cands[pr->cand].id, "position_id", (json_int_t)run.poss[pr->pos].id,
                "reason", veto_reason(pr)));
    }
    json_object_set_new(summary, "assigned", json_integer(assigned));
    json_object_set_new(summary, "unassigned", json_integer(run.n_cand - assigned));
    *result = json_pack("{s:o, s:o, s:o, s:o}", "summary", summary, "pairs", pairs, "graduates", grads,
                        "forbidden", forbidden);
    json_decref(explanations);
    arena_free(run.arena);
    return 0;
}
