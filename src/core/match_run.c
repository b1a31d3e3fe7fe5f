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
    int64_t application_id;             /* 0 = a suggestion from the pool */
    int graduate_rank, company_rank;   /* 0 = not ranked */
    int locked, vetoed_by_coordinator;
    int32_t pos_rank;                   /* 1 = best usable score at the position */
    struct tb_score_result *score;
};

/* Why a graduate of the pool got no pair, or what they met (pool runs). */
enum pool_status { POOL_IN = 0, POOL_NO_CONSENT, POOL_PLACED };

struct run {
    struct arena *arena;
    struct candidate *cands;
    struct position *poss;
    struct pair *pairs;
    int32_t n_cand, n_pos, n_pairs, pair_cap;
    struct tb_score_context ctx;
    int64_t *cand_start;                /* pairs sorted by (cand, pos): ranges */
    int32_t *pos_count;                 /* usable pairs per position */
    struct idx *cand_idx, *pos_idx;     /* ids sorted, for lookups */
    /* pool runs */
    int pool;
    unsigned char *pool_status;         /* enum pool_status per graduate */
    int32_t *fit, *vetoed, *reached;    /* per graduate: usable pairs scored, vetoed ones, positions that looked */
    const char **veto_example;          /* per graduate: one hard constraint in words */
    int64_t scored;                     /* pairs scored while generating candidates */
};

struct idx {
    int64_t id;
    int32_t at;
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
static void score_into(struct run *run, int32_t cand, int32_t pos, struct tb_score_result *out)
{
    struct candidate *c = &run->cands[cand];
    struct position *p = &run->poss[pos];
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
    if (tb_score_pair(&prof, &p->profile, &run->ctx, out, &e) < 0) {
        memset(out, 0, sizeof *out);
        out->forbidden = true;
        snprintf(out->reason, sizeof out->reason, "%.150s", e.message);
    }
}

/* A new pair (grows the array); its score is scored here unless given. */
static struct pair *add_pair(struct run *run, int32_t cand, int32_t pos, const struct tb_score_result *score)
{
    if (run->n_pairs == run->pair_cap) {
        int32_t cap = run->pair_cap ? 2 * run->pair_cap : 64;
        run->pairs = arena_realloc(run->arena, run->pairs, sizeof *run->pairs * (size_t)run->pair_cap,
                                   sizeof *run->pairs * (size_t)cap);
        run->pair_cap = cap;
    }
    struct pair *pr = &run->pairs[run->n_pairs++];
    memset(pr, 0, sizeof *pr);
    pr->cand = cand;
    pr->pos = pos;
    pr->score = arena_alloc(run->arena, sizeof *pr->score);
    if (score)
        *pr->score = *score;
    else
        score_into(run, cand, pos, pr->score);
    return pr;
}

static const struct {
    const char *name;
    enum tb_criterion k;
} criteria[] = {
    {"languages", TB_CRIT_LANGUAGES}, {"market_languages", TB_CRIT_MARKET_LANGUAGES},
    {"market_experience", TB_CRIT_MARKET_EXPERIENCE}, {"field", TB_CRIT_FIELD},
    {"sector", TB_CRIT_SECTOR}, {"location", TB_CRIT_LOCATION}, {"availability", TB_CRIT_AVAILABILITY},
};

static void weights_from_json(const json_t *j, struct tb_score_weights *w);
static int weights_all_zero(const struct tb_score_weights *w);

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
    struct tb_score_weights w;
    weights_from_json(weights, &w);
    if (weights_all_zero(&w))
        return TB_INVALID(err, "weights", "weights: every criterion weighs 0, so every pair would score 0; "
                                          "give at least one criterion a weight above 0");
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
            int known = 0;   /* each country once: the score searches this list per pair */
            for (size_t k = 0; k < n && !known; k++)
                known = !strcmp(list[k].country, country);
            const char *langs = known ? NULL : codes_country_languages(country);
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

static int cmp_idx(const void *a, const void *b)
{
    const struct idx *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id ? 1 : x->at - y->at;
}

static struct idx *make_idx(struct run *run, int32_t n, int is_cand)
{
    struct idx *ix = arena_alloc(run->arena, sizeof *ix * ((size_t)n + 1));
    for (int32_t i = 0; i < n; i++)
        ix[i] = (struct idx){is_cand ? run->cands[i].id : run->poss[i].id, i};
    if (n > 1)
        qsort(ix, (size_t)n, sizeof *ix, cmp_idx);
    return ix;
}

static int32_t idx_find(const struct idx *ix, int32_t n, int64_t id)
{
    int32_t lo = 0, hi = n;
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (ix[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ix[lo].id == id ? ix[lo].at : -1;
}

static int32_t index_of_cand(const struct run *run, int64_t id)
{
    return idx_find(run->cand_idx, run->n_cand, id);
}

static int32_t index_of_pos(const struct run *run, int64_t id)
{
    return idx_find(run->pos_idx, run->n_pos, id);
}

/* The pair (c, p) or NULL; after index_pairs. */
static struct pair *find_pair(struct run *run, int32_t c, int32_t p)
{
    int64_t lo = run->cand_start[c], hi = run->cand_start[c + 1];
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (run->pairs[mid].pos < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < run->cand_start[c + 1] && run->pairs[lo].pos == p ? &run->pairs[lo] : NULL;
}

static int usable(const struct pair *pr)
{
    return !pr->score->forbidden && !pr->vetoed_by_coordinator;
}

static const char *veto_reason(const struct pair *pr)
{
    if (pr->vetoed_by_coordinator)
        return "the coordinator ruled this pair out";
    return pr->score->reason[0] ? pr->score->reason : "not allowed";
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

/* ---- pairs: sorted, ranked per position ---- */

static int cmp_pair(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->cand != y->cand)
        return x->cand - y->cand;
    if (x->pos != y->pos)
        return x->pos - y->pos;
    /* an application before a suggestion for the same pair */
    return (y->application_id > 0) - (x->application_id > 0);
}

/* Sorts the pairs by (graduate, position), drops repeats (the application
 * wins) and builds the per-graduate ranges find_pair searches. */
static void index_pairs(struct run *run)
{
    if (run->n_pairs > 1)   /* qsort's pointer must not be NULL, even for no pairs */
        qsort(run->pairs, (size_t)run->n_pairs, sizeof *run->pairs, cmp_pair);
    int32_t m = 0;
    for (int32_t i = 0; i < run->n_pairs; i++)
        if (m == 0 || run->pairs[m - 1].cand != run->pairs[i].cand || run->pairs[m - 1].pos != run->pairs[i].pos)
            run->pairs[m++] = run->pairs[i];
    run->n_pairs = m;
    run->cand_start = arena_calloc(run->arena, (size_t)run->n_cand + 2, sizeof(int64_t));
    for (int32_t i = 0; i < m; i++)
        run->cand_start[run->pairs[i].cand + 1]++;
    for (int32_t c = 0; c < run->n_cand; c++)
        run->cand_start[c + 1] += run->cand_start[c];
}

/* Pairs grouped by position (or by graduate) in one counting pass: start
 * has n + 1 entries, order lists pair indexes. */
static void group_pairs(struct run *run, int by_pos, int64_t **start_out, int32_t **order_out)
{
    int32_t n = by_pos ? run->n_pos : run->n_cand;
    int64_t *start = arena_calloc(run->arena, (size_t)n + 2, sizeof(int64_t));
    int32_t *order = arena_alloc(run->arena, sizeof(int32_t) * ((size_t)run->n_pairs + 1));
    for (int32_t i = 0; i < run->n_pairs; i++)
        start[(by_pos ? run->pairs[i].pos : run->pairs[i].cand) + 1]++;
    for (int32_t x = 0; x < n; x++)
        start[x + 1] += start[x];
    int64_t *fill = arena_alloc(run->arena, sizeof(int64_t) * ((size_t)n + 1));
    memcpy(fill, start, sizeof(int64_t) * (size_t)n);
    for (int32_t i = 0; i < run->n_pairs; i++)
        order[fill[by_pos ? run->pairs[i].pos : run->pairs[i].cand]++] = i;
    *start_out = start;
    *order_out = order;
}

static const struct pair *sort_pairs_base;
static int cmp_by_score(const void *a, const void *b)
{
    const struct pair *x = &sort_pairs_base[*(const int32_t *)a], *y = &sort_pairs_base[*(const int32_t *)b];
    int ux = usable(x), uy = usable(y);
    if (ux != uy)
        return uy - ux;
    if (x->score->total != y->score->total)
        return y->score->total - x->score->total;
    return x->cand - y->cand;
}

/* Each position's usable pairs ranked by score (1 = best; equal scores
 * share a rank); pos_start/pos_order list them best first. */
static void rank_positions(struct run *run, int64_t **pos_start, int32_t **pos_order)
{
    group_pairs(run, 1, pos_start, pos_order);
    run->pos_count = arena_calloc(run->arena, (size_t)run->n_pos + 1, sizeof(int32_t));
    sort_pairs_base = run->pairs;
    for (int32_t p = 0; p < run->n_pos; p++) {
        int32_t *o = *pos_order + (*pos_start)[p];
        int32_t n = (int32_t)((*pos_start)[p + 1] - (*pos_start)[p]);
        qsort(o, (size_t)n, sizeof *o, cmp_by_score);
        for (int32_t k = 0; k < n; k++) {
            struct pair *pr = &run->pairs[o[k]];
            if (!usable(pr))
                break;
            pr->pos_rank = k > 0 && run->pairs[o[k - 1]].score->total == pr->score->total
                               ? run->pairs[o[k - 1]].pos_rank : k + 1;
            run->pos_count[p]++;
        }
    }
    sort_pairs_base = NULL;
}

/* ---- candidates from the whole pool ---- */

/*
 * Index of the pool: one entry per (graduate, language) under three keys -
 * the language alone, the language with the graduate's broad field (ISCED-F,
 * 2 digits), the language with each country they lived or studied in - plus
 * the same under the pseudo-language 0 (anyone), for positions without a
 * language requirement. Entries are sorted by key, so a key's graduates are
 * one slice found by binary search.
 */
enum { KEY_ALL = 0, KEY_FIELD = 1, KEY_COUNTRY = 2 };
#define POOL_TRY 64         /* pairs scored per position at most */
#define POOL_KEEP 32        /* usable pairs per position that stop the search */
#define SHORTLIST 10        /* best candidates kept per position */
#define POOL_BELOW 16       /* graduates below a position's level told why, per position */

struct pool_entry {
    uint64_t key;
    int32_t cand;
    int32_t level;
};

struct pool_index {
    struct pool_entry *e;
    int64_t n;
    char (*langs)[4];
    int32_t n_langs;
};

static uint64_t pool_key(int32_t lang, int level, int kind, const char *code)
{
    uint64_t k = (uint64_t)(uint32_t)lang << 40 | (uint64_t)level << 36 | (uint64_t)kind << 32;
    for (int i = 0; i < 4 && code && code[i]; i++)
        k |= (uint64_t)(unsigned char)code[i] << (8 * (3 - i));
    return k;
}

static int32_t lang_id(struct pool_index *ix, struct arena *a, const char *code, int add)
{
    for (int32_t i = 1; i < ix->n_langs; i++)
        if (!strcmp(ix->langs[i], code))
            return i;
    if (!add)
        return -1;
    if ((ix->n_langs & (ix->n_langs - 1)) == 0)
        ix->langs = arena_realloc(a, ix->langs, sizeof *ix->langs * (size_t)ix->n_langs,
                                  sizeof *ix->langs * (size_t)ix->n_langs * 2);
    copy_code(ix->langs[ix->n_langs], 4, code);
    return ix->n_langs++;
}

static int cmp_entry(const void *a, const void *b)
{
    const struct pool_entry *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->cand - y->cand;
}

static void pool_add(struct pool_index *ix, int64_t *cap, struct arena *a, uint64_t key, int32_t cand, int32_t level)
{
    if (ix->n == *cap) {
        ix->e = arena_realloc(a, ix->e, sizeof *ix->e * (size_t)*cap, sizeof *ix->e * (size_t)*cap * 2);
        *cap *= 2;
    }
    ix->e[ix->n++] = (struct pool_entry){key, cand, level};
}

static void pool_build(struct run *run, struct pool_index *ix)
{
    int64_t cap = 1024;
    ix->e = arena_alloc(run->arena, sizeof *ix->e * (size_t)cap);
    ix->n = 0;
    ix->n_langs = 1;
    ix->langs = arena_alloc(run->arena, sizeof *ix->langs);
    copy_code(ix->langs[0], 4, "*");
    for (int32_t c = 0; c < run->n_cand; c++) {
        if (run->pool_status[c] != POOL_IN)
            continue;
        const struct candidate *cd = &run->cands[c];
        char field2[3] = "";
        if (cd->fields[0] && strlen(cd->fields[0]) >= 2)
            memcpy(field2, cd->fields[0], 2);
        for (int32_t l = -1; l < cd->profile.n_languages; l++) {
            int32_t id = l < 0 ? 0 : lang_id(ix, run->arena, cd->langs[l].lang, 1);
            int32_t level = l < 0 ? 0 : (int32_t)cd->langs[l].level;
            pool_add(ix, &cap, run->arena, pool_key(id, level, KEY_ALL, ""), c, level);
            if (field2[0])
                pool_add(ix, &cap, run->arena, pool_key(id, level, KEY_FIELD, field2), c, level);
            for (int32_t k = 0; k < cd->profile.n_stays; k++)
                if (cd->stays[k].months > 0)
                    pool_add(ix, &cap, run->arena, pool_key(id, level, KEY_COUNTRY, cd->stays[k].country), c,
                             level);
        }
    }
    if (ix->n > 1)
        qsort(ix->e, (size_t)ix->n, sizeof *ix->e, cmp_entry);
}

/* The slice of entries under key: [*lo, *hi). */
static void pool_slice(const struct pool_index *ix, uint64_t key, int64_t *lo, int64_t *hi)
{
    int64_t a = 0, b = ix->n;
    while (a < b) {
        int64_t m = a + (b - a) / 2;
        if (ix->e[m].key < key)
            a = m + 1;
        else
            b = m;
    }
    *lo = a;
    b = ix->n;
    while (a < b) {
        int64_t m = a + (b - a) / 2;
        if (ix->e[m].key <= key)
            a = m + 1;
        else
            b = m;
    }
    *hi = a;
}

struct kept {
    int32_t cand, total;
};

/*
 * Candidates of one position: the graduates who have its rarest required
 * language at the minimum level (anyone when it requires none), those who
 * share its field first, then those who know its target markets, then the
 * rest, until POOL_KEEP usable pairs or POOL_TRY scored ones. Every pair is
 * scored with the explainable score (hard constraints included); the best
 * SHORTLIST become pairs of the run.
 */
static void pool_position(struct run *run, const struct pool_index *ix, int32_t p, int32_t *seen,
                          struct kept *best, struct tb_score_result *tmp)
{
    const struct position *ps = &run->poss[p];
    int32_t lang = 0, min_level = 0;
    int64_t lo, hi, best_n = INT64_MAX;
    for (int32_t r = 0; r < ps->profile.n_required; r++) {
        int32_t id = lang_id((struct pool_index *)ix, run->arena, ps->required[r].lang, 0);
        if (id < 0)
            return;                     /* nobody in the pool speaks it */
        int64_t n = 0;
        for (int l = (int)ps->required[r].level; l <= TB_CEFR_NATIVE; l++) {
            pool_slice(ix, pool_key(id, l, KEY_ALL, ""), &lo, &hi);
            n += hi - lo;
        }
        if (n < best_n) {
            best_n = n;
            lang = id;
            min_level = (int32_t)ps->required[r].level;
        }
    }
    /* tiers: same field, knows a target market, anyone; each from the best
     * language level down to the minimum */
    struct tier {
        int kind;
        const char *code;
    } tiers[2 * MAX_ITEMS + 1];
    char field2[MAX_ITEMS][3];
    int n_tiers = 0;
    for (int32_t f = 0; f < ps->profile.n_fields; f++)
        if (ps->fields[f] && strlen(ps->fields[f]) >= 2) {
            memcpy(field2[f], ps->fields[f], 2);
            field2[f][2] = '\0';
            tiers[n_tiers++] = (struct tier){KEY_FIELD, field2[f]};
        }
    for (int32_t m = 0; m < ps->profile.n_markets; m++)
        tiers[n_tiers++] = (struct tier){KEY_COUNTRY, ps->markets[m]};
    tiers[n_tiers++] = (struct tier){KEY_ALL, ""};
    int32_t n_best = 0, tried = 0, usable_n = 0;
    /* positions start at different places in a slice, so that graduates
     * who look alike to the index are spread over the positions */
    uint64_t spin = (uint64_t)(uint32_t)p * 2654435761u;
    run->ctx.brief = true;
    for (int k = 0; k < n_tiers && tried < POOL_TRY && usable_n < POOL_KEEP; k++)
        for (int l = TB_CEFR_NATIVE; l >= min_level && tried < POOL_TRY && usable_n < POOL_KEEP; l--) {
            if (lang == 0 && l > 0)
                continue;               /* the pseudo-language has level 0 only */
            pool_slice(ix, pool_key(lang, l, tiers[k].kind, tiers[k].code), &lo, &hi);
            int64_t len = hi - lo, start = len ? (int64_t)(spin % (uint64_t)len) : 0;
            for (int64_t q = 0; q < len && tried < POOL_TRY && usable_n < POOL_KEEP; q++) {
                int64_t e = lo + (start + q) % len;
                int32_t c = ix->e[e].cand;
                if (seen[c] == p)
                    continue;
                seen[c] = p;
                run->reached[c]++;
                tried++;
                score_into(run, c, p, tmp);
                run->scored++;
                if (tmp->forbidden) {
                    if (!run->vetoed[c]++)
                        run->veto_example[c] = arena_printf(run->arena, "%s (%s at %s)", tmp->reason, ps->title,
                                                            ps->company);
                    continue;
                }
                usable_n++;
                run->fit[c]++;
                /* insertion into the best SHORTLIST, by score then graduate */
                int32_t at = n_best;
                while (at > 0 && (best[at - 1].total < tmp->total ||
                                  (best[at - 1].total == tmp->total && best[at - 1].cand > c)))
                    at--;
                if (at >= SHORTLIST)
                    continue;
                if (n_best < SHORTLIST)
                    n_best++;
                memmove(&best[at + 1], &best[at], sizeof *best * (size_t)(n_best - 1 - at));
                best[at].cand = c;
                best[at].total = tmp->total;
            }
        }
    /* a few graduates just below the minimum level are told so in words */
    int32_t told = 0;
    for (int l = min_level - 1; l > 0 && told < POOL_BELOW; l--) {
        pool_slice(ix, pool_key(lang, l, KEY_ALL, ""), &lo, &hi);
        for (int64_t e = lo; e < hi && told < POOL_BELOW; e++, told++) {
            int32_t c = ix->e[e].cand;
            if (run->vetoed[c]++)
                continue;
            score_into(run, c, p, tmp);
            run->veto_example[c] = arena_printf(run->arena, "%s (%s at %s)", tmp->reason, ps->title, ps->company);
        }
    }
    /* the kept pairs scored again in full, with every phrase */
    run->ctx.brief = false;
    for (int32_t k = 0; k < n_best; k++)
        add_pair(run, best[k].cand, p, NULL);
}

/* Pool runs: who is in the pool, then the candidates of every position. */
static void pool_generate(struct run *run, const json_t *graduates)
{
    size_t i;
    json_t *g;
    json_array_foreach(graduates, i, g) {
        int32_t c = (int32_t)i;
        if (!run->cands[c].profile.consent)
            run->pool_status[c] = POOL_NO_CONSENT;
        else if (json_is_true(json_object_get(g, "placed")))
            run->pool_status[c] = POOL_PLACED;
    }
    struct pool_index ix;
    pool_build(run, &ix);
    int32_t *seen = arena_alloc(run->arena, sizeof(int32_t) * ((size_t)run->n_cand + 1));
    for (int32_t c = 0; c < run->n_cand; c++)
        seen[c] = -1;
    struct kept *best = arena_alloc(run->arena, sizeof *best * (SHORTLIST + 1));
    struct tb_score_result *tmp = arena_alloc(run->arena, sizeof *tmp);
    for (int32_t p = 0; p < run->n_pos; p++)
        pool_position(run, &ix, p, seen, best, tmp);
}

static const char *ordinal(struct arena *a, int32_t n)
{
    const char *suf = (n % 100 >= 11 && n % 100 <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd"
                                                          : n % 10 == 3 ? "rd" : "th";
    return arena_printf(a, "%d%s", n, suf);
}

/* The three criteria that gave a pair most of its score, in words. */
static json_t *top_reasons(const struct tb_score_result *s)
{
    static const char *const plain[TB_CRIT_COUNT] = {
        [TB_CRIT_LANGUAGES] = "Required languages", [TB_CRIT_MARKET_LANGUAGES] = "Languages of the target markets",
        [TB_CRIT_MARKET_EXPERIENCE] = "Experience of the target markets", [TB_CRIT_FIELD] = "Field of study",
        [TB_CRIT_SECTOR] = "Products and sector", [TB_CRIT_LOCATION] = "Location and mobility",
        [TB_CRIT_AVAILABILITY] = "Availability"};
    int order[TB_CRIT_COUNT];
    for (int k = 0; k < TB_CRIT_COUNT; k++)
        order[k] = k;
    for (int a = 1; a < TB_CRIT_COUNT; a++)
        for (int b = a; b > 0 && s->parts[order[b]].points > s->parts[order[b - 1]].points; b--) {
            int t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    json_t *arr = json_array();
    for (int k = 0; k < TB_CRIT_COUNT && json_array_size(arr) < 3; k++) {
        const struct tb_score_part *q = &s->parts[order[k]];
        if (q->applicable && q->points > 0)
            json_array_append_new(arr, json_sprintf("%s: %s", plain[q->criterion], q->detail));
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
            edges[n_edges++] = (struct tb_assign_edge){pr->cand, first_slot[pr->pos] + k, pr->score->total};
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
            total += pr ? pr->score->total : 0;
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
    int64_t *gs;
    int32_t *go;
    group_pairs(run, !side_is_cand, &gs, &go);
    struct pref *tmp = arena_alloc(run->arena, sizeof *tmp * ((size_t)run->n_pairs + 1));
    int64_t at = 0;
    for (int32_t x = 0; x < n; x++) {
        start[x] = at;
        int32_t m = 0;
        for (int64_t q = gs[x]; q < gs[x + 1]; q++) {
            struct pair *pr = &run->pairs[go[q]];
            if (!usable(pr) || locked_to[pr->cand] >= 0)
                continue;
            tmp[m].other = side_is_cand ? pr->pos : pr->cand;
            tmp[m].key = pref_key(side_is_cand ? pr->graduate_rank : pr->company_rank, pr->score->total);
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
    snprintf(rc->buf, sizeof rc->buf, "score %d of %d", pr->score->total, TB_SCORE_MAX);
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
        total += pr ? pr->score->total : 0;
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

/* Assignment outcome in words, for each graduate. holder[p]: a graduate
 * placed at p (-1 none). In pool runs others are named by rank only. */
static const char *explain_assign(struct run *run, int32_t c, const int32_t *cand_pos, const int32_t *holder)
{
    struct abuf b;
    abuf_init(&b, run->arena, 16384);
    if (run->pool && run->pool_status[c] != POOL_IN) {
        abuf_puts(&b, run->pool_status[c] == POOL_NO_CONSENT ? "Not in the pool: no consent to be matched.\n"
                                                             : "Not in the pool: already placed.\n");
        return abuf_cstr(&b);
    }
    for (int64_t i = run->cand_start[c]; i < run->cand_start[c + 1]; i++) {
        struct pair *pr = &run->pairs[i];
        struct position *p = &run->poss[pr->pos];
        const char *kind = run->pool ? (pr->application_id > 0 ? " (you applied)" : " (suggested)") : "";
        if (cand_pos[c] == pr->pos) {
            abuf_printf(&b, "Assigned to position %lld (%s) at %s%s with score %d%s.\n", (long long)p->id, p->title,
                        p->company, kind, pr->score->total, pr->locked ? ", locked by the coordinator" : "");
        } else if (!usable(pr)) {
            abuf_printf(&b, "Position %lld (%s) at %s was not possible: %s.\n", (long long)p->id, p->title,
                        p->company, veto_reason(pr));
        } else if (run->pool) {
            int32_t o = holder[pr->pos];
            struct pair *their = o >= 0 ? find_pair(run, o, pr->pos) : NULL;
            abuf_printf(&b, "Position %lld (%s) at %s%s: you ranked %s of %d candidates (score %d)", (long long)p->id,
                        p->title, p->company, kind, ordinal(run->arena, pr->pos_rank), run->pos_count[pr->pos],
                        pr->score->total);
            if (their && their->pos_rank > 0)
                abuf_printf(&b, "; it went to the candidate ranked %s", ordinal(run->arena, their->pos_rank));
            else if (o < 0)
                abuf_puts(&b, "; it stayed open");
            abuf_puts(&b, cand_pos[c] >= 0 ? "; the total was higher with you elsewhere.\n"
                                           : "; the best total left you unassigned.\n");
        } else {
            int32_t o = holder[pr->pos];
            if (o >= 0 && o != c) {
                struct pair *their = find_pair(run, o, pr->pos);
                abuf_printf(&b, "Position %lld (%s) at %s went to %s (score %d; yours %d)", (long long)p->id,
                            p->title, p->company, run->cands[o].name, their ? their->score->total : 0,
                            pr->score->total);
            } else {
                abuf_printf(&b, "Position %lld (%s) at %s stayed open: your score %d", (long long)p->id, p->title,
                            p->company, pr->score->total);
            }
            abuf_puts(&b, cand_pos[c] >= 0 ? "; the total was higher with you elsewhere.\n"
                                           : "; the best total for the cohort left you unassigned.\n");
        }
    }
    if (b.len == 0 && run->pool) {
        if (run->fit[c] > 0)
            abuf_printf(&b, "Fits %d open position%s, but other candidates scored higher there: not among the %d "
                            "best of any.\n", run->fit[c], run->fit[c] == 1 ? "" : "s", SHORTLIST);
        else if (run->vetoed[c] > 0)
            abuf_printf(&b, "No open position fits: %s%s.\n", run->veto_example[c] ? run->veto_example[c] : "",
                        run->vetoed[c] > 1 ? arena_printf(run->arena, ", and %d more ruled out", run->vetoed[c] - 1)
                                           : "");
        else if (run->reached[c] == 0)
            abuf_puts(&b, "No open position asks for a language you have at its minimum level, or each had enough "
                          "closer fits (field, target markets) before you.\n");
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

/* Each position's best candidates with their scores and reasons. */
static json_t *shortlists_json(struct run *run, const int64_t *pos_start, const int32_t *pos_order,
                               const int32_t *cand_pos)
{
    json_t *out = json_array();
    for (int32_t p = 0; p < run->n_pos; p++) {
        const struct position *ps = &run->poss[p];
        json_t *list = json_array();
        for (int64_t q = pos_start[p]; q < pos_start[p + 1] && json_array_size(list) < SHORTLIST; q++) {
            const struct pair *pr = &run->pairs[pos_order[q]];
            if (!usable(pr))
                break;
            const struct candidate *cd = &run->cands[pr->cand];
            json_array_append_new(list, json_pack("{s:I, s:s, s:i, s:i, s:s, s:b, s:o}", "graduate_id",
                (json_int_t)cd->id, "name", cd->name, "rank", pr->pos_rank, "score", pr->score->total, "source",
                pr->application_id > 0 ? "application" : "suggestion", "proposed", cand_pos[pr->cand] == p,
                "reasons", top_reasons(pr->score)));
        }
        json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:i, s:i, s:o}", "position_id", (json_int_t)ps->id,
                                             "title", ps->title, "company_name", ps->company, "places", ps->places,
                                             "candidates", run->pos_count[p], "shortlist", list));
    }
    return out;
}

static int weights_all_zero(const struct tb_score_weights *w)
{
    for (int k = 0; k < TB_CRIT_COUNT; k++)
        if (w->w[k] > 0)
            return 0;
    return 1;
}

int match_run_compute(const json_t *input, json_t **result, struct tb_err *err)
{
    const char *engine = json_string_value(json_object_get(input, "engine"));
    if (!engine || (strcmp(engine, "assign") && strcmp(engine, "stable")))
        return TB_INVALID(err, "engine", "engine: must be assign or stable");
    const json_t *options = json_object_get(input, "options");
    const char *source = json_string_value(json_object_get(options, "source"));
    if (source && strcmp(source, "applications") && strcmp(source, "pool"))
        return TB_INVALID(err, "source", "source: must be applications or pool");
    const json_t *graduates = json_object_get(input, "graduates"), *positions = json_object_get(input, "positions");
    const json_t *apps = json_object_get(input, "applications"), *constraints = json_object_get(input, "constraints");
    const json_t *companies = json_object_get(input, "companies");
    struct run run = {0};
    run.pool = source && !strcmp(source, "pool");
    weights_from_json(json_object_get(input, "weights"), &run.ctx.weights);
    if (weights_all_zero(&run.ctx.weights))
        return TB_INVALID(err, "weights", "weights: every criterion weighs 0, so every pair would score 0; "
                                          "give at least one criterion a weight above 0 (PUT /api/v1/match-weights)");
    run.arena = arena_new(0);
    if (!run.arena)
        return TB_INTERNAL(err, "out of memory");
    int rc = -1;
    run.cands = arena_calloc(run.arena, json_array_size(graduates) + 1, sizeof *run.cands);
    run.poss = arena_calloc(run.arena, json_array_size(positions) + 1, sizeof *run.poss);
    size_t i;
    json_t *v;
    json_array_foreach(graduates, i, v) {
        load_candidate(&run.cands[run.n_cand], v);
        run.cands[run.n_cand].profile.id = run.n_cand;
        run.n_cand++;
    }
    run.cand_idx = make_idx(&run, run.n_cand, 1);
    /* companies by id: sorted (id, array index) pairs */
    size_t n_co = json_array_size(companies);
    struct idx *co_idx = arena_alloc(run.arena, sizeof *co_idx * (n_co + 1));
    json_array_foreach(companies, i, v)
        co_idx[i] = (struct idx){json_integer_value(json_object_get(v, "id")), (int32_t)i};
    if (n_co > 1)
        qsort(co_idx, n_co, sizeof *co_idx, cmp_idx);
    json_array_foreach(positions, i, v) {
        int32_t at = idx_find(co_idx, (int32_t)n_co, json_integer_value(json_object_get(v, "company_id")));
        const json_t *company = at >= 0 ? json_array_get(companies, (size_t)at) : NULL;
        load_position(&run.poss[run.n_pos], v, company);
        run.poss[run.n_pos].profile.id = run.n_pos;
        run.n_pos++;
    }
    run.pos_idx = make_idx(&run, run.n_pos, 0);
    official_languages(&run);
    json_array_foreach(apps, i, v) {
        if (final_stage(str(v, "stage")))
            continue;
        int32_t c = index_of_cand(&run, json_integer_value(json_object_get(v, "graduate_id")));
        int32_t p = index_of_pos(&run, json_integer_value(json_object_get(v, "position_id")));
        if (c < 0 || p < 0)
            continue;
        struct pair *pr = add_pair(&run, c, p, NULL);
        pr->application_id = json_integer_value(json_object_get(v, "id"));
        pr->graduate_rank = (int)json_integer_value(json_object_get(v, "graduate_rank"));
        pr->company_rank = (int)json_integer_value(json_object_get(v, "company_rank"));
    }
    size_t nc = (size_t)run.n_cand + 1;
    run.pool_status = arena_calloc(run.arena, nc, 1);
    run.fit = arena_calloc(run.arena, nc, sizeof(int32_t));
    run.vetoed = arena_calloc(run.arena, nc, sizeof(int32_t));
    run.reached = arena_calloc(run.arena, nc, sizeof(int32_t));
    run.veto_example = arena_calloc(run.arena, nc, sizeof(char *));
    int32_t in_pool = 0, no_consent = 0, placed = 0;
    if (run.pool) {
        pool_generate(&run, graduates);
        for (int32_t c = 0; c < run.n_cand; c++) {
            in_pool += run.pool_status[c] == POOL_IN;
            no_consent += run.pool_status[c] == POOL_NO_CONSENT;
            placed += run.pool_status[c] == POOL_PLACED;
        }
        if (in_pool == 0) {
            arena_free(run.arena);
            return tb_error(err, TB_E_EMPTY_POOL, "source",
                           "source: no graduate in the pool can be matched (%d without consent, %d already placed, "
                           "%d in all)", no_consent, placed, run.n_cand);
        }
    }
    index_pairs(&run);
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
    int64_t *pos_start;
    int32_t *pos_order;
    rank_positions(&run, &pos_start, &pos_order);
    int32_t *cand_pos = arena_alloc(run.arena, sizeof(int32_t) * ((size_t)run.n_cand + 1));
    for (int32_t c = 0; c < run.n_cand; c++)
        cand_pos[c] = -1;
    json_t *summary = json_pack("{s:s, s:s, s:i, s:i, s:i}", "engine", engine, "source",
                                run.pool ? "pool" : "applications", "graduates", run.n_cand, "positions", run.n_pos,
                                "pairs_considered", run.n_pairs);
    if (run.pool) {
        int32_t no_req = 0;
        for (int32_t p = 0; p < run.n_pos; p++)
            no_req += run.poss[p].profile.n_required == 0 && run.poss[p].profile.n_fields == 0 &&
                      run.poss[p].profile.n_markets == 0;
        json_object_set_new(summary, "pool", json_pack("{s:i, s:i, s:i, s:I, s:i, s:i}", "eligible", in_pool,
                                                       "no_consent", no_consent, "placed", placed, "pairs_scored",
                                                       (json_int_t)run.scored, "shortlist_size", SHORTLIST,
                                                       "positions_without_requirements", no_req));
    }
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
    int32_t *holder = arena_alloc(run.arena, sizeof(int32_t) * ((size_t)run.n_pos + 1));
    for (int32_t p = 0; p < run.n_pos; p++)
        holder[p] = -1;
    for (int32_t c = 0; c < run.n_cand; c++)
        if (cand_pos[c] >= 0 && holder[cand_pos[c]] < 0)
            holder[cand_pos[c]] = c;
    json_t *pairs = json_array(), *grads = json_array(), *forbidden = json_array();
    int32_t assigned = 0, suggested = 0;
    for (int32_t c = 0; c < run.n_cand; c++) {
        struct candidate *cd = &run.cands[c];
        const char *why = explain_assign(&run, c, cand_pos, holder);
        if (!strcmp(engine, "stable") && !(run.pool && run.pool_status[c] != POOL_IN)) {
            /* The stable engine explains the lists it saw; pairs ruled out
             * before it ran are explained here, first. */
            struct abuf b;
            abuf_init(&b, run.arena, 32768);
            for (int64_t k = run.cand_start[c]; k < run.cand_start[c + 1]; k++) {
                struct pair *pr = &run.pairs[k];
                if (!usable(pr))
                    abuf_printf(&b, "Position %lld (%s) at %s was not possible: %s.\n", (long long)run.poss[pr->pos].id,
                                run.poss[pr->pos].title, run.poss[pr->pos].company, veto_reason(pr));
            }
            const char *stable_why = json_string_value(json_array_get(explanations, (size_t)c));
            if (!(b.len > 0 && stable_why && strstr(stable_why, "listed no positions")))
                abuf_puts(&b, stable_why ? stable_why : "");
            if (run.pool && run.cand_start[c] == run.cand_start[c + 1])
                abuf_puts(&b, why);
            why = abuf_cstr(&b);
        }
        json_t *pos_id = json_null();
        if (cand_pos[c] >= 0) {
            struct pair *pr = find_pair(&run, c, cand_pos[c]);
            struct position *p = &run.poss[cand_pos[c]];
            assigned++;
            int suggestion = pr && pr->application_id == 0;
            suggested += suggestion;
            pos_id = json_integer(p->id);
            json_array_append_new(pairs, json_pack("{s:I, s:s, s:I, s:s, s:s, s:I, s:s, s:i, s:i, s:b, s:o, s:o}",
                "graduate_id", (json_int_t)cd->id, "graduate_name", cd->name, "position_id", (json_int_t)p->id,
                "position_title", p->title, "company_name", p->company, "application_id",
                (json_int_t)(pr ? pr->application_id : 0), "source", suggestion ? "suggestion" : "application",
                "score", pr ? pr->score->total : 0, "rank", pr ? pr->pos_rank : 0, "locked", pr ? pr->locked : 0,
                "reasons", pr ? top_reasons(pr->score) : json_array(), "parts",
                pr ? parts_json(pr->score) : json_array()));
        }
        json_array_append_new(grads, json_pack("{s:I, s:s, s:o, s:s}", "graduate_id", (json_int_t)cd->id, "name",
                                               cd->name, "position_id", pos_id, "explanation", why ? why : ""));
    }
    for (int32_t k = 0; k < run.n_pairs; k++) {
        struct pair *pr = &run.pairs[k];
        if (!usable(pr))
            json_array_append_new(forbidden, json_pack("{s:I, s:s, s:I, s:s, s:s, s:s}", "graduate_id",
                (json_int_t)run.cands[pr->cand].id, "graduate_name", run.cands[pr->cand].name, "position_id",
                (json_int_t)run.poss[pr->pos].id, "position_title", run.poss[pr->pos].title, "company_name",
                run.poss[pr->pos].company, "reason", veto_reason(pr)));
    }
    json_object_set_new(summary, "assigned", json_integer(assigned));
    json_object_set_new(summary, "suggestions", json_integer(suggested));
    json_object_set_new(summary, "unassigned", json_integer(run.n_cand - assigned));
    *result = json_pack("{s:o, s:o, s:o, s:o, s:o}", "summary", summary, "pairs", pairs, "graduates", grads,
                        "forbidden", forbidden, "shortlists", shortlists_json(&run, pos_start, pos_order, cand_pos));
    json_decref(explanations);
    arena_free(run.arena);
    return 0;
}
