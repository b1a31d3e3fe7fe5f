/* Unit tests of the trade core: the BACI row parser, both dictionary layouts,
 * the table builder's checks, the toy vector of the reference note, import
 * CAGR, and the invariant that the potential over all products adds up to the
 * home country's actual exports to each market (real BACI extract). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/trade/rank.h"
#include "core/trade/trade.h"

static int parse(const char *line, struct baci_row *r, const char **why)
{
    *why = NULL;
    return baci_parse_line(line, line + strlen(line), r, why);
}

static void test_parse_rows(void **state)
{
    (void)state;
    struct baci_row r;
    const char *why;
    assert_int_equal(parse("2018,4,124,030627,2.281,0.15", &r, &why), 0);
    assert_int_equal(r.t, 2018);
    assert_int_equal(r.i, 4);
    assert_int_equal(r.j, 124);
    assert_int_equal(r.k, 30627);
    assert_int_equal(r.v, 2281);
    assert_int_equal(r.q, 150);
    /* dropped leading zero, CRLF, NA, empty and space-padded quantities */
    assert_int_equal(parse("2018,4,124,30627,2.281,NA\r", &r, &why), 0);
    assert_int_equal(r.k, 30627);
    assert_int_equal(r.q, TRADE_Q_NA);
    assert_int_equal(parse("2018,4,124,030627,1,", &r, &why), 0);
    assert_int_equal(r.q, TRADE_Q_NA);
    assert_int_equal(parse("2018,4,124,030627,1,   NA", &r, &why), 0);
    assert_int_equal(r.q, TRADE_Q_NA);
    assert_int_equal(parse("2018, 4, 124, 030627, 0.0015 ,  12 ", &r, &why), 0);
    assert_int_equal(r.v, 2);        /* 0.0015 thousand USD rounds to USD 2 */
    assert_int_equal(r.q, 12000);
    assert_int_equal(parse("2018,4,124,030627,1.5e3,NA", &r, &why), 0);
    assert_int_equal(r.v, 1500000);
    /* errors name the column */
    assert_int_equal(parse("2018,4,124,030627,-1,2", &r, &why), -1);
    assert_string_equal(why, "column v (value) is negative");
    assert_int_equal(parse("2018,4,124,0306271,1,2", &r, &why), -1);
    assert_non_null(strstr(why, "column k"));
    assert_int_equal(parse("2018,4,124", &r, &why), -1);
    assert_non_null(strstr(why, "column j"));
    assert_int_equal(parse("2018,4,124,030627,1,x", &r, &why), -1);
    assert_non_null(strstr(why, "column q"));
    const char *h = "\xEF\xBB\xBFt,i,j,k,v,q\r";
    assert_true(baci_is_header(h, h + strlen(h)));
    const char *q = "\"t\",\"i\",\"j\",\"k\",\"v\",\"q\"";
    assert_true(baci_is_header(q, q + strlen(q)));
    const char *no = "t,i,j,k,v";
    assert_false(baci_is_header(no, no + strlen(no)));
    assert_int_equal(baci_revision_from_name("/x/BACI_HS17_Y2022_V202501.csv"), 17);
    assert_int_equal(baci_revision_from_name("flows2018.csv"), -1);
}

static void test_dictionaries(void **state)
{
    (void)state;
    struct trade_dict d;
    struct tb_err err = {0};
    const char old[] = "\xEF\xBB\xBF" "country_code,country_name_abbreviation,country_name_full,"
                       "iso_2digit_alpha,iso_3digit_alpha\r\n"
                       "251,France,France,FR,FRA\r\n"
                       "490,\"Other Asia, nes\",\"Other Asia, not elsewhere specified\",N/A,N/A\r\n"
                       "697,\"Europe EFTA, nes\",\"Europe EFTA, nes\",N/A,N/A\r\n";
    trade_dict_init(&d);
    assert_int_equal(trade_dict_parse(&d, old, sizeof old - 1, 1, &err), 0);
    assert_string_equal(trade_dict_get(&d, 251)->iso3, "FRA");
    assert_string_equal(trade_dict_get(&d, 490)->iso3, "TWN");
    assert_true(trade_dict_get(&d, 490)->rankable);
    assert_false(trade_dict_get(&d, 697)->rankable);
    assert_null(trade_dict_get(&d, 842));
    const char newer[] = "country_code,country_name,country_iso2,country_iso3\n"
                         "842,USA,US,USA\n711,Southern African Customs Union (...1999),,ZA1\n";
    assert_int_equal(trade_dict_parse(&d, newer, sizeof newer - 1, 1, &err), 0);
    assert_string_equal(trade_dict_get(&d, 842)->iso2, "US");
    assert_false(trade_dict_get(&d, 711)->rankable);
    const char bad[] = "code,name\n1,x\n";
    assert_int_equal(trade_dict_parse(&d, bad, sizeof bad - 1, 1, &err), -1);
    assert_non_null(strstr(err.message, "country_code"));
    /* the built-in one knows both Italy codes */
    assert_int_equal(trade_dict_default(&d, &err), 0);
    assert_string_equal(trade_dict_get(&d, 381)->iso3, "ITA");
    assert_string_equal(trade_dict_get(&d, 380)->iso3, "ITA");
}

/* Countries A=1, B=2, C=3; products p=010101, q=010102. */
static void toy_dict(struct trade_dict *d)
{
    const char txt[] = "country_code,country_name,country_iso2,country_iso3\n"
                       "1,A,AA,AAA\n2,B,BB,BBB\n3,C,CC,CCC\n";
    struct tb_err err = {0};
    trade_dict_init(d);
    assert_int_equal(trade_dict_parse(d, txt, sizeof txt - 1, 1, &err), 0);
}

static struct trade_builder *build(const struct trade_dict *d, const char *const *rows,
                                   struct trade_year *y)
{
    struct trade_builder *b = trade_builder_new(d, 12, NULL);
    char why[200];
    for (; *rows; rows++) {
        struct baci_row r;
        const char *w;
        assert_int_equal(parse(*rows, &r, &w), 0);
        assert_int_equal(trade_builder_add(b, &r, why, sizeof why), 0);
    }
    struct tb_err err = {0};
    assert_int_equal(trade_builder_finish(b, y, &err), 0);
    return b;
}

/* The API's markets text (trade_markets_text) holds exactly the values of
 * trade_result_json's "markets" array: same keys, numbers and strings. */
static void check_markets_text(const struct trade_result *r, int limit)
{
    struct arena *ta = arena_new(0);
    struct abuf b;
    abuf_init(&b, ta, 64 << 20);
    assert_int_equal(trade_markets_text(r, limit, &b), 0);
    json_error_t je;
    json_t *text = json_loads(abuf_cstr(&b), 0, &je), *tree = trade_result_json(r, "010101", 17, limit);
    if (!text)
        fail_msg("markets text does not parse: %s at %d", je.text, je.position);
    assert_true(json_equal(text, json_object_get(tree, "markets")));
    for (const char *c = abuf_cstr(&b); *c; c++)   /* ASCII, as the server sends JSON */
        assert_true((unsigned char)*c < 0x80);
    json_decref(text);
    json_decref(tree);
    arena_free(ta);
}

static const struct trade_market *find(const struct trade_result *r, const char *iso3,
                                       uint32_t hs6)
{
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->m[i].iso3, iso3) && r->m[i].hs6 == hs6)
            return &r->m[i];
    fail_msg("no row for %s %06u", iso3, (unsigned)hs6);
    return NULL;
}

/* The toy vector of the research note: A exports p and q to B and C. */
static const char *const toy_rows[] = {
    "2018,1,2,010101,60,1", "2018,1,3,010101,20,1", "2018,2,1,010101,10,1",
    "2018,2,3,010101,10,1", "2018,3,2,010101,30,1", "2018,1,2,010102,20,1",
    "2018,2,1,010102,30,1", "2018,2,3,010102,50,1", "2018,3,1,010102,40,1",
    "2018,3,2,010102,30,1", NULL};

static void test_toy_vector(void **state)
{
    (void)state;
    struct trade_dict d;
    toy_dict(&d);
    struct trade_year y;
    struct trade_builder *b = build(&d, toy_rows, &y);
    const struct trade_year *years[] = {&y};
    struct trade_range all = {10000, 999999};
    struct trade_query q = {.years = years, .n_years = 1, .home = "AAA", .ranges = &all,
                            .n_ranges = 1, .per_product = 1};
    trade_weights_default(&q.weights);
    struct arena *a = arena_new(0);
    struct trade_result r;
    struct tb_err err = {0};
    assert_int_equal(trade_rank(&q, a, &r, &err), 0);
    assert_int_equal(r.n, 4);
    const struct trade_market *bp = find(&r, "BBB", 10101), *bq = find(&r, "BBB", 10102);
    const struct trade_market *cp = find(&r, "CCC", 10101), *cq = find(&r, "CCC", 10102);
    assert_float_equal(bp->supply, 80.0 / 130, 1e-12);
    assert_float_equal(bq->supply, 20.0 / 170, 1e-12);
    assert_float_equal(bp->import_value, 90, 1e-12);
    assert_float_equal(bp->ease, 1.305761, 5e-7);
    assert_float_equal(cp->ease, 0.821561, 5e-7);
    assert_float_equal(bp->potential, 72.3191, 5e-5);
    assert_float_equal(bp->untapped, 12.3191, 5e-5);
    assert_float_equal(bq->potential, 7.6809, 5e-5);
    assert_float_equal(bq->untapped, 0, 0);
    assert_float_equal(cp->potential, 15.1673, 5e-5);
    assert_float_equal(cp->untapped, 0, 0);
    assert_float_equal(cq->potential, 4.8327, 5e-5);
    assert_float_equal(cq->untapped, 4.8327, 5e-5);
    /* potential over both products = A's actual exports: 80 to B, 20 to C */
    assert_float_equal(bp->potential + bq->potential, 80, 1e-9);
    assert_float_equal(cp->potential + cq->potential, 20, 1e-9);
    arena_free(a);
    trade_builder_free(b);
}

/* Tariffs entered by a person correct the demand, TA = ((1+t)/(1+t_ref))^-sigma,
 * only where they apply (market, origin, HS prefix), and the explanation says so. */
/* Text the markets carry (explanations, tariff sources) keeps every character,
 * quotes and control characters escaped, non-ASCII as \u escapes. */
static void test_markets_text_strings(void **state)
{
    (void)state;
    struct trade_market m = {.rank = 1, .code = 384, .iso2 = "CI", .iso3 = "CIV", .import_value = 1234.5678,
                             .home_share = -0.0000004, .hhi = NAN, .gdp = 3e17, .score = 55.55,
                             .potential = 9.1e15, .untapped = INFINITY, .pct = {0.5, NAN, -INFINITY}};
    snprintf(m.explanation, sizeof m.explanation, "C\xc3\xb4te d\xe2\x80\x99Ivoire \xf0\x9f\x90\x9f \"q\" \\ \t%%");
    memcpy(m.why, m.explanation, strlen(m.explanation) + 1);
    struct trade_result r = {.n = 1, .m = &m, .home_iso3 = "VNM"};
    check_markets_text(&r, -1);
}

static void test_tariffs(void **state)
{
    (void)state;
    struct trade_dict d;
    toy_dict(&d);
    struct trade_year y;
    struct trade_builder *b = build(&d, toy_rows, &y);
    const struct trade_year *years[] = {&y};
    struct trade_range all = {10000, 999999};
    struct trade_tariff t[3];
    struct tb_err err = {0};
    json_t *o = json_pack("{s:s, s:s, s:f, s:s, s:s}", "market", "BB", "product", "010101", "rate_pct", 10.0,
                          "source", "Test schedule", "as_of", "2026-01-01");
    assert_int_equal(trade_tariff_from_json(o, &t[0], &err), 0);
    json_object_set_new(o, "product", json_string("01"));
    json_object_set_new(o, "market", json_string("CC"));
    json_object_set_new(o, "origin", json_string("BB"));     /* for goods from B only: not A's */
    assert_int_equal(trade_tariff_from_json(o, &t[1], &err), 0);
    json_object_set_new(o, "origin", json_null());
    json_object_set_new(o, "product", json_string("0101"));
    json_object_set_new(o, "rate_pct", json_real(5));
    json_object_set_new(o, "reference_pct", json_real(5));   /* what everyone pays: no effect */
    assert_int_equal(trade_tariff_from_json(o, &t[2], &err), 0);
    assert_float_equal(trade_tariff_factor(&t[0]), pow(1.1, -4), 1e-12);
    assert_float_equal(trade_tariff_factor(&t[2]), 1, 1e-12);
    assert_ptr_equal(trade_tariff_find(t, 3, "CC", "AA", 10101), &t[2]);
    assert_ptr_equal(trade_tariff_find(t, 3, "CC", "BB", 10101), &t[2]);   /* longer prefix wins */
    assert_null(trade_tariff_find(t, 3, "BB", "AA", 10102));
    json_object_set_new(o, "product", json_string("0101x"));
    assert_int_equal(trade_tariff_from_json(o, &t[2], &err), -1);
    assert_string_equal(err.field, "product");
    json_decref(o);

    struct trade_query q = {.years = years, .n_years = 1, .home = "AAA", .ranges = &all,
                            .n_ranges = 1, .per_product = 1, .tariffs = t, .n_tariffs = 2};
    trade_weights_default(&q.weights);
    struct arena *a = arena_new(0);
    struct trade_result r;
    assert_int_equal(trade_rank(&q, a, &r, &err), 0);
    const struct trade_market *bp = find(&r, "BBB", 10101), *bq = find(&r, "BBB", 10102);
    const struct trade_market *cp = find(&r, "CCC", 10101);
    assert_float_equal(bp->potential, 72.3191 * pow(1.1, -4), 5e-5);
    assert_float_equal(bp->import_value, 90, 1e-12);            /* the raw figure stays */
    assert_float_equal(bp->demand, 90 * pow(1.1, -4), 1e-9);
    assert_ptr_equal(bp->tariff, &t[0]);
    check_markets_text(&r, -1);
    assert_non_null(strstr(bp->explanation, "tariff 10% entered (Test schedule, 2026-01-01) lowers the potential by 32%"));
    assert_float_equal(bq->potential, 7.6809, 5e-5);             /* another product: untouched */
    assert_null(bq->tariff);
    assert_float_equal(cp->potential, 15.1673, 5e-5);            /* origin B only: untouched */
    assert_null(strstr(cp->explanation, "tariff"));
    /* HS4 product set: the tariff on one of its HS6 codes weighs by that code's imports */
    q.per_product = 0;
    arena_reset(a);
    assert_int_equal(trade_rank(&q, a, &r, &err), 0);
    const struct trade_market *bb = find(&r, "BBB", 0);
    assert_float_equal(bb->demand, 90 * pow(1.1, -4) + 50, 1e-9);
    assert_float_equal(bb->tariff_factor, (90 * pow(1.1, -4) + 50) / 140, 1e-12);
    arena_free(a);
    trade_builder_free(b);
}

static void test_import_cagr(void **state)
{
    (void)state;
    static const char *const y13[] = {"2013,1,2,010101,0.100,1", NULL};
    static const char *const y18[] = {"2018,3,2,010101,0.150,1", NULL};
    struct trade_dict d;
    toy_dict(&d);
    struct trade_year a13, a18;
    struct trade_builder *b1 = build(&d, y13, &a13), *b2 = build(&d, y18, &a18);
    const struct trade_year *years[] = {&a13, &a18};
    struct trade_range p = {10101, 10101};
    struct trade_query q = {.years = years, .n_years = 2, .home = "CC", .ranges = &p,
                            .n_ranges = 1};
    trade_weights_default(&q.weights);
    struct arena *a = arena_new(0);
    struct trade_result r;
    struct tb_err err = {0};
    assert_int_equal(trade_rank(&q, a, &r, &err), 0);
    const struct trade_market *m = find(&r, "BBB", 0);
    assert_float_equal(m->import_cagr, 0.084472, 5e-7);
    assert_float_equal(m->import_value, 0.125, 1e-12);     /* average of the two years */
    assert_float_equal(m->home_share, 0.6, 1e-12);
    assert_int_equal(m->suppliers, 2);
    assert_float_equal(m->hhi, 0.4 * 0.4 + 0.6 * 0.6, 1e-12);
    /* a home country without trade is an error naming it */
    q.home = "ZZZ";
    assert_int_equal(trade_rank(&q, a, &r, &err), -1);
    assert_non_null(strstr(err.message, "ZZZ"));
    arena_free(a);
    trade_builder_free(b1);
    trade_builder_free(b2);
}

static void test_builder_rejects(void **state)
{
    (void)state;
    struct trade_dict d;
    toy_dict(&d);
    struct trade_builder *b = trade_builder_new(&d, 12, NULL);
    char why[200];
    struct baci_row r = {2018, 1, 2, 10101, 1000, 1};
    assert_int_equal(trade_builder_add(b, &r, why, sizeof why), 0);
    r.j = 9;
    assert_int_equal(trade_builder_add(b, &r, why, sizeof why), -1);
    assert_string_equal(why, "unknown importer code 9 (not in the country dictionary)");
    r.j = 2;
    r.t = 2019;
    assert_int_equal(trade_builder_add(b, &r, why, sizeof why), -1);
    assert_non_null(strstr(why, "year 2019"));
    r.t = 2018;
    r.v = TRADE_MAX_V_MILLI + 1;
    assert_int_equal(trade_builder_add(b, &r, why, sizeof why), -1);
    assert_non_null(strstr(why, "absurd"));
    r.v = 1;
    r.j = 1;
    assert_int_equal(trade_builder_add(b, &r, why, sizeof why), -1);
    assert_non_null(strstr(why, "same country"));
    r.j = 2;
    r.k = 999;
    assert_int_equal(trade_builder_add(b, &r, why, sizeof why), -1);
    assert_non_null(strstr(why, "not an HS12 code"));
    assert_int_equal(trade_builder_rows(b), 1);
    trade_builder_free(b);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static void test_invariant_real_data(void **state)
{
    (void)state;
    const char *src = getenv("TB_SOURCE_DIR");
    assert_non_null(src);
    char path[4096];
    snprintf(path, sizeof path, "%s/data/trade/baci/BACI_HS12_Y2018_shrimp6.csv", src);
    size_t len;
    char *buf = slurp(path, &len);
    struct trade_dict d;
    struct tb_err err = {0};
    assert_int_equal(trade_dict_default(&d, &err), 0);
    /* 2018 as published, and a 2019 with other shares (value x1, x2 or x3 by exporter) */
    struct trade_builder *b = trade_builder_new(&d, 12, NULL), *b2 = trade_builder_new(&d, 12, NULL);
    char *p = strchr(buf, '\n') + 1, why[200];
    while (*p) {
        char *nl = strchr(p, '\n');
        struct baci_row r;
        const char *w;
        assert_int_equal(baci_parse_line(p, nl, &r, &w), 0);
        assert_int_equal(trade_builder_add(b, &r, why, sizeof why), 0);
        r.t = 2019;
        r.v *= 1 + r.i % 3;
        assert_int_equal(trade_builder_add(b2, &r, why, sizeof why), 0);
        p = nl + 1;
    }
    struct trade_year y, y2;
    assert_int_equal(trade_builder_finish(b, &y, &err), 0);
    assert_int_equal(trade_builder_finish(b2, &y2, &err), 0);
    assert_int_equal(y.n_flows, 8750);
    const struct trade_year *years[] = {&y, &y2};
    struct trade_range all = {10000, 999999};
    static const char *const homes[] = {"VNM", "IN", "ECU", "USA", "THA"};
    struct arena *a = arena_new(0);
    for (int n = 0; n < 10; n++) {      /* one year (H from import), then both (pooled) */
        struct trade_query q = {.years = years, .n_years = 1 + n / 5, .home = homes[n % 5],
                                .ranges = &all, .n_ranges = 1, .per_product = 1};
        trade_weights_default(&q.weights);
        struct trade_result r;
        assert_int_equal(trade_rank(&q, a, &r, &err), 0);
        check_markets_text(&r, n == 3 ? 7 : -1);
        int checked = 0;
        for (int i = 0; i < r.n; i++) {
            double pot = 0, act = 0;
            if (r.m[i].hs6 != 30617)
                continue;
            for (int k = 0; k < r.n; k++)
                if (r.m[k].code == r.m[i].code) {
                    pot += r.m[k].potential;
                    act += r.m[k].home_exports;
                }
            /* act: home's exports to the market over all six codes = A_hj */
            assert_float_equal(pot, act, 1e-9 * (act + 1));
            checked++;
        }
        assert_true(checked > 50);
        arena_reset(a);
    }
    trade_builder_free(b2);
    arena_free(a);
    trade_builder_free(b);
    free(buf);
}

static void test_weights(void **state)
{
    (void)state;
    struct trade_weights w;
    struct tb_err err = {0};
    trade_weights_default(&w);
    assert_int_equal(trade_weights_parse(&w, "size=0.5,distance=0", &err), 0);
    assert_float_equal(w.size, 0.5, 0);
    assert_float_equal(w.distance, 0, 0);
    assert_float_equal(w.growth, 0.15, 0);
    assert_int_equal(trade_weights_parse(&w, "colour=1", &err), -1);
    assert_string_equal(err.field, "weights");
    assert_int_equal(trade_weights_parse(&w, "size=-1", &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_rows),
        cmocka_unit_test(test_dictionaries),
        cmocka_unit_test(test_toy_vector),
        cmocka_unit_test(test_import_cagr),
        cmocka_unit_test(test_tariffs),
        cmocka_unit_test(test_markets_text_strings),
        cmocka_unit_test(test_builder_rejects),
        cmocka_unit_test(test_invariant_real_data),
        cmocka_unit_test(test_weights),
    };
    return cmocka_run_group_tests_name("trade", tests, NULL, NULL);
}
