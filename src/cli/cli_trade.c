/*
 * cli_trade.c - `tradebridge trade ...`: import CEPII BACI years, GeoDist and
 * World Bank files, and rank markets for (home country, product).
 * The only part of the trade feature that does I/O: files (.csv, .csv.gz
 * through zlib, CEPII's .zip through libzip) are streamed in 4 MB chunks into
 * the core row parser and table builder; the result goes to the store's
 * year file (temp + rename, so a failed import changes nothing).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "cli/cli.h"
#include "cli/cli_tariff.h"
#include "core/arena.h"
#include "core/trade/rank.h"
#include "core/trade/trade.h"
#include "store/trade_files.h"

#define CMD "trade"

static const char usage_text[] =
    "usage: tradebridge trade import --db DB [--countries DICT.csv] [--products DICT.csv]\n"
    "                                [--revision HSnn] [--skip-bad] [--quiet] FILE...\n"
    "       tradebridge trade import-geo --db DB DIST_CEPII.csv[.gz]\n"
    "       tradebridge trade import-wdi --db DB [--gdp FILE] [--population FILE]\n"
    "       tradebridge trade rank --db DB --home CC --product HS[,HS...] [--years Y1-Y2]\n"
    "                              [--weights size=.25,growth=.15,...] [--format csv|json]\n"
    "                              [--sort score|import_value|untapped|potential]\n"
    "                              [--per-product] [--columns C1,C2,...] [--limit N]\n"
    "                              [--ease actual|gravity] [--org ORG [--company ID]]\n"
    "       tradebridge trade tariff set --org ORG [--company ID] --market CC --product HS --rate PCT\n"
    "                              --source TEXT --date YYYY-MM-DD [--origin CC] [--reference PCT]\n"
    "                              [--elasticity SIGMA] [--db DB]\n"
    "       tradebridge trade tariff list --org ORG [--company ID] [--format csv|json] [--db DB]\n"
    "       tradebridge trade tariff import --org ORG FILE.csv [--db DB]\n"
    "       tradebridge trade years --db DB\n"
    "       tradebridge trade top --db DB --product HS --side importers|exporters [--year Y] [--limit N]\n"
    "       tradebridge trade products --db DB [--year Y]\n"
    "       tradebridge trade gdp --db DB --from Y1 --to Y2 ISO3...\n"
    "FILE: a BACI yearly file (t,i,j,k,v,q) as .csv, .csv.gz or CEPII's .zip (every\n"
    "BACI_HSnn_Yyyyy_*.csv inside is imported, with the zip's country dictionary).\n"
    "Importing a year again replaces it. Money in thousand USD, shares as fractions.\n"
    "See README.md, 'Which markets to export to', and docs/market-selection.md.\n";

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "tradebridge " CMD ": ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_RUNTIME;
}

/* ---- input streams: plain or gzip (zlib), or a zip member (libzip) ----- */
struct src {
    gzFile gz;
    zip_file_t *zf;
    uint64_t total;                 /* bytes expected (compressed for gz) */
    uint64_t done;
    const char *name;
};

static long src_read(struct src *s, char *buf, size_t n)
{
    if (s->zf) {
        zip_int64_t r = zip_fread(s->zf, buf, n);
        if (r > 0)
            s->done += (uint64_t)r;
        return r < 0 ? -1 : (long)r;
    }
    int r = gzread(s->gz, buf, (unsigned)n);
    if (r >= 0)
        s->done = (uint64_t)gzoffset(s->gz);
    return r;
}

/* 1 when the stream ended on an error (a gzip member cut short, a damaged zip entry). */
static int src_failed(struct src *s)
{
    if (s->zf)
        return 0;                   /* zip_fread reports errors itself (-1, CRC checked) */
    int e;
    gzerror(s->gz, &e);
    return e != Z_OK && e != Z_STREAM_END;
}

static const char *src_error(struct src *s)
{
    if (s->zf)
        return zip_file_strerror(s->zf);
    int e;
    const char *m = gzerror(s->gz, &e);
    return e == Z_BUF_ERROR ? "truncated: the compressed data ends early" : m;
}

/* Whole small file (plain or gzip) into memory. */
static char *slurp(const char *path, size_t *len)
{
    gzFile gz = gzopen(path, "rb");
    const char *why;
    return gz ? cli_gz_slurp(gz, (size_t)1 << 34, len, &why) : NULL;
}

/* ---- progress bar ------------------------------------------------------ */
struct progress {
    int on;
    double start, last;
};

static void progress_draw(struct progress *p, const struct src *s, uint64_t rows, int final)
{
    double t = cli_now();
    if (!p->on || (!final && t - p->last < 0.2))
        return;
    p->last = t;
    double el = t - p->start, frac = s->total ? (double)s->done / (double)s->total : 0;
    if (frac > 1)
        frac = 1;
    int w = 30, fill = (int)(frac * w);
    char bar[32];
    for (int i = 0; i < w; i++)
        bar[i] = i < fill ? '#' : '-';
    bar[w] = '\0';
    double rate = el > 0 ? (double)rows / el : 0;
    double eta = frac > 0.001 ? el * (1 - frac) / frac : 0;
    fprintf(stderr, "\r[%s] %3.0f%% %" PRIu64 " rows %.2f M rows/s ETA %.0fs  %s", bar,
            frac * 100, rows, rate / 1e6, eta, final ? "\n" : "");
    fflush(stderr);
}

/* ---- one BACI source into the store ------------------------------------ */
struct import_opts {
    const struct trade_dict *dict;
    const uint8_t *valid;
    int revision, skip_bad, quiet;
    int products_revision;          /* HSnn in the product dictionary's name, or -1 */
    const char *dir;
};

static int import_stream(const struct import_opts *o, struct src *s, int revision)
{
    struct tb_err err = {0};
    struct trade_stored stored[256];
    int ns = trade_list(o->dir, stored, 256, &err);
    if (ns < 0)
        return cli_fail(CMD, &err);
    for (int i = 0; i < ns; i++)
        if (stored[i].revision != revision)
            return fail("%s: HS%02d differs from the stored years' HS%02d (year %d): every year "
                        "must use one HS revision", s->name, revision, stored[i].revision,
                        stored[i].year);
    if (o->valid && o->products_revision >= 0 && o->products_revision != revision)
        return fail("%s: the file is HS%02d but the product dictionary is HS%02d", s->name,
                    revision, o->products_revision);
    struct trade_builder *b = trade_builder_new(o->dict, revision, o->valid);
    size_t cap = 4 << 20;
    char *buf = malloc(cap + 1);
    if (!b || !buf) {
        trade_builder_free(b);
        free(buf);
        return fail("out of memory");
    }
    struct progress pr = {isatty(2) && !o->quiet, cli_now(), 0};
    double t0 = cli_now();
    size_t have = 0;
    long line = 0;
    uint64_t bad = 0;
    static uint64_t unknown[TRADE_MAX_CODE];      /* rows skipped per unknown country code */
    memset(unknown, 0, sizeof unknown);
    long first_bad = 0;
    char first_why[200] = "";
    int rc = EXIT_OK, header_seen = 0, eof = 0;
    while (!eof && rc == EXIT_OK) {
        long r = src_read(s, buf + have, cap - have);
        if (r < 0 || (r == 0 && src_failed(s))) {
            rc = fail("%s: cannot read: %s", s->name, src_error(s));
            break;
        }
        if (r == 0) {
            eof = 1;
            if (have && buf[have - 1] != '\n')
                buf[have++] = '\n';           /* last line without a newline */
        }
        have += (size_t)r;
        char *p = buf, *end = buf + have;
        for (;;) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl)
                break;
            line++;
            const char *why = NULL;
            char reason[200];
            struct baci_row row;
            if (!header_seen) {
                header_seen = 1;
                if (!baci_is_header(p, nl)) {
                    rc = fail("%s:%ld: not a BACI file: the header must be t,i,j,k,v,q", s->name,
                              line);
                    break;
                }
            } else if (nl == p || (nl == p + 1 && *p == '\r')) {
                /* blank line */
            } else if (baci_parse_line(p, nl, &row, &why) < 0 ||
                       trade_builder_add(b, &row, reason, sizeof reason) < 0) {
                if (why)
                    snprintf(reason, sizeof reason, "%s", why);
                if (!o->skip_bad) {
                    rc = fail("%s:%ld: %s (nothing was stored; --skip-bad skips such rows)",
                              s->name, line, reason);
                    break;
                }
                if (!why && trade_builder_unknown(b) >= 0)
                    unknown[trade_builder_unknown(b)]++;
                if (!bad++) {
                    first_bad = line;
                    snprintf(first_why, sizeof first_why, "%s", reason);
                }
            }
            p = nl + 1;
        }
        have = (size_t)(end - p);
        memmove(buf, p, have);
        if (have == cap && rc == EXIT_OK)
            rc = fail("%s:%ld: a line longer than 4 MB", s->name, line + 1);
        progress_draw(&pr, s, trade_builder_rows(b), 0);
    }
    free(buf);
    if (rc == EXIT_OK && !header_seen)
        rc = fail("%s: empty file", s->name);
    double t_parse = cli_now() - t0;
    struct trade_year y;
    if (rc == EXIT_OK && trade_builder_finish(b, &y, &err) < 0)
        rc = fail("%s: %s", s->name, err.message);
    if (rc == EXIT_OK && trade_write_year(o->dir, &y, &err) < 0)
        rc = cli_fail(CMD, &err);
    if (rc == EXIT_OK) {
        progress_draw(&pr, s, trade_builder_rows(b), 1);
        double el = cli_now() - t0;
        printf("%s: HS%02d %d: %" PRIu64 " flows, %u countries, %u products, %" PRIu64
               " bad rows skipped, %.2f s (%.2f M rows/s; parse %.2f s)\n",
               s->name, y.revision, y.year, y.n_flows, y.n_countries, y.n_products, bad, el,
               el > 0 ? (double)line / el / 1e6 : 0, t_parse);
        if (bad)
            printf("%s: first bad row: line %ld: %s\n", s->name, first_bad, first_why);
        int any = 0;
        for (int c = 0; c < TRADE_MAX_CODE; c++)
            if (unknown[c])
                printf("%s code %d (%" PRIu64 " row%s)", any++ ? "," : "unknown country codes:", c,
                       unknown[c], unknown[c] > 1 ? "s" : "");
        if (any)
            printf(" - not in the country dictionary, not imported\n");
    } else if (pr.on) {
        fputc('\n', stderr);
    }
    trade_builder_free(b);
    return rc;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

static int load_dict_file(struct trade_dict *d, const char *path)
{
    size_t len;
    char *buf = slurp(path, &len);
    if (!buf)
        return fail("cannot read %s: %s", path, strerror(errno ? errno : EIO));
    struct tb_err err = {0};
    trade_dict_init(d);
    int r = trade_dict_parse(d, buf, len, 1, &err);
    free(buf);
    return r < 0 ? fail("%s: %s", path, err.message) : 0;
}

static int import_zip(struct import_opts *o, const char *path, int have_dict)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        int rc = fail("%s: %s", path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    zip_int64_t n = zip_get_num_entries(z, 0);
    struct trade_dict *zd = NULL;
    int rc = EXIT_OK, imported = 0;
    /* the zip's own country dictionary, unless one was given */
    for (zip_int64_t i = 0; i < n && !have_dict && rc == EXIT_OK; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        const char *base = name ? strrchr(name, '/') : NULL;
        base = base ? base + 1 : name;
        if (!base || strncmp(base, "country_codes", 13) || !ends_with(base, ".csv"))
            continue;
        zip_stat_t st;
        zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
        char *buf = NULL;
        if (f && zip_stat_index(z, (zip_uint64_t)i, 0, &st) == 0 && st.size < (64 << 20) &&
            (buf = malloc(st.size + 1)) && zip_fread(f, buf, st.size) == (zip_int64_t)st.size) {
            struct tb_err err = {0};
            zd = malloc(sizeof *zd);
            if (zd) {
                trade_dict_init(zd);
                if (trade_dict_parse(zd, buf, st.size, 1, &err) < 0)
                    rc = fail("%s: %s: %s", path, name, err.message);
                else
                    o->dict = zd;
            }
        } else {
            rc = fail("%s: cannot read %s", path, name);
        }
        free(buf);
        if (f)
            zip_fclose(f);
    }
    for (zip_int64_t i = 0; i < n && rc == EXIT_OK; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        const char *base = name ? strrchr(name, '/') : NULL;
        base = base ? base + 1 : name;
        if (!base || strncmp(base, "BACI_", 5) || !ends_with(base, ".csv"))
            continue;
        int rev = o->revision > 0 ? o->revision : baci_revision_from_name(base);
        if (rev < 0) {
            rc = fail("%s: %s: cannot tell the HS revision from the name; give --revision", path,
                      name);
            break;
        }
        zip_stat_t st;
        zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
        if (!f || zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0) {
            rc = fail("%s: cannot open %s", path, name);
            if (f)
                zip_fclose(f);
            break;
        }
        char label[1024];
        snprintf(label, sizeof label, "%s:%s", path, name);
        struct src s = {.zf = f, .total = st.size, .name = label};
        rc = import_stream(o, &s, rev);
        zip_fclose(f);
        imported++;
    }
    if (rc == EXIT_OK && !imported)
        rc = fail("%s: no BACI_*.csv file inside", path);
    zip_close(z);
    free(zd);
    return rc;
}

static int import_main(int argc, char **argv)
{
    const char *db = NULL, *countries = NULL, *products = NULL;
    struct import_opts o = {0};
    o.revision = -1;
    int nfiles = 0;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    if (!files)
        return fail("out of memory");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!strcmp(a, "--countries") && i + 1 < argc)
            countries = argv[++i];
        else if (!strcmp(a, "--products") && i + 1 < argc)
            products = argv[++i];
        else if (!strcmp(a, "--revision") && i + 1 < argc) {
            const char *r = argv[++i];
            if (!strncasecmp(r, "HS", 2))
                r += 2;
            o.revision = (int)strtol(r, NULL, 10);
            if (strlen(r) != 2 || !isdigit((unsigned char)r[0]) || !isdigit((unsigned char)r[1])) {
                free(files);
                return cli_usage(CMD, "--revision wants HS92, HS12, HS17, HS22 ...");
            }
        } else if (!strcmp(a, "--skip-bad"))
            o.skip_bad = 1;
        else if (!strcmp(a, "--quiet"))
            o.quiet = 1;
        else if (a[0] == '-' && a[1]) {
            free(files);
            return cli_usage(CMD, "unknown option %s", a);
        } else
            files[nfiles++] = a;
    }
    if (!nfiles) {
        free(files);
        return cli_usage(CMD, "import needs at least one FILE");
    }
    struct tb_err err = {0};
    char dir[4096];
    if (trade_dir(dir, sizeof dir, cli_db_path(db), 1, &err) < 0) {
        free(files);
        return cli_fail(CMD, &err);
    }
    o.dir = dir;
    struct trade_dict *dict = malloc(sizeof *dict);
    uint8_t *valid = NULL;
    int rc = EXIT_OK;
    if (!dict)
        rc = fail("out of memory");
    else if (countries)
        rc = load_dict_file(dict, countries);
    else if (trade_dict_default(dict, &err) < 0)
        rc = cli_fail(CMD, &err);
    if (rc == EXIT_OK && products) {
        /* BACI product dictionary: code,description[,...]; HS6 codes of one revision */
        size_t len;
        char *buf = slurp(products, &len);
        valid = calloc(TRADE_MAX_HS6, 1);
        if (!buf || !valid) {
            rc = fail("cannot read %s", products);
        } else {
            long line = 0, n = 0;
            for (char *p = buf; *p && rc == EXIT_OK;) {
                char *nl = strchr(p, '\n');
                line++;
                if (line > 1 || isdigit((unsigned char)*p)) {
                    char *e;
                    while (*p == '"')
                        p++;
                    long k = strtol(p, &e, 10);
                    if (e != p && (*e == ',' || *e == '"') && k >= 10000 && k < TRADE_MAX_HS6) {
                        valid[k] = 1;
                        n++;
                    } else if (p != nl && *p != '\r') {
                        rc = fail("%s:%ld: not an HS6 code", products, line);
                    }
                }
                p = nl ? nl + 1 : p + strlen(p);
            }
            if (rc == EXIT_OK && n == 0)
                rc = fail("%s: no product codes", products);
        }
        free(buf);
        o.valid = valid;
        o.products_revision = baci_revision_from_name(products);
    }
    o.dict = dict;
    for (int f = 0; f < nfiles && rc == EXIT_OK; f++) {
        const char *path = files[f];
        if (ends_with(path, ".zip")) {
            rc = import_zip(&o, path, countries != NULL);
            o.dict = dict;
            continue;
        }
        int rev = o.revision > 0 ? o.revision : baci_revision_from_name(path);
        if (rev < 0) {
            rc = fail("%s: cannot tell the HS revision from the file name; give --revision HSnn",
                      path);
            break;
        }
        struct stat st;
        gzFile gz = gzopen(path, "rb");
        if (!gz || stat(path, &st) < 0) {
            rc = fail("cannot open %s: %s", path, strerror(errno ? errno : ENOENT));
            if (gz)
                gzclose(gz);
            break;
        }
        gzbuffer(gz, 1 << 20);
        struct src s = {.gz = gz, .total = (uint64_t)st.st_size, .name = path};
        rc = import_stream(&o, &s, rev);
        gzclose(gz);
    }
    free(valid);
    free(dict);
    free(files);
    return rc;
}

/* ---- GeoDist and World Bank --------------------------------------------- */
static int import_geo_main(int argc, char **argv)
{
    const char *db = NULL, *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (argv[i][0] == '-')
            return cli_usage(CMD, "unknown option %s", argv[i]);
        else
            file = argv[i];
    }
    if (!file)
        return cli_usage(CMD, "import-geo needs the dist_cepii file");
    struct tb_err err = {0};
    char dir[4096];
    if (trade_dir(dir, sizeof dir, cli_db_path(db), 1, &err) < 0)
        return cli_fail(CMD, &err);
    size_t len;
    char *buf = slurp(file, &len);
    if (!buf)
        return fail("cannot read %s", file);
    struct trade_geo g;
    int r = trade_geo_parse(&g, buf, len, &err);
    free(buf);
    if (r < 0)
        return fail("%s: %s", file, err.message);
    r = trade_write_geo(dir, &g, &err);
    if (r == 0)
        printf("%s: distances between %d countries\n", file, g.n);
    trade_geo_free(&g);
    return r < 0 ? cli_fail(CMD, &err) : EXIT_OK;
}

static int import_wdi_main(int argc, char **argv)
{
    const char *db = NULL, *gdp = NULL, *pop = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!strcmp(argv[i], "--gdp") && i + 1 < argc)
            gdp = argv[++i];
        else if (!strcmp(argv[i], "--population") && i + 1 < argc)
            pop = argv[++i];
        else
            return cli_usage(CMD, "unknown argument %s", argv[i]);
    }
    if (!gdp && !pop)
        return cli_usage(CMD, "import-wdi needs --gdp FILE and/or --population FILE");
    struct tb_err err = {0};
    char dir[4096];
    if (trade_dir(dir, sizeof dir, cli_db_path(db), 1, &err) < 0)
        return cli_fail(CMD, &err);
    struct trade_wdi w;
    if (trade_read_wdi(dir, &w, &err) < 0)
        return cli_fail(CMD, &err);
    const char *files[2] = {gdp, pop};
    int rc = EXIT_OK;
    for (int s = 0; s < 2 && rc == EXIT_OK; s++) {
        if (!files[s])
            continue;
        size_t len;
        char *buf = slurp(files[s], &len);
        if (!buf) {
            rc = fail("cannot read %s", files[s]);
            break;
        }
        if (trade_wdi_parse(&w, s ? TRADE_WDI_POP : TRADE_WDI_GDP, buf, len, &err) < 0)
            rc = fail("%s: %s", files[s], err.message);
        free(buf);
    }
    if (rc == EXIT_OK && trade_write_wdi(dir, &w, &err) < 0)
        rc = cli_fail(CMD, &err);
    if (rc == EXIT_OK)
        printf("World Bank series: %d country-years stored\n", w.n);
    trade_wdi_free(&w);
    return rc;
}

/* ---- reading the store ---------------------------------------------------- */
static int load(struct trade_set *L, const char *db, int y1, int y2, int extras)
{
    struct tb_err err = {0};
    char dir[4096];
    memset(L, 0, sizeof *L);
    if (trade_dir(dir, sizeof dir, cli_db_path(db), 0, &err) < 0 ||
        trade_set_open(dir, y1, y2, extras, L, &err) < 0)
        return cli_fail(CMD, &err);
    return 0;
}

/* ---- rank output -------------------------------------------------------- */
static const char default_columns[] =
    "rank,code,iso3,import_value,import_cagr,home_exports,home_share,suppliers,hhi,distw_km,gdp,"
    "gdp_pc_growth,unit_value,supply,demand,ease,ease_estimated,potential,untapped,reexport_hub,score,"
    "explanation";

/* One CSV cell: money with 3 decimals, fractions with 6, distances as GeoDist writes them. */
static void print_value(FILE *f, const struct trade_column *c, const struct trade_market *m)
{
    const char *p = (const char *)m + c->off;
    double d = 0;
    if (c->kind != TRADE_COL_INT && c->kind != TRADE_COL_TEXT && c->kind != TRADE_COL_HS6) {
        memcpy(&d, p, sizeof d);
        if (isnan(d))
            return;                 /* unknown: empty cell */
    }
    switch (c->kind) {
    case TRADE_COL_INT: {
        int v;
        memcpy(&v, p, sizeof v);
        fprintf(f, "%d", v);
        break;
    }
    case TRADE_COL_HS6: {
        uint32_t v;
        memcpy(&v, p, sizeof v);
        fprintf(f, "%06u", (unsigned)v);
        break;
    }
    case TRADE_COL_MONEY: fprintf(f, "%.3f", d); break;
    case TRADE_COL_FRAC: fprintf(f, "%.6f", d); break;
    case TRADE_COL_KM: fprintf(f, "%.7g", d); break;
    case TRADE_COL_BIG: fprintf(f, "%.0f", d); break;
    case TRADE_COL_TEXT:
        if (strchr(p, ',') || strchr(p, '"')) {
            fputc('"', f);
            for (; *p; p++) {
                if (*p == '"')
                    fputs("\"\"", f);
                else
                    fputc(*p, f);
            }
            fputc('"', f);
        } else {
            fputs(p, f);
        }
        break;
    }
}

static int rank_main(int argc, char **argv)
{
    const char *db = NULL, *home = NULL, *product = NULL, *years = NULL, *weights = NULL;
    const char *format = "csv", *sort = "score", *cols = default_columns, *ease = NULL;
    const char *org = NULL, *company = NULL;
    int per_product = 0;
    long limit = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--per-product")) {
            per_product = 1;
            continue;
        }
        if (!v)
            return cli_usage(CMD, "%s needs a value", a);
        i++;
        if (!strcmp(a, "--db")) db = v;
        else if (!strcmp(a, "--home")) home = v;
        else if (!strcmp(a, "--product")) product = v;
        else if (!strcmp(a, "--years")) years = v;
        else if (!strcmp(a, "--weights")) weights = v;
        else if (!strcmp(a, "--format")) format = v;
        else if (!strcmp(a, "--sort")) sort = v;
        else if (!strcmp(a, "--ease")) ease = v;
        else if (!strcmp(a, "--columns")) cols = v;
        else if (!strcmp(a, "--limit")) limit = strtol(v, NULL, 10);
        else if (!strcmp(a, "--org")) org = v;
        else if (!strcmp(a, "--company")) company = v;
        else return cli_usage(CMD, "unknown option %s", a);
    }
    if (!home || !product)
        return cli_usage(CMD, "rank needs --home CC and --product HS");
    struct tb_err err = {0};
    struct trade_request in = {home, product, years, sort, weights, ease};
    static struct trade_params par;
    if (trade_params_parse(&in, &par, &err) < 0)
        return cli_usage(CMD, "%s%s", strcmp(err.field, "weights") ? "--" : "", err.message);
    int json = !strcmp(format, "json");
    if (!json && strcmp(format, "csv"))
        return cli_usage(CMD, "--format is csv or json");
    struct trade_query q = {.sort = par.sort, .weights = par.weights, .ranges = par.ranges,
                            .n_ranges = par.n_ranges, .ease_fallback = par.ease_fallback};
    const struct trade_column *sel[TRADE_N_COLUMNS * 2];
    int nsel = 0;
    for (const char *p = cols; *p && nsel < TRADE_N_COLUMNS * 2;) {
        size_t len = strcspn(p, ",");
        int found = 0;
        for (int c = 0; c < TRADE_N_COLUMNS; c++)
            if (strlen(trade_columns[c].name) == len && !strncmp(trade_columns[c].name, p, len)) {
                sel[nsel++] = &trade_columns[c];
                found = 1;
            }
        if (!found)
            return cli_usage(CMD, "unknown column '%.*s'", (int)len, p);
        p += len;
        if (*p)
            p++;
    }

    if (company && !org)
        return cli_usage(CMD, "--company needs --org");
    struct trade_tariff *tariffs = NULL;      /* the operator's (and the company's) entered tariffs */
    if (org) {
        struct store *st = cli_open_store(CMD, cli_db_path(db));
        if (!st)
            return EXIT_RUNTIME;
        int64_t org_id;
        int r = cli_resolve_org(st, org, &org_id, &err);
        if (r < 0 && err.status == 404)
            tb_error(&err, TB_E_NOT_FOUND, "org", "--org: no organization '%s'", org);
        if (r == 0)
            r = cli_tariffs_load(st, org_id, company ? strtoll(company, NULL, 10) : 0, &tariffs, &q.n_tariffs, &err);
        store_close(st);
        if (r < 0) {
            free(tariffs);
            return cli_fail(CMD, &err);
        }
        q.tariffs = tariffs;
    }
    static struct trade_set L;
    if (load(&L, db, par.y1, par.y2, 1) != 0) {
        trade_set_close(&L);
        free(tariffs);
        return EXIT_RUNTIME;
    }
    q.years = L.y;
    q.n_years = L.n;
    q.home = par.home;
    q.per_product = per_product;
    q.geo = &L.geo;
    q.wdi = &L.wdi;
    struct arena *a = cli_arena_new("trade", 0);
    struct trade_result r;
    int rc = EXIT_OK;
    if (!a || trade_rank(&q, a, &r, &err) < 0) {
        rc = cli_fail(CMD, &err);
    } else {
        int n = limit >= 0 && limit < r.n ? (int)limit : r.n;
        if (json) {
            json_t *doc = trade_result_json(&r, product, L.y[0]->revision, n);
            if (cols != default_columns) {       /* --columns: keep only those keys */
                size_t i;
                json_t *mk;
                json_array_foreach(json_object_get(doc, "markets"), i, mk) {
                    const char *key;
                    json_t *v, *keep = json_object();
                    json_object_foreach(mk, key, v) {
                        for (int c = 0; c < nsel; c++)
                            if (!strcmp(sel[c]->name, key))
                                json_object_set(keep, key, v);
                    }
                    json_object_clear(mk);
                    json_object_update(mk, keep);
                    json_decref(keep);
                }
            }
            json_dumpf(doc, stdout, JSON_COMPACT | JSON_REAL_PRECISION(15));
            putchar('\n');
            json_decref(doc);
        } else {
            for (int c = 0; c < nsel; c++)
                printf("%s%s", c ? "," : "", sel[c]->name);
            putchar('\n');
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < nsel; c++) {
                    if (c)
                        putchar(',');
                    print_value(stdout, sel[c], &r.m[i]);
                }
                putchar('\n');
            }
        }
    }
    arena_free(a);
    trade_set_close(&L);
    free(tariffs);
    return rc;
}

/* ---- simple tables: years, top, products, gdp ------------------------------ */
static int common_opts(int argc, char **argv, const char **db, const char **product,
                       const char **side, int *year, long *limit, int *from, int *to,
                       const char **rest, int *nrest)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (a[0] != '-') {
            if (!rest)
                return cli_usage(CMD, "unexpected argument %s", a);
            rest[(*nrest)++] = a;
            continue;
        }
        if (!v)
            return cli_usage(CMD, "%s needs a value", a);
        i++;
        if (!strcmp(a, "--db")) *db = v;
        else if (!strcmp(a, "--product") && product) *product = v;
        else if (!strcmp(a, "--side") && side) *side = v;
        else if (!strcmp(a, "--year") && year) *year = atoi(v);
        else if (!strcmp(a, "--limit") && limit) *limit = strtol(v, NULL, 10);
        else if (!strcmp(a, "--from") && from) *from = atoi(v);
        else if (!strcmp(a, "--to") && to) *to = atoi(v);
        else return cli_usage(CMD, "unknown option %s", a);
    }
    return 0;
}

static int years_main(int argc, char **argv)
{
    const char *db = NULL;
    int rc = common_opts(argc, argv, &db, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    if (rc)
        return rc;
    static struct trade_set L;
    if (load(&L, db, 1900, 2200, 0) != 0) {
        trade_set_close(&L);
        return EXIT_RUNTIME;
    }
    printf("revision,year,flows,countries,products\n");
    for (int i = 0; i < L.n; i++)
        printf("HS%02d,%d,%" PRIu64 ",%u,%u\n", L.y[i]->revision, L.y[i]->year, L.y[i]->n_flows,
               L.y[i]->n_countries, L.y[i]->n_products);
    trade_set_close(&L);
    return EXIT_OK;
}

struct topv {
    int c;
    int64_t v;
};

static int topv_cmp(const void *a, const void *b)
{
    const struct topv *x = a, *y = b;
    if (x->v != y->v)
        return x->v > y->v ? -1 : 1;
    return x->c - y->c;
}

static int top_main(int argc, char **argv)
{
    const char *db = NULL, *product = NULL, *side = "importers";
    int year = 0;
    long limit = 15;
    int rc = common_opts(argc, argv, &db, &product, &side, &year, &limit, NULL, NULL, NULL, NULL);
    if (rc)
        return rc;
    struct trade_range rg[64];
    int nr = product ? trade_parse_products(product, rg, 64) : -1;
    int exporters = !strcmp(side, "exporters");
    if (nr <= 0 || (!exporters && strcmp(side, "importers")))
        return cli_usage(CMD, "top needs --product HS and --side importers|exporters");
    static struct trade_set L;
    if (load(&L, db, year ? year : 1900, year ? year : 2200, 0) != 0) {
        trade_set_close(&L);
        return EXIT_RUNTIME;
    }
    const struct trade_year *y = L.y[L.n - 1];     /* the latest year asked for */
    struct topv t[TRADE_MAX_COUNTRIES] = {{0, 0}};
    int64_t world = 0;
    for (uint32_t c = 0; c < y->n_countries; c++)
        t[c].c = (int)c;
    for (int r = 0; r < nr; r++)
        for (uint32_t p = 0; p < y->n_products; p++) {
            if (y->products[p] < rg[r].lo || y->products[p] > rg[r].hi)
                continue;
            for (uint64_t f = y->flow_off[p]; f < y->flow_off[p + 1]; f++) {
                t[exporters ? y->flow_exp[f] : y->flow_imp[f]].v += y->flow_v[f];
                world += y->flow_v[f];
            }
        }
    qsort(t, y->n_countries, sizeof t[0], topv_cmp);
    printf("rank,code,iso3,value,share_of_world\n");
    for (uint32_t i = 0; i < y->n_countries && (long)i < limit && t[i].v > 0; i++) {
        const struct trade_country *c = &y->countries[t[i].c];
        printf("%u,%d,%s,%" PRId64 ".%03" PRId64 ",%.6f\n", i + 1, c->code,
               c->iso3[0] ? c->iso3 : "N/A", t[i].v / 1000, t[i].v % 1000,
               world ? (double)t[i].v / (double)world : 0);
    }
    trade_set_close(&L);
    return EXIT_OK;
}

static int products_main(int argc, char **argv)
{
    const char *db = NULL;
    int year = 0;
    int rc = common_opts(argc, argv, &db, NULL, NULL, &year, NULL, NULL, NULL, NULL, NULL);
    if (rc)
        return rc;
    static struct trade_set L;
    if (load(&L, db, year ? year : 1900, year ? year : 2200, 0) != 0) {
        trade_set_close(&L);
        return EXIT_RUNTIME;
    }
    const struct trade_year *y = L.y[L.n - 1];
    printf("hs6,flows,importers,exporters,world_value\n");
    for (uint32_t p = 0; p < y->n_products; p++) {
        uint8_t ex[TRADE_MAX_COUNTRIES] = {0};
        int nex = 0;
        for (uint64_t f = y->flow_off[p]; f < y->flow_off[p + 1]; f++)
            if (!ex[y->flow_exp[f]]++)
                nex++;
        printf("%06u,%" PRIu64 ",%" PRIu64 ",%d,%" PRId64 ".%03" PRId64 "\n",
               (unsigned)y->products[p], y->flow_off[p + 1] - y->flow_off[p],
               y->m_off[p + 1] - y->m_off[p], nex, y->world[p] / 1000, y->world[p] % 1000);
    }
    trade_set_close(&L);
    return EXIT_OK;
}

static int gdp_main(int argc, char **argv)
{
    const char *db = NULL;
    int from = 0, to = 0, n = 0;
    const char **iso = calloc((size_t)argc + 1, sizeof *iso);
    if (!iso)
        return fail("out of memory");
    int rc = common_opts(argc, argv, &db, NULL, NULL, NULL, NULL, &from, &to, iso, &n);
    if (!rc && (from < 1900 || to <= from || !n))
        rc = cli_usage(CMD, "gdp needs --from Y1 --to Y2 (Y2 > Y1) and ISO3 codes");
    struct tb_err err = {0};
    char dir[4096];
    struct trade_wdi w = {0};
    if (!rc && (trade_dir(dir, sizeof dir, cli_db_path(db), 0, &err) < 0 ||
                trade_read_wdi(dir, &w, &err) < 0))
        rc = cli_fail(CMD, &err);
    if (!rc && !w.n)
        rc = fail("no World Bank data stored (run 'tradebridge trade import-wdi')");
    if (!rc)
        printf("iso3,gdp_%d,gdp_%d,cagr\n", from, to);
    for (int i = 0; i < n && !rc; i++) {
        char code[4] = "";
        for (int k = 0; k < 3 && iso[i][k]; k++)
            code[k] = (char)toupper((unsigned char)iso[i][k]);
        const struct trade_wdi_rec *a = trade_wdi_get(&w, code, from), *b = trade_wdi_get(&w, code, to);
        if (!a || !b || isnan(a->gdp) || isnan(b->gdp)) {
            rc = fail("no GDP for %s in %d and %d", iso[i], from, to);
            break;
        }
        printf("%s,%.0f,%.0f,%.6f\n", code, a->gdp, b->gdp,
               pow(b->gdp / a->gdp, 1.0 / (to - from)) - 1);
    }
    trade_wdi_free(&w);
    free(iso);
    return rc;
}

int cli_trade_main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage_text, stdout);
            return EXIT_OK;
        }
    const char *verb = argv[1];
    argc--;
    argv++;
    if (!strcmp(verb, "import")) return import_main(argc, argv);
    if (!strcmp(verb, "import-geo")) return import_geo_main(argc, argv);
    if (!strcmp(verb, "import-wdi")) return import_wdi_main(argc, argv);
    if (!strcmp(verb, "rank")) return rank_main(argc, argv);
    if (!strcmp(verb, "tariff")) return cli_trade_tariff_main(argc, argv);
    if (!strcmp(verb, "years")) return years_main(argc, argv);
    if (!strcmp(verb, "top")) return top_main(argc, argv);
    if (!strcmp(verb, "products")) return products_main(argc, argv);
    if (!strcmp(verb, "gdp")) return gdp_main(argc, argv);
    return cli_usage(CMD, "unknown verb '%s'", verb);
}
