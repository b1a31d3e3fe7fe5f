/*
 * demo_generate.c - composes the demo's export trainee programme in memory
 * from a seed: SMEs, graduates, cohorts, positions, applications with their
 * history (demo_programme.c writes it). Composing first lets a placed
 * graduate's availability and a position's languages be made to agree.
 * Randomness: xoshiro256** seeded by splitmix64; dates count from
 * DEMO_REFERENCE_DATE.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo_programme.h"
#include "core/codes.h"
#include "core/date.h"
#include "core/xoshiro.h"

const char *const op_names[HOME__MAX] = {"ITM Sweden", "ITM Slovenia", "ITM Estonia"};
const char *const pos_statuses[] = {"draft", "submitted", "approved", "open", "closed", "filled"};
const char *const stages[] = {"applied", "screened", "interview", "shortlisted", "offered",
                                     "accepted", "declined", "rejected", "withdrawn"};
static const int n_companies[HOME__MAX] = {N_COMPANIES_SE, N_COMPANIES_SI, N_COMPANIES_EE};
static const int n_graduates[HOME__MAX] = {80, 60, 60};

/* ---- randomness ------------------------------------------------------- */

void demo_rng_seed(struct rng *r, uint64_t seed)
{
    xoshiro256_seed(r->s, seed);
}

static uint64_t rng_next(struct rng *r)
{
    return xoshiro256_next(r->s);
}

/* Uniform in [lo, hi]. */
int demo_rnd(struct rng *r, int lo, int hi)
{
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static double unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static int chance(struct rng *r, double p)
{
    return unit(r) < p;
}

static size_t count_of(const char *const *list)
{
    size_t n = 0;
    while (list[n])
        n++;
    return n;
}

static const char *pick(struct rng *r, const char *const *list)
{
    return list[demo_rnd(r, 0, (int)count_of(list) - 1)];
}

/* Words of a space-separated list ("DE AT FR"), copied into out[][4]. */
static int split_codes(const char *s, char out[][4], int max)
{
    int n = 0;
    while (*s && n < max) {
        while (*s == ' ')
            s++;
        int k = 0;
        while (*s && *s != ' ') {
            if (k < 3)
                out[n][k++] = *s;
            s++;
        }
        out[n][k] = '\0';
        if (k)
            n++;
    }
    return n;
}

/* Codes are looked up in the code list so the strings we keep are static. */
static const char *country_code(const char *c)
{
    const struct code_entry *e = codes_find(CODES_COUNTRY, c);
    return e ? e->code : NULL;
}

static const char *pick_code(struct rng *r, const char *list)
{
    char w[40][4];
    int n = split_codes(list, w, 40);
    return country_code(w[demo_rnd(r, 0, n - 1)]);
}

/* ---- dates (days since 1970-01-01) ------------------------------------ */

void demo_fmt_date(int64_t days, char out[11])
{
    int y, m, d;
    tb_civil_from_days(days, &y, &m, &d);
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* The day before the same date `months` later: a placement's last day. */
int64_t demo_end_after_months(int64_t start, int months)
{
    int y, m, d;
    tb_civil_from_days(start, &y, &m, &d);
    m += months;
    y += (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    return tb_days_from_civil(y, m, d) - 1;
}

/* Snaps to the 1st or 15th of a month (availability dates look like that). */
static int64_t snap_half_month(int64_t days)
{
    int y, m, d;
    tb_civil_from_days(days, &y, &m, &d);
    return tb_days_from_civil(y, m, d < 8 ? 1 : 15);
}

/* ---- text helpers ----------------------------------------------------- */

void demo_cat(char *buf, size_t n, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len >= n - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, n - len, fmt, ap);
    va_end(ap);
}

/* ASCII fold of Latin and Vietnamese letters (for e-mail addresses and domains),
 * lower-cased, keeping only [a-z0-9] and turning spaces into `space` (0: drop). */
static void fold_ascii(const char *in, char *out, size_t n, char space)
{
    static const char latin1[] = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo-ouuuuyty";
    static const char ext_a[] = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLl"
                                "LlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
    size_t k = 0;
    const unsigned char *p = (const unsigned char *)in;
    while (*p && k + 1 < n) {
        unsigned cp;
        int len;
        if (*p < 0x80) {
            cp = *p;
            len = 1;
        } else if ((*p & 0xE0) == 0xC0 && p[1]) {
            cp = ((unsigned)(*p & 0x1F) << 6) | (p[1] & 0x3F);
            len = 2;
        } else if ((*p & 0xF0) == 0xE0 && p[1] && p[2]) {
            cp = ((unsigned)(*p & 0x0F) << 12) | ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            len = 3;
        } else {
            p++;
            continue;
        }
        p += len;
        char c = 0;
        if (cp < 0x80)
            c = (char)cp;
        else if (cp >= 0xC0 && cp <= 0xFF)
            c = latin1[cp - 0xC0];
        else if (cp >= 0x100 && cp <= 0x17F)
            c = ext_a[cp - 0x100];
        else if (cp == 0x1A0 || cp == 0x1A1)
            c = 'o';
        else if (cp == 0x1AF || cp == 0x1B0)
            c = 'u';
        else if (cp >= 0x1EA0 && cp <= 0x1EB7)
            c = 'a';
        else if (cp >= 0x1EB8 && cp <= 0x1EC7)
            c = 'e';
        else if (cp >= 0x1EC8 && cp <= 0x1ECB)
            c = 'i';
        else if (cp >= 0x1ECC && cp <= 0x1EE3)
            c = 'o';
        else if (cp >= 0x1EE4 && cp <= 0x1EF1)
            c = 'u';
        else if (cp >= 0x1EF2 && cp <= 0x1EF9)
            c = 'y';
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[k++] = c;
        else if (c == ' ' && space && k && out[k - 1] != space)
            out[k++] = space;
    }
    while (k && out[k - 1] == space && space)
        k--;
    out[k] = '\0';
}

static void fill_digits(struct rng *r, const char *pattern, char *out, size_t n)
{
    size_t k = 0;
    for (const char *p = pattern; *p && k + 1 < n; p++)
        out[k++] = *p == '#' ? (char)('0' + demo_rnd(r, 0, 9)) : *p;
    out[k] = '\0';
}

const char *demo_country_name(const char *code)
{
    static const struct { const char *code, *name; } shorter[] = {
        {"KR", "South Korea"}, {"US", "the United States"}, {"GB", "the United Kingdom"},
        {"NL", "the Netherlands"}, {"VN", "Vietnam"}, {"CZ", "the Czech Republic"}};
    for (size_t i = 0; i < sizeof shorter / sizeof shorter[0]; i++)
        if (!strcmp(shorter[i].code, code))
            return shorter[i].name;
    const struct code_entry *e = codes_find(CODES_COUNTRY, code);
    return e ? e->name : code;
}

static const char *language_name(const char *code)
{
    const struct code_entry *e = codes_find(CODES_LANGUAGE, code);
    return e ? e->name : code;
}

/* First official language of a country, copied into out[4]. */
static const char *primary_language(const char *country, char out[4])
{
    const char *l = codes_country_languages(country);
    int k = 0;
    while (l && l[k] && l[k] != ' ' && k < 3) {
        out[k] = l[k];
        k++;
    }
    out[k] = '\0';
    const struct code_entry *e = codes_find(CODES_LANGUAGE, out);
    return e ? e->code : NULL;
}

const char *const levels[] = {"", "A1", "A2", "B1", "B2", "C1", "C2", "native"};
enum { A1 = 1, A2, B1, B2, C1, C2, NATIVE };

/* ---- companies -------------------------------------------------------- */

static int has_code(const char *const *list, int n, const char *c)
{
    for (int i = 0; i < n; i++)
        if (list[i] == c || !strcmp(list[i], c))
            return 1;
    return 0;
}

static int weighted_sector(struct rng *r, int home)
{
    int total = 0;
    for (size_t i = 0; i < N_SECTORS; i++)
        total += sectors[i].weight[home];
    int x = demo_rnd(r, 0, total - 1);
    for (size_t i = 0; i < N_SECTORS; i++) {
        if (x < sectors[i].weight[home])
            return (int)i;
        x -= sectors[i].weight[home];
    }
    return 0;
}

static void person_name(struct rng *r, const struct demo_nat *n, int male, char *first, size_t fn,
                        char *full, size_t n_full, char *surname_out, size_t sn)
{
    const char *given = pick(r, male ? n->male : n->female);
    const char *sur = pick(r, n->surnames);
    char s1[64];
    const char *colon = strchr(sur, ':');
    if (colon && male)
        snprintf(s1, sizeof s1, "%.*s", (int)(colon - sur), sur);
    else
        snprintf(s1, sizeof s1, "%s", colon ? colon + 1 : sur);
    if (n->two_surnames) {
        const char *sur2;
        do
            sur2 = pick(r, n->surnames);
        while (!strcmp(sur2, s1));
        demo_cat(s1, sizeof s1, " %s", sur2);
    }
    snprintf(first, fn, "%s", given);
    if (n->family_first)
        snprintf(full, n_full, "%s %s", s1, given);
    else
        snprintf(full, n_full, "%s %s", given, s1);
    if (surname_out)
        snprintf(surname_out, sn, "%s", s1);
}

static void person_email(const char *first, const char *surname, const char *domain, char *out, size_t n)
{
    char f[40], s[40];
    fold_ascii(first, f, sizeof f, 0);
    fold_ascii(surname, s, sizeof s, 0);
    if (snprintf(out, n, "%s.%s@%s", f, s, domain) >= (int)n)
        out[0] = '\0';
}

static int company_name_taken(const struct demo *d, const char *name)
{
    for (int i = 0; i < d->nco; i++)
        if (!strcmp(d->co[i].name, name))
            return 1;
    return 0;
}

static void add_market(const char **list, int *n, int max, const char *c, const char *home)
{
    if (c && *n < max && strcmp(c, home) && !has_code(list, *n, c))
        list[(*n)++] = c;
}

static void gen_company(struct demo *d, int home, int showcase)
{
    struct rng *r = &d->r;
    struct company *c = &d->co[d->nco];
    memset(c, 0, sizeof *c);
    const struct demo_home *h = &homes[home];
    c->home = home;
    if (showcase) {
        for (size_t i = 0; i < N_SECTORS; i++)
            if (!strcmp(sectors[i].nace, "28.13"))
                c->sector = (int)i;
        snprintf(c->name, sizeof c->name, "%s", SHOWCASE_COMPANY);
        for (const struct demo_place *p = h->places; p->city; p++)
            if (!strcmp(p->city, "Sundsvall"))
                c->place = p;
    } else {
        int np = 0;
        while (h->places[np].city)
            np++;
        for (int tries = 0;; tries++) {
            c->sector = weighted_sector(r, home);
            c->place = &h->places[demo_rnd(r, 0, np - 1)];
            const char *word = sectors[c->sector].word[home], *prefix;
            if (chance(r, 0.8)) {
                int nl = 0;
                while (nl < 3 && c->place->local[nl])
                    nl++;
                prefix = c->place->local[demo_rnd(r, 0, nl - 1)];
            } else {
                prefix = pick(r, h->prefixes);
            }
            if (home == HOME_SI)
                snprintf(c->name, sizeof c->name, "%s %s %s", word, prefix, h->suffix);
            else
                snprintf(c->name, sizeof c->name, "%s %s %s", prefix, word, h->suffix);
            if (!company_name_taken(d, c->name) || tries > 50)
                break;
        }
    }
    const struct demo_sector *s = &sectors[c->sector];
    /* The slug: the name without the legal form. */
    char base[128];
    snprintf(base, sizeof base, "%s", c->name);
    size_t bl = strlen(base), sl = strlen(h->suffix);
    if (bl > sl + 1 && !strcmp(base + bl - sl, h->suffix))
        base[bl - sl - 1] = '\0';
    fold_ascii(base, c->slug, sizeof c->slug, '-');
    fill_digits(r, h->reg_format, c->reg, sizeof c->reg);

    double u = unit(r);
    c->employees = showcase ? 64 : 8 + (int)(232.0 * u * u);
    double keur = c->employees * s->keur_per_employee * (0.75 + 0.5 * unit(r));
    if (keur > 44000)   /* an SME: under EUR 50 million turnover */
        keur = 38000 + 6000 * unit(r);
    /* In the home currency, rounded to thousands, then minor units. */
    int64_t major = (int64_t)(keur * (double)h->rate_per_eur / 100.0 + 0.5) * 1000;
    c->turnover = major * 100;
    int share = demo_rnd(r, s->export_min, s->export_max);
    c->export_turnover = major * share / 100 / 1000 * 1000 * 100;
    c->balance = (int64_t)((double)major * (0.45 + 0.4 * unit(r))) / 1000 * 1000 * 100;

    int np = (int)count_of(s->products);
    c->nprod = np < 2 ? np : demo_rnd(r, 2, np);
    int first = demo_rnd(r, 0, np - 1);
    for (int i = 0; i < c->nprod; i++)
        c->products[i] = s->products[(first + i) % np];

    /* Where it sells: neighbours that also buy this sector's products first. */
    char near[12][4], sect[12][4], far[16][4];
    int nn = split_codes(h->near_markets, near, 12), ns = split_codes(s->markets, sect, 12),
        nf = split_codes(h->far_markets, far, 16);
    int want = showcase ? 4 : demo_rnd(r, 2, 5);
    for (int tries = 0; c->nexp < want && tries < 40; tries++) {
        const char *m = country_code(near[demo_rnd(r, 0, nn - 1)]);
        int in_sector = 0;
        for (int k = 0; k < ns; k++)
            in_sector |= !strcmp(sect[k], m);
        if (in_sector || tries > 20)
            add_market(c->exp, &c->nexp, want, m, h->country);
    }
    if (showcase) {
        c->nexp = 0;
        add_market(c->exp, &c->nexp, 6, country_code("NO"), h->country);
        add_market(c->exp, &c->nexp, 6, country_code("FI"), h->country);
        add_market(c->exp, &c->nexp, 6, country_code("DK"), h->country);
        add_market(c->exp, &c->nexp, 6, country_code("PL"), h->country);
    }
    int wantt = showcase ? 3 : demo_rnd(r, 1, 3);
    for (int tries = 0; c->ntgt < wantt && tries < 40; tries++) {
        const char *m = country_code(tries % 3 == 2 ? far[demo_rnd(r, 0, nf - 1)] : sect[demo_rnd(r, 0, ns - 1)]);
        if (!has_code(c->exp, c->nexp, m))
            add_market(c->tgt, &c->ntgt, wantt, m, h->country);
    }
    if (showcase) {
        c->ntgt = 0;
        c->tgt[c->ntgt++] = country_code("DE");
        c->tgt[c->ntgt++] = country_code("AT");
        c->tgt[c->ntgt++] = country_code("FR");
    }

    const struct demo_nat *n = &nats[home];
    char domain[128];
    snprintf(domain, sizeof domain, "%s.example", c->slug);
    for (int k = 0; k < 2; k++) {
        char first_name[64], surname[64];
        if (showcase) {
            static const char *const fixed[2][3] = {{"Lars", "Berg", "company@demo.tradebridge.org"},
                                                    {"Karin", "Holm", "mentor@demo.tradebridge.org"}};
            snprintf(c->contact[k], sizeof c->contact[k], "%s %s", fixed[k][0], fixed[k][1]);
            snprintf(c->contact_email[k], sizeof c->contact_email[k], "%s", fixed[k][2]);
        } else {
            do {
                struct demo_nat older = *n;
                older.male = elders[home].male;
                older.female = elders[home].female;
                person_name(r, &older, demo_rnd(r, 0, 1), first_name, sizeof first_name, c->contact[k],
                            sizeof c->contact[k], surname, sizeof surname);
                person_email(first_name, surname, domain, c->contact_email[k], sizeof c->contact_email[k]);
            } while (k == 1 && !strcmp(c->contact_email[0], c->contact_email[1]));
        }
        c->contact_role[k] = k == 0 ? "Managing Director" : pick(r, contact_roles + 1);
        fill_digits(r, n->phone, c->phone[k], sizeof c->phone[k]);
    }
    if (showcase)
        c->contact_role[1] = "Export Manager";
    d->nco++;
}

/* ---- graduates -------------------------------------------------------- */

static int nat_index(const char *country)
{
    for (size_t i = 0; i < N_NATS; i++)
        if (!strcmp(nats[i].country, country))
            return (int)i;
    return 0;
}

static int weighted_nat(struct rng *r, int home)
{
    char code[24][4];
    int weight[24], n = 0, total = 0;
    for (const char *p = nat_mix[home]; *p && n < 24;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        code[n][0] = p[0];
        code[n][1] = p[1];
        code[n][2] = '\0';
        weight[n] = atoi(p + 3);
        total += weight[n++];
        while (*p && *p != ' ')
            p++;
    }
    int x = demo_rnd(r, 0, total - 1);
    for (int i = 0; i < n; i++) {
        if (x < weight[i])
            return nat_index(code[i]);
        x -= weight[i];
    }
    return home;
}

static struct lang *find_lang(struct graduate *g, const char *code)
{
    for (int i = 0; i < g->nlang; i++)
        if (!strcmp(g->lang[i].code, code))
            return &g->lang[i];
    return NULL;
}

static void set_lang(struct graduate *g, const char *code, int rank)
{
    if (!code)
        return;
    struct lang *l = find_lang(g, code);
    if (l) {
        if (l->rank < rank && l->rank != NATIVE)
            l->rank = rank;
    } else if (g->nlang < MAXLANG) {
        g->lang[g->nlang].code = code;
        g->lang[g->nlang++].rank = rank;
    }
}

static int has_stay(const struct graduate *g, const char *country)
{
    for (int i = 0; i < g->nstay; i++)
        if (!strcmp(g->stay[i].country, country))
            return 1;
    return 0;
}

static void add_stay(struct graduate *g, const char *country, int months, const char *kind)
{
    if (country && g->nstay < MAXSTAY && !has_stay(g, country) && strcmp(country, nats[g->nat].country)) {
        g->stay[g->nstay].country = country;
        g->stay[g->nstay].months = months;
        g->stay[g->nstay++].kind = kind;
    }
}

static int english_speaking(const char *country)
{
    char l[4];
    const char *p = primary_language(country, l);
    return p && !strcmp(p, "en");
}

/* The level a stay of `months` gives (demo.h states the rule). */
static int level_for_months(struct rng *r, int months, const char *kind)
{
    double u = unit(r);
    if (months >= 24) {
        if (months >= 48 && !strcmp(kind, "lived"))
            return u < 0.5 ? C1 : C2;
        return u < 0.5 ? B2 : C1;
    }
    if (months >= 12)
        return u < 0.2 ? B1 : u < 0.75 ? B2 : C1;
    if (months >= 9)
        return u < 0.6 ? B1 : B2;
    if (months >= 6)
        return B1;
    return u < 0.5 ? A2 : B1;
}

static void derive_languages(struct rng *r, struct graduate *g)
{
    const struct demo_nat *n = &nats[g->nat];
    char buf[4];
    set_lang(g, primary_language(n->country, buf), NATIVE);
    int en_abroad = 0;
    for (int i = 0; i < g->nstay; i++)
        en_abroad |= english_speaking(g->stay[i].country) && g->stay[i].months >= 5;
    int asia = !strcmp(n->lang, "zh") || !strcmp(n->lang, "vi") || !strcmp(n->lang, "ja") || !strcmp(n->lang, "ko");
    int en = en_abroad ? demo_rnd(r, C1, C2) : asia ? demo_rnd(r, B2, C1) : (chance(r, 0.35) ? B2 : chance(r, 0.85) ? C1 : C2);
    set_lang(g, "en", en);
    /* Stays: months per first official language. */
    for (int i = 0; i < g->nstay; i++) {
        const char *l = primary_language(g->stay[i].country, buf);
        if (!l || (find_lang(g, l) && find_lang(g, l)->rank == NATIVE) || !strcmp(l, "en"))
            continue;
        int months = 0;
        const char *kind = g->stay[i].kind;
        for (int k = 0; k < g->nstay; k++) {
            char b2[4];
            const char *l2 = primary_language(g->stay[k].country, b2);
            if (l2 && !strcmp(l2, l))
                months += g->stay[k].months;
        }
        set_lang(g, l, level_for_months(r, months, kind));
    }
    /* School languages: at most B1 without a stay. */
    char school[4][4];
    int ns = split_codes(n->school, school, 4), want = chance(r, 0.7) ? 1 : 2;
    for (int i = 0; i < want && ns; i++) {
        const struct code_entry *e = codes_find(CODES_LANGUAGE, school[demo_rnd(r, 0, ns - 1)]);
        if (e && !find_lang(g, e->code))
            set_lang(g, e->code, demo_rnd(r, A2, B1));
    }
}

static int graduate_name_taken(const struct demo *d, const char *name)
{
    for (int i = 0; i < d->ngr; i++)
        if (!strcmp(d->gr[i].name, name))
            return 1;
    return 0;
}

static int email_taken(const struct demo *d, const char *email)
{
    for (int i = 0; i < d->ngr; i++)
        if (!strcmp(d->gr[i].email, email))
            return 1;
    return 0;
}

static const char *weighted_field(struct rng *r)
{
    int total = 0;
    for (size_t i = 0; i < N_FIELDS; i++)
        total += fields_[i].weight;
    int x = demo_rnd(r, 0, total - 1);
    for (size_t i = 0; i < N_FIELDS; i++) {
        if (x < fields_[i].weight)
            return fields_[i].code;
        x -= fields_[i].weight;
    }
    return fields_[0].code;
}

static const struct demo_field *field_of(const char *code)
{
    for (size_t i = 0; i < N_FIELDS; i++)
        if (!strcmp(fields_[i].code, code))
            return &fields_[i];
    return &fields_[0];
}

/* An exchange destination other than the home and nationality countries; for
 * language students, one where the language they study is spoken. */
static const char *exchange_destination(struct rng *r, const struct graduate *g, int language_major)
{
    for (int tries = 0; tries < 30; tries++) {
        const char *c = pick_code(r, exchange_to);
        if (!c || !strcmp(c, nats[g->nat].country) || !strcmp(c, homes[g->home].country) || has_stay(g, c))
            continue;
        if (language_major && english_speaking(c))
            continue;
        return c;
    }
    return NULL;
}

/* A university that teaches the field: no languages at business schools or
 * technical universities, no engineering at business schools. */
static const char *university_for(struct rng *r, const struct demo_nat *n, const char *field)
{
    const char *u = NULL;
    for (int tries = 0; tries < 20; tries++) {
        u = pick(r, n->universities);
        int business = strstr(u, "Economics") || strstr(u, "Business") || strstr(u, "Bocconi") ||
                       strstr(u, "Sciences Po") || strstr(u, "Foreign Trade");
        int technical = strstr(u, "Technology") || strstr(u, "Technical") || strstr(u, "Polytechnic") ||
                        strstr(u, "Aalto") || strstr(u, "Life Sciences");
        int language = field[0] == '0' && field[1] == '2';
        int engineering = field[0] == '0' && field[1] == '7';
        if ((language && (business || technical)) || (engineering && business) ||
            (!strcmp(field, "0421") && (business || technical)))
            continue;
        break;
    }
    return u;
}

static void gen_graduate(struct demo *d, int home, int showcase)
{
    struct rng *r = &d->r;
    struct graduate *g = &d->gr[d->ngr];
    memset(g, 0, sizeof *g);
    g->home = home;
    const char *home_country = homes[home].country;
    if (showcase) {
        /* trainee@: Sofia Andersson, a Swedish master's graduate with German from an exchange. */
        g->nat = HOME_SE;
        g->male = 0;
        snprintf(g->name, sizeof g->name, "Sofia Andersson");
        snprintf(g->first, sizeof g->first, "Sofia");
        snprintf(g->email, sizeof g->email, "trainee@demo.tradebridge.org");
        g->eqf = 7;
        g->field = "0413";
        g->university = "Uppsala University";
        g->grad_year = 2026;
        g->residence = country_code("SE");
        add_stay(g, country_code("DE"), 10, "studied");
        add_stay(g, country_code("AT"), 3, "worked");
        set_lang(g, "sv", NATIVE);
        set_lang(g, "en", C1);
        set_lang(g, "de", B2);
        set_lang(g, "fr", A2);
        g->skills[g->nskills++] = "export market research";
        g->skills[g->nskills++] = "B2B sales";
        g->skills[g->nskills++] = "CRM (HubSpot)";
        g->skills[g->nskills++] = "Incoterms 2020";
        g->mobility[g->nmob++] = country_code("SE");
        g->mobility[g->nmob++] = country_code("DE");
        g->mobility[g->nmob++] = country_code("AT");
        g->available = tb_days_from_civil(2027, 1, 15);
        g->consent = 1;
        g->consent_day = tb_days_from_civil(2026, 9, 21);
        fill_digits(r, nats[HOME_SE].phone, g->phone, sizeof g->phone);
        d->ngr++;
        return;
    }
    g->nat = weighted_nat(r, home);
    const struct demo_nat *n = &nats[g->nat];
    g->male = demo_rnd(r, 0, 1);
    char surname[64];
    for (int tries = 0; tries < 20; tries++) {
        person_name(r, n, g->male, g->first, sizeof g->first, g->name, sizeof g->name, surname, sizeof surname);
        if (!graduate_name_taken(d, g->name))
            break;
    }
    person_email(g->first, surname, "mail.example", g->email, sizeof g->email);
    for (int k = 2; email_taken(d, g->email); k++) {
        char f[40], s[40];
        fold_ascii(g->first, f, sizeof f, 0);
        fold_ascii(surname, s, sizeof s, 0);
        snprintf(g->email, sizeof g->email, "%s.%s%d@mail.example", f, s, k);
    }
    g->eqf = chance(r, 0.55) ? 7 : 6;
    g->field = weighted_field(r);
    int language_major = !strcmp(g->field, "0231") || !strcmp(g->field, "0232");
    g->grad_year = chance(r, 0.75) ? 2026 : 2025;
    int national = !strcmp(n->country, home_country);
    if (national) {
        g->university = university_for(r, n, g->field);
        g->residence = country_code(home_country);
    } else if (chance(r, 0.35)) {
        /* Came for the degree: a master's or bachelor's in the operator's country. */
        g->university = university_for(r, &nats[home], g->field);
        g->residence = country_code(home_country);
        add_stay(g, country_code(home_country), g->eqf == 7 ? 24 : 36, "studied");
    } else {
        g->university = university_for(r, n, g->field);
        if (chance(r, 0.6)) {
            g->residence = country_code(home_country);
            add_stay(g, country_code(home_country), chance(r, 0.5) ? demo_rnd(r, 5, 10) : demo_rnd(r, 12, 20),
                     chance(r, 0.6) ? "studied" : "worked");
        } else {
            g->residence = country_code(n->country);
            if (chance(r, 0.5))
                add_stay(g, country_code(home_country), demo_rnd(r, 5, 6), "studied");
        }
    }
    if (language_major || chance(r, national ? 0.45 : 0.2)) {
        static const int months[] = {5, 6, 10, 12};
        add_stay(g, exchange_destination(r, g, language_major), months[demo_rnd(r, 0, 3)], "studied");
    }
    if (chance(r, national ? 0.2 : 0.08) && g->nstay < 3) {
        const char *c = pick_code(r, work_in);
        if (strcmp(c, home_country))
            add_stay(g, c, demo_rnd(r, 6, 18), "worked");
    }
    if (national && chance(r, 0.08)) {
        const char *c = pick_code(r, lived_in);
        if (strcmp(c, home_country))
            add_stay(g, c, demo_rnd(r, 36, 96), "lived");
    }
    derive_languages(r, g);

    const struct demo_field *f = field_of(g->field);
    int want = demo_rnd(r, 2, 3);
    for (int tries = 0; g->nskills < want && tries < 20; tries++) {
        const char *s = pick(r, f->skills);
        if (!has_code(g->skills, g->nskills, s))
            g->skills[g->nskills++] = s;
    }
    want = g->nskills + demo_rnd(r, 1, 2);
    for (int tries = 0; g->nskills < want && tries < 20; tries++) {
        const char *s = pick(r, common_skills);
        if (!has_code(g->skills, g->nskills, s))
            g->skills[g->nskills++] = s;
    }
    g->mobility[g->nmob++] = country_code(home_country);
    if (!has_code(g->mobility, g->nmob, n->country))
        g->mobility[g->nmob++] = country_code(n->country);
    for (int i = 0; i < g->nstay && g->nmob < 4; i++)
        if (!has_code(g->mobility, g->nmob, g->stay[i].country) && chance(r, 0.5))
            g->mobility[g->nmob++] = g->stay[i].country;

    g->available = snap_half_month(d->ref + demo_rnd(r, 0, 150));
    g->consent = chance(r, 0.9);
    g->consent_day = d->ref - demo_rnd(r, 5, 240);
    int phone_nat = g->nat;
    if (strcmp(g->residence, n->country))
        phone_nat = nat_index(g->residence);
    fill_digits(r, nats[phone_nat].phone, g->phone, sizeof g->phone);
    d->ngr++;
}

/* ---- positions -------------------------------------------------------- */

static int lang_rank(const struct graduate *g, const char *code)
{
    for (int i = 0; i < g->nlang; i++)
        if (!strcmp(g->lang[i].code, code))
            return g->lang[i].rank;
    return 0;
}

static int fits(const struct graduate *g, const struct position *p)
{
    for (int i = 0; i < p->nreq; i++)
        if (lang_rank(g, p->req[i].code) < p->req[i].rank)
            return 0;
    return 1;
}

/* How many of the operator's graduates speak `lang` at `rank` or better. */
static int speakers(const struct demo *d, int home, const char *lang, int rank)
{
    int n = 0;
    for (int i = 0; i < d->ngr; i++)
        if (d->gr[i].home == home && lang_rank(&d->gr[i], lang) >= rank)
            n++;
    return n;
}

/* A market the operator's graduates can serve: its language has speakers. */
static const char *servable_market(struct demo *d, const struct company *c, const char *const *list, int n)
{
    int start = n ? demo_rnd(&d->r, 0, n - 1) : 0;
    for (int k = 0; k < n; k++) {
        const char *m = list[(start + k) % n];
        char buf[4];
        const char *l = primary_language(m, buf);
        if (l && (!strcmp(l, "en") || speakers(d, c->home, l, B2) >= 3))
            return m;
    }
    return NULL;
}

/* Markets that share a language and are sold to together. */
static const char *partner_market(const char *m)
{
    static const char *const pairs[][2] = {{"DE", "AT"}, {"AT", "DE"}, {"CH", "DE"}, {"GB", "IE"},
                                           {"US", "CA"}, {"FR", "BE"}, {"ES", "MX"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (!strcmp(pairs[i][0], m))
            return country_code(pairs[i][1]);
    return NULL;
}

/* Title and description from the company, markets and languages. */
static void describe_position(struct demo *d, struct position *p)
{
    struct rng *r = &d->r;
    const struct company *c = &d->co[p->company];
    const struct demo_sector *s = &sectors[c->sector];
    char where[120] = "";
    for (int i = 0; i < p->nm; i++)
        demo_cat(where, sizeof where, "%s%s", i ? " and " : "", demo_country_name(p->markets[i]));
    static const char *const titles[] = {"Export Sales Trainee – %s", "Export Market Developer – %s",
                                         "International Sales Trainee – %s", "Business Development Trainee, %s",
                                         NULL};
    char title_where[120] = "";
    for (int i = 0; i < p->nm; i++) {
        const char *name = demo_country_name(p->markets[i]);
        demo_cat(title_where, sizeof title_where, "%s%s", i ? " and " : "", strncmp(name, "the ", 4) ? name : name + 4);
    }
    snprintf(p->title, sizeof p->title, titles[demo_rnd(r, 0, 3)], title_where);
    char langs[160] = "";
    for (int i = 0; i < p->nreq; i++)
        demo_cat(langs, sizeof langs, "%s%s %s", i ? ", " : "", language_name(p->req[i].code), levels[p->req[i].rank]);
    snprintf(p->description, sizeof p->description,
             "%s in %s makes %s and exports to %d countries. As our export trainee you build our "
             "presence in %s: map distributors and key accounts, qualify leads, prepare %s and follow "
             "up until the first orders. You work with the export manager and report to the managing "
             "director. Languages: %s or better.",
             c->name, c->place->city, s->noun, c->nexp, where, s->fair, langs);
}

static void gen_position(struct demo *d, int company, int cohort, int status)
{
    struct rng *r = &d->r;
    struct position *p = &d->pos[d->npos];
    memset(p, 0, sizeof *p);
    struct company *c = &d->co[company];
    const struct demo_sector *s = &sectors[c->sector];
    p->company = company;
    p->cohort = cohort;
    p->status = status;
    p->winner = -1;
    const char *m = servable_market(d, c, c->tgt, c->ntgt);
    if (!m || (cohort < 2 && chance(r, 0.3)))
        m = servable_market(d, c, c->exp, c->nexp) ? servable_market(d, c, c->exp, c->nexp) : m;
    if (!m) {
        /* No speakers for any of its markets: take one of the sector's and make it a target. */
        const char *list[16];
        char sect[16][4];
        int ns = split_codes(s->markets, sect, 16), nl = 0;
        for (int i = 0; i < ns; i++)
            if (strcmp(sect[i], homes[c->home].country))
                list[nl++] = country_code(sect[i]);
        m = servable_market(d, c, list, nl);
        if (!m)
            m = country_code("DE");
        if (c->ntgt < 4 && !has_code(c->tgt, c->ntgt, m) && !has_code(c->exp, c->nexp, m))
            c->tgt[c->ntgt++] = m;
    }
    p->markets[p->nm++] = m;
    const char *partner = partner_market(m);
    if (partner && strcmp(partner, homes[c->home].country) && chance(r, 0.5)) {
        /* Sold to together: the company targets it too. */
        if (!has_code(c->exp, c->nexp, partner) && !has_code(c->tgt, c->ntgt, partner) && c->ntgt < 4)
            c->tgt[c->ntgt++] = partner;
        if (has_code(c->exp, c->nexp, partner) || has_code(c->tgt, c->ntgt, partner))
            p->markets[p->nm++] = partner;
    }
    char buf[4];
    const char *l = primary_language(m, buf);
    int english = !strcmp(l, "en");
    int rank = english ? C1 : chance(r, 0.3) && speakers(d, c->home, l, C1) >= 3 ? C1 : B2;
    p->req[p->nreq].code = l;
    p->req[p->nreq++].rank = rank;
    if (!english) {
        p->req[p->nreq].code = "en";
        p->req[p->nreq++].rank = B2;
    }
    p->fields[p->nfields++] = chance(r, 0.6) ? "0413" : "0414";
    if (chance(r, 0.5))
        p->fields[p->nfields++] = chance(r, 0.5) ? "0311" : "0231";
    if (!strcmp(s->nace, "10.51") || !strcmp(s->nace, "10.20") || !strcmp(s->nace, "10.82"))
        p->fields[p->nfields++] = "0721";
    else if (s->nace[0] == '2' && (s->nace[1] == '5' || s->nace[1] == '6' || s->nace[1] == '7' || s->nace[1] == '8'))
        p->fields[p->nfields++] = chance(r, 0.5) ? "0715" : "0714";
    for (int i = 0; i < c->nprod && p->nprod < 2; i++)
        p->products[p->nprod++] = c->products[i];

    static const int start_month[3][2] = {{2026, 2}, {2026, 9}, {2027, 2}};
    int y = start_month[cohort][0], mo = start_month[cohort][1];
    if (cohort == 2 && chance(r, 0.35))
        mo = 3;
    p->start = tb_days_from_civil(y, mo, 1);
    p->start += (7 - (p->start + 3) % 7) % 7; /* the first Monday (1970-01-01 was a Thursday) */
    p->months = cohort == 0 ? demo_rnd(r, 6, 8) : cohort == 1 ? demo_rnd(r, 9, 12) : demo_rnd(r, 6, 10);
    const struct demo_home *h = &homes[c->home];
    int step = c->home == HOME_SE ? 500 : 50;
    p->pay = (int64_t)(demo_rnd(r, h->pay_min / step, h->pay_max / step) * step) * 100;

    describe_position(d, p);
    d->npos++;
}

/* ---- applications ----------------------------------------------------- */

static int applied_to(const struct demo *d, int g, int p)
{
    for (int i = 0; i < d->napp; i++)
        if (d->app[i].grad == g && d->app[i].pos == p)
            return 1;
    return 0;
}

static struct application *add_app(struct demo *d, int g, int p, int stage, int reached)
{
    if (d->napp >= MAX_APPS)
        return NULL;
    struct application *a = &d->app[d->napp++];
    memset(a, 0, sizeof *a);
    a->grad = g;
    a->pos = p;
    a->stage = stage;
    a->reached = reached;
    d->gr[g].napps++;
    return a;
}

/* A free graduate of the operator for this position: fitting or not, not yet
 * placed, not applied here, with room for more applications. */
static int candidate(struct demo *d, int p, int want_fit, int exclude)
{
    const struct position *pos = &d->pos[p];
    int home = d->co[pos->company].home, found[MAX_GRADUATES], n = 0;
    for (int i = 0; i < d->ngr; i++) {
        const struct graduate *g = &d->gr[i];
        /* graduate 0 is the showcase trainee: her applications are set by hand */
        if (i == 0 || g->home != home || g->placed || !g->consent || g->napps >= 4 || i == exclude ||
            applied_to(d, i, p))
            continue;
        if (want_fit >= 0 && fits(g, pos) != want_fit)
            continue;
        found[n++] = i;
    }
    return n ? found[demo_rnd(&d->r, 0, n - 1)] : -1;
}

/* Points a position at a market whose language `g` speaks (B2+), when no free
 * graduate fits the one first chosen; -1 if `g` speaks none that fits. */
static int retarget(struct demo *d, struct position *p, const struct graduate *g)
{
    const struct company *c = &d->co[p->company];
    char sect[16][4], buf[4];
    int ns = split_codes(sectors[c->sector].markets, sect, 16);
    const char *home_lang = primary_language(homes[c->home].country, buf);
    for (int i = 0; i < g->nlang; i++) {
        const char *l = g->lang[i].code;
        if (g->lang[i].rank < B2 || !strcmp(l, home_lang) || !strcmp(l, "en"))
            continue;
        for (int k = 0; k < ns; k++) {
            char b2[4];
            const char *ml = primary_language(sect[k], b2);
            if (!ml || strcmp(ml, l) || !strcmp(sect[k], homes[c->home].country))
                continue;
            p->nm = 0;
            p->markets[p->nm++] = country_code(sect[k]);
            p->nreq = 0;
            p->req[p->nreq].code = l;
            p->req[p->nreq++].rank = B2;
            p->req[p->nreq].code = "en";
            p->req[p->nreq++].rank = B2;
            if (fits(g, p)) {
                struct company *cm = &d->co[p->company];
                if (!has_code(cm->exp, cm->nexp, p->markets[0]) && !has_code(cm->tgt, cm->ntgt, p->markets[0]) &&
                    cm->ntgt < 4)
                    cm->tgt[cm->ntgt++] = p->markets[0];
                describe_position(d, p);
                return 0;
            }
        }
    }
    return -1;
}

static const char *stage_note(struct rng *r, int stage, int fit)
{
    static const char *const rejected[] = {
        "Language level below what the company needs for this market.",
        "Profile fits better with a more technical role; encouraged to apply next round.",
        "Company chose a candidate with sales experience in the market.", NULL};
    static const char *const withdrawn[] = {"Accepted a position with another employer.",
                                            "Withdrew: relocating for family reasons.",
                                            "Withdrew to continue with a PhD position.", NULL};
    static const char *const declined[] = {"Declined the offer: start date did not suit.",
                                           "Declined: preferred a placement closer to home.", NULL};
    static const char *const positive[] = {"Strong interview; good grasp of the product and the market.",
                                           "Good references from the exchange semester.",
                                           "Company asked for a second interview with the export manager.", NULL};
    switch (stage) {
    case S_REJECTED:
        if (!fit)
            return rejected[0];
        return chance(r, 0.6) ? pick(r, rejected + 1) : NULL;
    case S_WITHDRAWN: return chance(r, 0.6) ? pick(r, withdrawn) : NULL;
    case S_DECLINED: return pick(r, declined);
    case S_SHORTLISTED:
    case S_OFFERED:
    case S_ACCEPTED: return chance(r, 0.4) ? pick(r, positive) : NULL;
    default: return NULL;
    }
}

static void gen_applications(struct demo *d, int p, int showcase_grad)
{
    struct rng *r = &d->r;
    struct position *pos = &d->pos[p];
    if (pos->status == P_FILLED) {
        int w = showcase_grad >= 0 ? showcase_grad : candidate(d, p, 1, -1);
        /* Nobody free fits: point the position at a market someone free can serve. */
        for (int tries = 0; w < 0 && tries < 40; tries++) {
            int c = candidate(d, p, -1, -1);
            if (c < 0)
                break;
            if (retarget(d, pos, &d->gr[c]) == 0)
                w = c;
        }
        if (w < 0)
            pos->status = P_CLOSED; /* recruitment failed: the position closed unfilled */
        pos->winner = w;
    }
    if (pos->status == P_FILLED) {
        int w = pos->winner;
        struct graduate *g = &d->gr[w];
        g->placed = 1;
        /* A placed graduate was available by the start and graduated before. */
        if (g->available > pos->start)
            g->available = snap_half_month(pos->start - demo_rnd(r, 10, 90));
        if (pos->cohort == 0 && g->grad_year > 2025)
            g->grad_year = 2025;
        if (g->consent_day > pos->start - 30)
            g->consent_day = pos->start - demo_rnd(r, 30, 120);
        struct application *a = add_app(d, w, p, S_ACCEPTED, S_OFFERED);
        if (a) {
            a->crank = 1;
            a->note = stage_note(r, S_ACCEPTED, 1);
        }
        int others = demo_rnd(r, 2, 4);
        for (int k = 0; k < others; k++) {
            int fit = chance(r, 0.5), c = candidate(d, p, fit, w);
            if (c < 0)
                continue;
            int stage = fit && k == 0 && chance(r, 0.4) ? S_DECLINED : chance(r, 0.75) ? S_REJECTED : S_WITHDRAWN;
            int reached = stage == S_DECLINED ? S_OFFERED : demo_rnd(r, S_APPLIED, fit ? S_SHORTLISTED : S_SCREENED);
            a = add_app(d, c, p, stage, reached);
            if (a) {
                a->note = stage_note(r, stage, fit);
                if (reached >= S_SHORTLISTED)
                    a->crank = k + 2;
            }
        }
    } else if (pos->status == P_CLOSED) {
        int n = demo_rnd(r, 2, 4);
        for (int k = 0; k < n; k++) {
            int fit = chance(r, 0.4), c = candidate(d, p, fit, -1);
            if (c < 0)
                continue;
            int stage = fit && k == 0 ? S_DECLINED : chance(r, 0.7) ? S_REJECTED : S_WITHDRAWN;
            int reached = stage == S_DECLINED ? S_OFFERED : demo_rnd(r, S_APPLIED, S_INTERVIEW);
            struct application *a = add_app(d, c, p, stage, reached);
            if (a)
                a->note = stage == S_DECLINED ? stage_note(r, stage, fit)
                                              : "Position closed: the company postponed the recruitment.";
        }
    } else if (pos->status == P_OPEN) {
        /* Recruiting now: the pipeline from fresh applications to an offer. */
        static const int late[] = {S_OFFERED, S_SHORTLISTED, S_INTERVIEW, S_SHORTLISTED, S_DECLINED, S_INTERVIEW};
        static const int early[] = {S_APPLIED, S_SCREENED, S_REJECTED, S_APPLIED, S_WITHDRAWN, S_SCREENED, S_REJECTED};
        int nlate = demo_rnd(r, 1, 3), nearly = demo_rnd(r, 2, 4), off = demo_rnd(r, 0, 5), crank = 1;
        for (int k = 0; k < nlate; k++) {
            int c = candidate(d, p, 1, -1);
            if (c < 0)
                break;
            int stage = late[(off + k) % 6];
            struct application *a = add_app(d, c, p, stage, stage == S_DECLINED ? S_OFFERED : stage);
            if (a) {
                a->note = stage_note(r, stage, 1);
                if (stage >= S_SHORTLISTED)
                    a->crank = crank++;
            }
        }
        for (int k = 0; k < nearly; k++) {
            int c = candidate(d, p, -1, -1);
            if (c < 0)
                break;
            int stage = early[(off + k) % 7];
            int reached = stage == S_REJECTED || stage == S_WITHDRAWN ? demo_rnd(r, S_APPLIED, S_SCREENED) : stage;
            struct application *a = add_app(d, c, p, stage, reached);
            if (a)
                a->note = stage_note(r, stage, fits(&d->gr[c], pos));
        }
    }
}

/* ---- the programme ---------------------------------------------------- */

static void shuffle(struct rng *r, int *a, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = demo_rnd(r, 0, i), t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* Positions per operator: cohort, status. The first filled one of each
 * Swedish cohort goes to the showcase company. */
struct plan_row {
    int cohort, status, count[HOME__MAX];
};
static const struct plan_row plan[] = {
    {0, P_FILLED, {2, 2, 2}}, {0, P_CLOSED, {1, 1, 1}},
    {1, P_FILLED, {6, 5, 5}}, {1, P_CLOSED, {1, 1, 1}},
    {2, P_FILLED, {3, 3, 3}}, {2, P_OPEN, {8, 6, 6}}, {2, P_APPROVED, {2, 2, 2}},
    {2, P_SUBMITTED, {2, 2, 2}}, {2, P_DRAFT, {2, 2, 2}},
};

int demo_compose(struct demo *d)
{
    struct rng *r = &d->r;
    for (int h = 0; h < HOME__MAX; h++)
        for (int i = 0; i < n_companies[h]; i++)
            gen_company(d, h, h == HOME_SE && i == 0);
    for (int h = 0; h < HOME__MAX; h++)
        for (int i = 0; i < n_graduates[h]; i++)
            gen_graduate(d, h, h == HOME_SE && i == 0);
    int showcase_grad = 0; /* the first graduate */
    for (int h = 0; h < HOME__MAX; h++) {
        int first = 0;
        for (int k = 0; k < h; k++)
            first += n_companies[k];
        int order[MAX_COMPANIES], n = 0, next = 0;
        for (int i = 0; i < n_companies[h]; i++)
            if (strcmp(d->co[first + i].name, SHOWCASE_COMPANY))
                order[n++] = first + i;
        shuffle(r, order, n);
        for (size_t k = 0; k < sizeof plan / sizeof plan[0]; k++) {
            for (int j = 0; j < plan[k].count[h]; j++) {
                int showcase = h == HOME_SE && plan[k].status == P_FILLED && j == 0;
                int company = showcase ? 0 : order[next++ % n];
                gen_position(d, company, plan[k].cohort, plan[k].status);
                int pidx = d->npos - 1;
                if (showcase && plan[k].cohort == 2) {
                    /* The showcase trainee's position asks for German: she has B2. */
                    struct position *p = &d->pos[pidx];
                    p->nm = 0;
                    p->markets[p->nm++] = country_code("DE");
                    p->markets[p->nm++] = country_code("AT");
                    p->nreq = 0;
                    p->req[p->nreq].code = "de";
                    p->req[p->nreq++].rank = B2;
                    p->req[p->nreq].code = "en";
                    p->req[p->nreq++].rank = B2;
                    snprintf(p->title, sizeof p->title, "Export Sales Trainee – Germany and Austria");
                    snprintf(p->description, sizeof p->description,
                             "Norrland Pumpteknik AB in Sundsvall makes centrifugal pumps for water utilities and "
                             "industry and sells them across the Nordics and Poland. As our export trainee you open "
                             "Germany and Austria: map distributors and engineering contractors, qualify leads, "
                             "prepare our stand at IFAT Munich and follow up until the first orders. You work "
                             "with our export manager Karin Holm. Languages: German B2 and English B2 or better.");
                }
                gen_applications(d, pidx, showcase && plan[k].cohort == 2 ? showcase_grad : -1);
            }
        }
    }
    /* The showcase trainee also interviewed elsewhere, and withdrew once she accepted. */
    for (int p = 0; p < d->npos; p++) {
        struct position *pos = &d->pos[p];
        if (pos->status == P_OPEN && d->co[pos->company].home == HOME_SE && fits(&d->gr[showcase_grad], pos) &&
            !applied_to(d, showcase_grad, p)) {
            struct application *a = add_app(d, showcase_grad, p, S_WITHDRAWN, S_INTERVIEW);
            if (a)
                a->note = "Withdrew after accepting the offer from " SHOWCASE_COMPANY ".";
            break;
        }
    }
    /* Graduates' own ranking of their live applications. */
    for (int g = 0; g < d->ngr; g++) {
        int rank = 1;
        for (int i = 0; i < d->napp; i++)
            if (d->app[i].grad == g && d->app[i].stage >= S_INTERVIEW && d->app[i].stage <= S_ACCEPTED)
                d->app[i].grank = rank++;
    }
    return 0;
}
