/*
 * trade_files.c - the trade data files (see trade_files.h). Layout of a year
 * file: a fixed header with the counts and the offset of each section, then
 * the sections of trade_year, each 8-byte aligned, in host byte order.
 */
#include "store/trade_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

#define YEAR_MAGIC "TBTRADE2"
#define GEO_MAGIC "TBGEO001"
#define WDI_MAGIC "TBWDI001"
enum { N_SECTIONS = 16 };

struct year_header {
    char magic[8];
    uint32_t revision, year, n_countries, n_products;
    uint64_t n_flows, n_x, n_m;
    uint64_t off[N_SECTIONS], size[N_SECTIONS];
};

/* A postgresql:// database: TRADEBRIDGE_TRADE_DIR/NAME.trade, NAME the
 * database's name (the URL's last segment without its query; a suffix the
 * caller appended after the query, as ".synthetic", is kept). */
static int pg_trade_dir(char *out, size_t n, const char *url, int create, struct tb_err *err)
{
    const char *base = getenv("TRADEBRIDGE_TRADE_DIR"), *seg = strrchr(url, '/');
    seg = seg && seg > strstr(url, "://") + 2 ? seg + 1 : "";
    size_t len = strcspn(seg, "?");
    const char *dot = strrchr(seg, '.');
    const char *suffix = seg[len] && dot && dot > seg + len && !strchr(dot, '=') && !strchr(dot, '&') ? dot : "";
    if (!len)
        return TB_INVALID(err, "db", "the PostgreSQL URL names no database");
    if (!base || !*base) {
        if (create)
            return TB_INVALID(err, "db", "trade data of a PostgreSQL database are files: set TRADEBRIDGE_TRADE_DIR "
                                         "to their directory (one every server can read)");
        out[0] = '\0';   /* nothing stored: no such directory */
        return 0;
    }
    if ((size_t)snprintf(out, n, "%s/%.*s%s.trade", base, (int)len, seg, suffix) >= n)
        return TB_INVALID(err, "db", "database name too long");
    if (create && mkdir(base, 0755) < 0 && errno != EEXIST)
        return TB_INTERNAL(err, "cannot create %s: %s", base, strerror(errno));
    return 0;
}

int trade_dir(char *out, size_t n, const char *db_path, int create, struct tb_err *err)
{
    if (store_is_postgres(db_path)) {
        if (pg_trade_dir(out, n, db_path, create, err) < 0)
            return -1;
    } else if ((size_t)snprintf(out, n, "%s.trade", db_path) >= n) {
        return TB_INVALID(err, "db", "database path too long");
    }
    if (create && mkdir(out, 0755) < 0 && errno != EEXIST)
        return TB_INTERNAL(err, "cannot create %s: %s", out, strerror(errno));
    return 0;
}

static int stored_cmp(const void *a, const void *b)
{
    const struct trade_stored *x = a, *y = b;
    return x->year != y->year ? x->year - y->year : x->revision - y->revision;
}

int trade_list(const char *dir, struct trade_stored *out, int max, struct tb_err *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        return TB_INTERNAL(err, "cannot read %s: %s", dir, strerror(errno));
    }
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < max) {
        int rev, year, used = 0;
        if (sscanf(e->d_name, "HS%2d_%4d.tbt%n", &rev, &year, &used) == 2 &&
            e->d_name[used] == '\0')
            out[n++] = (struct trade_stored){rev, year};
    }
    closedir(d);
    qsort(out, (size_t)n, sizeof *out, stored_cmp);
    return n;
}

/* Which import the stored data comes from: a hash of every data file's name,
 * size and modification time (files are replaced by rename, so any import
 * changes it), and the newest of those times. */
int trade_data_stamp(const char *dir, char *stamp, size_t n, char *latest, size_t ln)
{
    DIR *d = opendir(dir);
    uint64_t h = 0;
    struct timespec newest = {0};
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            size_t len = strlen(e->d_name);
            if (len < 5 || (strcmp(e->d_name + len - 4, ".tbt") && strcmp(e->d_name + len - 4, ".tbg") &&
                            strcmp(e->d_name + len - 4, ".tbw")))
                continue;
            char path[4400];
            struct stat sb;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            if (stat(path, &sb) < 0)
                continue;
            uint64_t f = 1469598103934665603ULL;   /* FNV-1a of name, size, mtime; files XOR-ed */
            for (const char *c = e->d_name; *c; c++)
                f = (f ^ (unsigned char)*c) * 1099511628211ULL;
            uint64_t parts[3] = {(uint64_t)sb.st_size, (uint64_t)sb.st_mtim.tv_sec, (uint64_t)sb.st_mtim.tv_nsec};
            for (int k = 0; k < 3; k++)
                f = (f ^ parts[k]) * 1099511628211ULL;
            h ^= f;
            if (sb.st_mtim.tv_sec > newest.tv_sec)
                newest = sb.st_mtim;
        }
        closedir(d);
    }
    snprintf(stamp, n, "%016llx", (unsigned long long)h);
    struct tm tm;
    time_t t = newest.tv_sec;
    if (latest && ln && gmtime_r(&t, &tm))
        strftime(latest, ln, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return h ? 0 : -1;
}

/* ---- writing: temp file, fsync, rename --------------------------------- */
struct wfile {
    FILE *f;
    char tmp[4200], path[4200];
    uint64_t pos;
    int failed;
};

static int wopen(struct wfile *w, const char *dir, const char *name, struct tb_err *err)
{
    memset(w, 0, sizeof *w);
    snprintf(w->path, sizeof w->path, "%s/%s", dir, name);
    snprintf(w->tmp, sizeof w->tmp, "%s/.%s.%ld.tmp", dir, name, (long)getpid());
    w->f = fopen(w->tmp, "wb");
    if (!w->f)
        return TB_INTERNAL(err, "cannot write %s: %s", w->tmp, strerror(errno));
    setvbuf(w->f, NULL, _IOFBF, 1 << 20);
    return 0;
}

static void wput(struct wfile *w, const void *p, size_t n)
{
    static const char zero[8];
    if (n && fwrite(p, 1, n, w->f) != n)
        w->failed = 1;
    w->pos += n;
    size_t pad = (8 - w->pos % 8) % 8;
    if (pad && fwrite(zero, 1, pad, w->f) != pad)
        w->failed = 1;
    w->pos += pad;
}

static int wclose(struct wfile *w, struct tb_err *err)
{
    int bad = w->failed || fflush(w->f) != 0 || fsync(fileno(w->f)) != 0;
    int saved = errno;
    if (fclose(w->f) != 0)
        bad = 1;
    if (!bad && rename(w->tmp, w->path) != 0) {
        bad = 1;
        saved = errno;
    }
    if (bad) {
        unlink(w->tmp);
        return TB_INTERNAL(err, "cannot write %s: %s", w->path, strerror(saved));
    }
    return 0;
}

int trade_write_year(const char *dir, const struct trade_year *y, struct tb_err *err)
{
    char name[64];
    snprintf(name, sizeof name, "HS%02d_%04d.tbt", y->revision, y->year);
    struct year_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, YEAR_MAGIC, 8);
    h.revision = (uint32_t)y->revision;
    h.year = (uint32_t)y->year;
    h.n_countries = y->n_countries;
    h.n_products = y->n_products;
    h.n_flows = y->n_flows;
    h.n_x = y->n_x;
    h.n_m = y->n_m;
    uint64_t nc = y->n_countries, np = y->n_products, nf = y->n_flows;
    const void *sec[N_SECTIONS] = {y->countries, y->products, y->flow_off, y->flow_exp,
                                   y->flow_imp, y->flow_v, y->flow_q, y->world, y->x_off,
                                   y->x_prod, y->x_val, y->m_off, y->m_imp, y->m_val, y->bilat,
                                   y->hyp};
    uint64_t size[N_SECTIONS] = {nc * sizeof(struct trade_country), np * 4, (np + 1) * 8, nf * 2,
                                 nf * 2, nf * 8, nf * 8, np * 8, (nc + 1) * 8, y->n_x * 4,
                                 y->n_x * 8, (np + 1) * 8, y->n_m * 2, y->n_m * 8, nc * nc * 8,
                                 nc * nc * 8};
    uint64_t pos = (sizeof h + 7) / 8 * 8;
    for (int s = 0; s < N_SECTIONS; s++) {
        h.off[s] = pos;
        h.size[s] = size[s];
        pos += (size[s] + 7) / 8 * 8;
    }
    struct wfile w;
    if (wopen(&w, dir, name, err) < 0)
        return -1;
    wput(&w, &h, sizeof h);
    for (int s = 0; s < N_SECTIONS; s++)
        wput(&w, sec[s], size[s]);
    return wclose(&w, err);
}

int trade_open_year(const char *dir, int revision, int year, struct trade_mapped *m,
                    struct tb_err *err)
{
    char path[4200];
    memset(m, 0, sizeof *m);
    snprintf(path, sizeof path, "%s/HS%02d_%04d.tbt", dir, revision, year);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return TB_NOT_FOUND(err, "no trade data for HS%02d %d (%s)", revision, year,
                            strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0 || (size_t)st.st_size < sizeof(struct year_header)) {
        close(fd);
        return TB_INTERNAL(err, "%s is not a trade data file", path);
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return TB_INTERNAL(err, "cannot map %s: %s", path, strerror(errno));
    const struct year_header *h = map;
    uint64_t len = (uint64_t)st.st_size;
    int ok = !memcmp(h->magic, YEAR_MAGIC, 8) && h->n_countries <= TRADE_MAX_COUNTRIES;
    for (int s = 0; ok && s < N_SECTIONS; s++)
        ok = h->off[s] % 8 == 0 && h->off[s] <= len && h->size[s] <= len - h->off[s];
    const char *b = map;
    struct trade_year *y = &m->y;
    if (ok) {
        uint64_t nc = h->n_countries, np = h->n_products, nf = h->n_flows;
        ok = h->size[0] == nc * sizeof(struct trade_country) && h->size[1] == np * 4 &&
             h->size[2] == (np + 1) * 8 && h->size[3] == nf * 2 && h->size[6] == nf * 8 &&
             h->size[8] == (nc + 1) * 8 && h->size[9] == h->n_x * 4 &&
             h->size[11] == (np + 1) * 8 && h->size[12] == h->n_m * 2 &&
             h->size[14] == nc * nc * 8 && h->size[15] == nc * nc * 8;
    }
    if (ok) {
        y->revision = (int)h->revision;
        y->year = (int)h->year;
        y->n_countries = h->n_countries;
        y->n_products = h->n_products;
        y->n_flows = h->n_flows;
        y->n_x = h->n_x;
        y->n_m = h->n_m;
        y->countries = (const void *)(b + h->off[0]);
        y->products = (const void *)(b + h->off[1]);
        y->flow_off = (const void *)(b + h->off[2]);
        y->flow_exp = (const void *)(b + h->off[3]);
        y->flow_imp = (const void *)(b + h->off[4]);
        y->flow_v = (const void *)(b + h->off[5]);
        y->flow_q = (const void *)(b + h->off[6]);
        y->world = (const void *)(b + h->off[7]);
        y->x_off = (const void *)(b + h->off[8]);
        y->x_prod = (const void *)(b + h->off[9]);
        y->x_val = (const void *)(b + h->off[10]);
        y->m_off = (const void *)(b + h->off[11]);
        y->m_imp = (const void *)(b + h->off[12]);
        y->m_val = (const void *)(b + h->off[13]);
        y->bilat = (const void *)(b + h->off[14]);
        y->hyp = (const void *)(b + h->off[15]);
        ok = y->flow_off[y->n_products] == y->n_flows && y->x_off[y->n_countries] == y->n_x &&
             y->m_off[y->n_products] == y->n_m;
    }
    if (!ok) {
        munmap(map, (size_t)len);
        memset(m, 0, sizeof *m);
        return TB_INTERNAL(err, "%s is damaged or from another version: import the year again",
                           path);
    }
    m->map = map;
    m->len = (size_t)len;
    return 0;
}

void trade_close_year(struct trade_mapped *m)
{
    if (m->map)
        munmap(m->map, m->len);
    memset(m, 0, sizeof *m);
}

/* ---- GeoDist and World Bank tables -------------------------------------- */
static int read_all(const char *path, char **buf, size_t *len, struct tb_err *err)
{
    *buf = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? 0 : TB_INTERNAL(err, "cannot read %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) < 0 || !(*buf = malloc((size_t)st.st_size + 1)) ||
        fread(*buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        fclose(f);
        free(*buf);
        *buf = NULL;
        return TB_INTERNAL(err, "cannot read %s", path);
    }
    fclose(f);
    *len = (size_t)st.st_size;
    return 1;
}

/* A small table file: magic, count n, then `parts` arrays written one after the other. */
static int write_table(const char *dir, const char *name, const char *magic, uint64_t n,
                       const void *const *part, const size_t *size, int parts,
                       struct tb_err *err)
{
    struct wfile w;
    if (wopen(&w, dir, name, err) < 0)
        return -1;
    wput(&w, magic, 8);
    wput(&w, &n, 8);
    for (int i = 0; i < parts; i++)
        wput(&w, part[i], size[i]);
    return wclose(&w, err);
}

/* Reads a table file; 0 when absent, 1 with *buf (malloc'd) and *n, -1 when damaged. */
static int read_table(const char *dir, const char *name, const char *magic, uint64_t max_n,
                      char **buf, uint64_t *n, size_t *len, struct tb_err *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int got = read_all(path, buf, len, err);
    if (got <= 0)
        return got;
    *n = 0;
    if (*len >= 16)
        memcpy(n, *buf + 8, 8);
    if (*len < 16 || memcmp(*buf, magic, 8) || *n > max_n) {
        free(*buf);
        return TB_INTERNAL(err, "%s is damaged: import it again", path);
    }
    return 1;
}

int trade_write_geo(const char *dir, const struct trade_geo *g, struct tb_err *err)
{
    uint64_t n = (uint64_t)g->n;
    const void *part[] = {g->iso3, g->distw};
    size_t size[] = {n * 4, n * n * sizeof(float)};
    return write_table(dir, "geo.tbg", GEO_MAGIC, n, part, size, 2, err);
}

int trade_read_geo(const char *dir, struct trade_geo *g, struct tb_err *err)
{
    char *buf;
    uint64_t n;
    size_t len;
    memset(g, 0, sizeof *g);
    int got = read_table(dir, "geo.tbg", GEO_MAGIC, 10000, &buf, &n, &len, err);
    if (got <= 0)
        return got;
    size_t a = (n * 4 + 7) / 8 * 8;
    g->n = (int)n;
    g->iso3 = malloc(n * 4 + 1);
    g->distw = malloc(n * n * sizeof(float) + 1);
    if (len < 16 + a + n * n * 4 || !g->iso3 || !g->distw) {
        free(buf);
        trade_geo_free(g);
        return TB_INTERNAL(err, "%s/geo.tbg is damaged: import GeoDist again", dir);
    }
    memcpy(g->iso3, buf + 16, n * 4);
    memcpy(g->distw, buf + 16 + a, n * n * sizeof(float));
    free(buf);
    return 0;
}

int trade_write_wdi(const char *dir, const struct trade_wdi *wd, struct tb_err *err)
{
    const void *part[] = {wd->r};
    size_t size[] = {(size_t)wd->n * sizeof *wd->r};
    return write_table(dir, "wdi.tbw", WDI_MAGIC, (uint64_t)wd->n, part, size, 1, err);
}

int trade_read_wdi(const char *dir, struct trade_wdi *wd, struct tb_err *err)
{
    char *buf;
    uint64_t n;
    size_t len;
    memset(wd, 0, sizeof *wd);
    int got = read_table(dir, "wdi.tbw", WDI_MAGIC, 10000000, &buf, &n, &len, err);
    if (got <= 0)
        return got;
    wd->r = malloc(n * sizeof *wd->r + 1);
    if (len < 16 + n * sizeof *wd->r || !wd->r) {
        free(buf);
        free(wd->r);
        wd->r = NULL;
        return TB_INTERNAL(err, "%s/wdi.tbw is damaged: import the World Bank files again", dir);
    }
    memcpy(wd->r, buf + 16, n * sizeof *wd->r);
    wd->n = (int)n;
    free(buf);
    return 0;
}

int trade_set_open(const char *dir, int y1, int y2, int extras, struct trade_set *s,
                   struct tb_err *err)
{
    memset(s, 0, sizeof *s);
    struct trade_stored st[TRADE_MAX_YEARS];
    int ns = trade_list(dir, st, TRADE_MAX_YEARS, err);
    if (ns < 0)
        return -1;
    for (int i = 0; i < ns; i++) {
        if (st[i].year < y1 || st[i].year > y2)
            continue;
        if (trade_open_year(dir, st[i].revision, st[i].year, &s->m[s->n], err) < 0) {
            trade_set_close(s);
            return -1;
        }
        s->y[s->n] = &s->m[s->n].y;
        s->n++;
    }
    if (!s->n)
        return TB_NOT_FOUND(err, "no trade data stored for %d-%d (import BACI years first)", y1,
                            y2);
    if (extras && (trade_read_geo(dir, &s->geo, err) < 0 || trade_read_wdi(dir, &s->wdi, err) < 0)) {
        trade_set_close(s);
        return -1;
    }
    return 0;
}

void trade_set_close(struct trade_set *s)
{
    for (int i = 0; i < s->n; i++)
        trade_close_year(&s->m[i]);
    s->n = 0;
    trade_geo_free(&s->geo);
    trade_wdi_free(&s->wdi);
}
