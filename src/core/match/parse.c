/*
 * parse.c - reads the matching input formats from memory into engine problems.
 * Every rejection names the line and what was expected; sizes in headers are
 * checked against the buffer length before anything is allocated, so a short
 * hostile file cannot ask for gigabytes. Also the fuzzing entry point's target.
 */
#include "core/match/parse.h"
#include "core/validate.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define FLOAT_DECIMALS 6
static const int64_t pow10_tab[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };

struct rd {
    const char *p, *end;
    int64_t line;            /* number of the current line, 1-based */
    const char *ls, *le;     /* current line */
    const char *tp;          /* token cursor inside it */
};

static int perr(struct tb_err *e, int64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int perr(struct tb_err *e, int64_t line, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    utf8_vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0)
        return tb_error(e, TB_E_MALFORMED_INPUT, "", "line %lld: %s", (long long)line, msg);
    return tb_error(e, TB_E_MALFORMED_INPUT, "", "%s", msg);
}

static inline bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Advances to the next line holding something other than blanks or a comment. */
static bool next_line(struct rd *r)
{
    while (r->p < r->end) {
        const char *s = r->p;
        const char *nl = memchr(s, '\n', (size_t)(r->end - s));
        const char *e = nl ? nl : r->end;
        r->p = nl ? nl + 1 : r->end;
        r->line++;
        const char *t = s;
        while (t < e && is_space(*t))
            t++;
        if (t == e || *t == '#')
            continue;
        r->ls = s;
        r->le = e;
        r->tp = t;
        return true;
    }
    r->ls = r->le = r->tp = r->end;
    return false;
}

static bool next_tok(struct rd *r, const char **s, size_t *n)
{
    const char *t = r->tp;
    while (t < r->le && is_space(*t))
        t++;
    if (t >= r->le) {
        r->tp = t;
        return false;
    }
    const char *b = t;
    while (t < r->le && !is_space(*t))
        t++;
    *s = b;
    *n = (size_t)(t - b);
    r->tp = t;
    return true;
}

static int64_t count_rest(struct rd *r)
{
    const char *s;
    size_t n;
    int64_t k = 0;
    while (next_tok(r, &s, &n))
        k++;
    return k;
}

static bool tok_is(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(s, word, n) == 0;
}

/* Plain integer with optional sign; false when not one or beyond 18 digits. */
static bool parse_int(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (n > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == n || n - i > 18)
        return false;
    int64_t v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = neg ? -v : v;
    return true;
}

static bool parse_count(const char *s, size_t n, int64_t max, int64_t *out)
{
    int64_t v;
    if (!parse_int(s, n, &v) || s[0] == '-' || s[0] == '+' || v > max)
        return false;
    *out = v;
    return true;
}

/*
 * A decimal (optionally with exponent) as an integer times 10^-6, rounded half
 * away from zero; *dec = decimals actually needed (0..6). Exact for inputs with
 * at most 6 decimals.
 */
static bool parse_fixed(const char *s, size_t n, int64_t *out, int *dec)
{
    size_t i = 0;
    bool neg = false;
    if (n > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    int64_t m = 0;
    int digits = 0, frac = 0, sig = 0;
    bool dot = false;
    for (; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            digits++;
            if (sig > 0 || c != '0')
                sig++;
            if (sig > 18)
                return false;
            m = m * 10 + (c - '0');
            if (dot)
                frac++;
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (digits == 0)
        return false;
    int64_t ex = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        if (!parse_int(s + i + 1, n - i - 1, &ex) || ex > 40 || ex < -40)
            return false;
        i = n;
    }
    if (i != n)
        return false;
    int64_t k = ex - frac + FLOAT_DECIMALS;
    if (k >= 0) {
        for (int64_t t = 0; t < k; t++) {
            if (m > INT64_MAX / 10)
                return false;
            m *= 10;
        }
    } else if (k < -18) {
        m = 0;
    } else {
        int64_t p = 1;
        for (int64_t t = 0; t < -k; t++)
            p *= 10;
        m = (m + p / 2) / p;
    }
    int d = FLOAT_DECIMALS;
    while (d > 0 && m % 10 == 0 && m != 0) {
        m /= 10;
        d--;
    }
    if (m == 0)
        d = 0;
    for (int t = d; t < FLOAT_DECIMALS; t++)
        m *= 10;
    *out = neg ? -m : m;
    *dec = d;
    return true;
}

struct vctx {
    bool is_float;
    int max_dec;
};

/* One value token; returns 0, or -1 after filling err. */
static int read_value(struct rd *r, struct vctx *v, const char *s, size_t n, bool allow_x,
                      int64_t *out, struct tb_err *err)
{
    if (allow_x && n == 1 && (s[0] == 'x' || s[0] == 'X')) {
        *out = TB_ASSIGN_FORBIDDEN;
        return 0;
    }
    int64_t x;
    if (!v->is_float) {
        if (!parse_int(s, n, &x))
            return perr(err, r->line, "expected an integer value, got '%.*s'",
                        (int)utf8_cut(s, n > 24 ? 24 : n), s);
        if (x > TB_ASSIGN_VALUE_MAX || x < -TB_ASSIGN_VALUE_MAX)
            return perr(err, r->line, "value %lld outside +-2^40", (long long)x);
    } else {
        int d;
        if (!parse_fixed(s, n, &x, &d))
            return perr(err, r->line, "expected a number, got '%.*s'",
                        (int)utf8_cut(s, n > 24 ? 24 : n), s);
        if (x > TB_ASSIGN_VALUE_MAX * 1000000 || x < -TB_ASSIGN_VALUE_MAX * 1000000)
            return perr(err, r->line, "value out of range");
        if (d > v->max_dec)
            v->max_dec = d;
    }
    *out = x;
    return 0;
}

/* Brings float values from 10^-6 units to the smallest common scale. */
static void rescale(int64_t *vals, int64_t n, struct vctx *v, int *scale)
{
    if (!v->is_float) {
        *scale = 0;
        return;
    }
    int64_t div = pow10_tab[FLOAT_DECIMALS - v->max_dec];
    for (int64_t k = 0; k < n; k++)
        if (vals[k] != TB_ASSIGN_FORBIDDEN)
            vals[k] /= div;
    *scale = v->max_dec;
}

static int parse_type_sense(struct rd *r, const char *ts, size_t tn, const char *ss, size_t sn,
                            struct tb_match_input *out, struct vctx *v, struct tb_err *err)
{
    if (tok_is(ts, tn, "int"))
        v->is_float = false;
    else if (tok_is(ts, tn, "float"))
        v->is_float = true;
    else
        return perr(err, r->line, "expected 'int' or 'float', got '%.*s'",
                    (int)utf8_cut(ts, tn > 16 ? 16 : tn), ts);
    if (tok_is(ss, sn, "max"))
        out->assign.sense = TB_ASSIGN_MAX;
    else if (tok_is(ss, sn, "min"))
        out->assign.sense = TB_ASSIGN_MIN;
    else
        return perr(err, r->line, "expected 'max' or 'min', got '%.*s'",
                    (int)utf8_cut(ss, sn > 16 ? 16 : sn), ss);
    out->is_float = v->is_float;
    return 0;
}

static int parse_dense(struct rd *r, size_t len, struct arena *a, struct tb_match_input *out,
                       struct tb_err *err)
{
    const char *t[5];
    size_t n[5];
    int k = 0;
    while (k < 5 && next_tok(r, &t[k], &n[k]))
        k++;
    if (k != 5 || count_rest(r) != 0)
        return perr(err, r->line, "expected 'dense <rows> <cols> <int|float> <max|min>'");
    int64_t rows, cols;
    if (!parse_count(t[1], n[1], INT32_MAX - 1, &rows) ||
        !parse_count(t[2], n[2], INT32_MAX - 1, &cols))
        return perr(err, r->line, "expected row and column counts (0..2^31-2)");
    struct vctx v = { 0 };
    if (parse_type_sense(r, t[3], n[3], t[4], n[4], out, &v, err) < 0)
        return -1;
    if (rows > 0 && cols > (int64_t)len / rows)
        return perr(err, r->line, "%lld x %lld values cannot fit in a %zu-byte file",
                    (long long)rows, (long long)cols, len);
    /* Integer matrices are kept as int32 while every value fits (the solver
     * then works in place, half the memory); the first value that does not
     * fit widens what was read so far to int64. Float files are rescaled
     * to integers at the end, so they are read as int64. */
    const size_t cells = (size_t)(rows * cols);
    int32_t *vals32 = NULL;
    int64_t *vals = NULL;
    int64_t *row_buf = NULL;
    if (!v.is_float && cells > 0) {
        vals32 = arena_alloc(a, cells * sizeof(int32_t));
        row_buf = arena_alloc(a, (size_t)cols * sizeof(int64_t));
    } else {
        vals = arena_alloc(a, (cells + 1) * sizeof(int64_t));
    }
    if ((!v.is_float && cells > 0) ? (!vals32 || !row_buf) : !vals)
        return tb_error(err, TB_E_TOO_LARGE, "", "out of memory for %lld x %lld",
                       (long long)rows, (long long)cols);
    /* With 0 columns the rows are empty lines, which are skipped like blanks. */
    for (int64_t i = 0; i < rows && cols > 0; i++) {
        if (!next_line(r))
            return perr(err, r->line + 1, "expected %lld rows of values, got %lld",
                        (long long)rows, (long long)i);
        int64_t *row = vals ? vals + i * cols : row_buf;
        const char *s;
        size_t sn;
        int64_t j = 0;
        while (j < cols && next_tok(r, &s, &sn)) {
            if (read_value(r, &v, s, sn, true, &row[j], err) < 0)
                return -1;
            j++;
        }
        int64_t extra = count_rest(r);
        if (j < cols || extra)
            return perr(err, r->line, "expected %lld values, got %lld", (long long)cols,
                        (long long)(j + extra));
        if (vals)
            continue;
        bool fits = true;
        for (int64_t k = 0; k < cols; k++)
            fits &= row[k] == TB_ASSIGN_FORBIDDEN || (row[k] > INT32_MIN && row[k] < INT32_MAX);
        int32_t *narrow = vals32 + i * cols;
        if (fits) {
            for (int64_t k = 0; k < cols; k++)
                narrow[k] = row[k] == TB_ASSIGN_FORBIDDEN ? TB_ASSIGN_FORBIDDEN32 : (int32_t)row[k];
            continue;
        }
        vals = arena_alloc(a, (cells + 1) * sizeof(int64_t));
        if (!vals)
            return tb_error(err, TB_E_TOO_LARGE, "", "out of memory for %lld x %lld",
                           (long long)rows, (long long)cols);
        for (int64_t k = 0; k < i * cols; k++)
            vals[k] = vals32[k] == TB_ASSIGN_FORBIDDEN32 ? TB_ASSIGN_FORBIDDEN : vals32[k];
        memcpy(vals + i * cols, row, (size_t)cols * sizeof(int64_t));
    }
    if (next_line(r))
        return perr(err, r->line, "unexpected data after the last row");
    out->format = TB_FMT_DENSE;
    out->assign.rows = (int32_t)rows;
    out->assign.cols = (int32_t)cols;
    if (!vals) {
        out->assign.dense32 = vals32;
        return 0;
    }
    rescale(vals, rows * cols, &v, &out->scale);
    out->assign.dense = vals;
    return 0;
}

static int read_edge(struct rd *r, struct vctx *v, int64_t rows, int64_t cols, int base,
                     struct tb_assign_edge *e, struct tb_err *err)
{
    const char *t[3];
    size_t n[3];
    int k = 0;
    while (k < 3 && next_tok(r, &t[k], &n[k]))
        k++;
    if (k != 3 || count_rest(r) != 0)
        return perr(err, r->line, "expected '<row> <col> <value>'");
    int64_t i, j;
    if (!parse_int(t[0], n[0], &i) || !parse_int(t[1], n[1], &j))
        return perr(err, r->line, "expected integer row and column ids");
    i -= base;
    j -= base;
    if (i < 0 || i >= rows)
        return perr(err, r->line, "row %lld outside %d..%lld", (long long)(i + base), base,
                    (long long)(rows - 1 + base));
    if (j < 0 || j >= cols)
        return perr(err, r->line, "column %lld outside %d..%lld", (long long)(j + base), base,
                    (long long)(cols - 1 + base));
    e->row = (int32_t)i;
    e->col = (int32_t)j;
    return read_value(r, v, t[2], n[2], false, &e->value, err);
}

static void rescale_edges(struct tb_assign_edge *e, int64_t n, struct vctx *v, int *scale)
{
    if (!v->is_float) {
        *scale = 0;
        return;
    }
    int64_t div = pow10_tab[FLOAT_DECIMALS - v->max_dec];
    for (int64_t k = 0; k < n; k++)
        e[k].value /= div;
    *scale = v->max_dec;
}

static int parse_sparse(struct rd *r, size_t len, struct arena *a, struct tb_match_input *out,
                        struct tb_err *err)
{
    const char *t[6];
    size_t n[6];
    int k = 0;
    while (k < 6 && next_tok(r, &t[k], &n[k]))
        k++;
    if (k != 6 || count_rest(r) != 0)
        return perr(err, r->line,
                    "expected 'sparse <rows> <cols> <nnz> <int|float> <max|min>'");
    int64_t rows, cols, nnz;
    if (!parse_count(t[1], n[1], INT32_MAX - 1, &rows) ||
        !parse_count(t[2], n[2], INT32_MAX - 1, &cols) ||
        !parse_count(t[3], n[3], INT64_MAX / 64, &nnz))
        return perr(err, r->line, "expected counts for rows, columns and nnz");
    struct vctx v = { 0 };
    if (parse_type_sense(r, t[4], n[4], t[5], n[5], out, &v, err) < 0)
        return -1;
    if (nnz > (int64_t)len / 5 + 1)
        return perr(err, r->line, "%lld entries cannot fit in a %zu-byte file",
                    (long long)nnz, len);
    struct tb_assign_edge *e = arena_alloc(a, ((size_t)nnz + 1) * sizeof *e);
    if (!e)
        return tb_error(err, TB_E_TOO_LARGE, "", "out of memory for %lld entries",
                       (long long)nnz);
    for (int64_t q = 0; q < nnz; q++) {
        if (!next_line(r))
            return perr(err, r->line + 1, "expected %lld entries, got %lld", (long long)nnz,
                        (long long)q);
        if (read_edge(r, &v, rows, cols, 0, &e[q], err) < 0)
            return -1;
    }
    if (next_line(r))
        return perr(err, r->line, "unexpected data after %lld entries", (long long)nnz);
    rescale_edges(e, nnz, &v, &out->scale);
    out->format = TB_FMT_SPARSE;
    out->assign.rows = (int32_t)rows;
    out->assign.cols = (int32_t)cols;
    out->assign.edges = e;
    out->assign.n_edges = nnz;
    return 0;
}

/* OR-Library: n, then either n*n costs wrapped freely (assignN) or 1-based
 * "i j c" lines (assignpN); told apart by counting before allocating. */
static int parse_orlib(struct rd *r, int64_t n, size_t len, struct arena *a,
                       struct tb_match_input *out, struct tb_err *err)
{
    int64_t header_line = r->line;
    if (count_rest(r) != 0)
        return perr(err, r->line, "expected the OR-Library size n alone on its line");
    if (n > INT32_MAX - 1)
        return perr(err, r->line, "size %lld too large", (long long)n);
    struct rd save = *r;
    int64_t total = 0, lines = 0;
    bool all3 = true;
    while (next_line(r)) {
        int64_t k = count_rest(r);
        total += k;
        lines++;
        if (k != 3)
            all3 = false;
    }
    *r = save;
    struct vctx v = { 0 };
    out->assign.sense = TB_ASSIGN_MIN;
    out->assign.rows = out->assign.cols = (int32_t)n;
    out->scale = 0;
    if (n > 0 && n <= (int64_t)len && total == n * n) {
        int64_t *vals = arena_alloc(a, ((size_t)total + 1) * sizeof(int64_t));
        if (!vals)
            return tb_error(err, TB_E_TOO_LARGE, "", "out of memory");
        int64_t k = 0;
        while (next_line(r)) {
            const char *s;
            size_t sn;
            while (next_tok(r, &s, &sn))
                if (read_value(r, &v, s, sn, false, &vals[k++], err) < 0)
                    return -1;
        }
        out->format = TB_FMT_ORLIB_DENSE;
        out->assign.dense = vals;
        return 0;
    }
    if (!all3 || total == 0)
        return perr(err, header_line,
                    "OR-Library file: expected %lld x %lld costs or 'i j c' lines, found %lld values",
                    (long long)n, (long long)n, (long long)total);
    struct tb_assign_edge *e = arena_alloc(a, ((size_t)lines + 1) * sizeof *e);
    if (!e)
        return tb_error(err, TB_E_TOO_LARGE, "", "out of memory");
    for (int64_t q = 0; q < lines; q++) {
        next_line(r);
        if (read_edge(r, &v, n, n, 1, &e[q], err) < 0)
            return -1;
    }
    out->format = TB_FMT_ORLIB_SPARSE;
    out->assign.edges = e;
    out->assign.n_edges = lines;
    return 0;
}

/* Growable int32 array in the arena. */
struct vec {
    int32_t *v;
    int64_t n, cap;
};

static bool vec_push(struct arena *a, struct vec *x, int32_t val)
{
    if (x->n == x->cap) {
        int64_t nc = x->cap ? x->cap * 2 : 1024;
        int32_t *nv = arena_realloc(a, x->v, (size_t)x->cap * sizeof(int32_t),
                                    (size_t)nc * sizeof(int32_t));
        if (!nv)
            return false;
        x->v = nv;
        x->cap = nc;
    }
    x->v[x->n++] = val;
    return true;
}

struct side {
    int64_t *first;      /* offset of the owner's entries in ids/ranks, -1 = no line */
    int64_t *count;
    int64_t *def_line;
    int64_t *seen;       /* line that last listed an id of the other side */
    struct vec ids, ranks;
};

/* Reads "<id> <id> (<id> <id>) ..." to the end of the line. */
static int read_list(struct rd *r, struct arena *a, struct side *owner, struct side *other,
                     int64_t n_other, const char *what, struct tb_err *err)
{
    const char *t = r->tp;
    int32_t rank = 0;
    bool in_group = false;
    int64_t group_size = 0;
    while (t < r->le) {
        char c = *t;
        if (is_space(c)) {
            t++;
            continue;
        }
        if (c == '(') {
            if (in_group)
                return perr(err, r->line, "nested '('");
            in_group = true;
            group_size = 0;
            t++;
            continue;
        }
        if (c == ')') {
            if (!in_group)
                return perr(err, r->line, "')' without '('");
            if (group_size == 0)
                return perr(err, r->line, "empty '( )'");
            in_group = false;
            rank++;
            t++;
            continue;
        }
        if (c < '0' || c > '9')
            return perr(err, r->line, "expected a %s id, '(' or ')', got '%c'", what, c);
        int64_t id = 0;
        int digits = 0;
        while (t < r->le && *t >= '0' && *t <= '9') {
            if (++digits > 10)
                return perr(err, r->line, "%s id too long", what);
            id = id * 10 + (*t - '0');
            t++;
        }
        if (t < r->le && !is_space(*t) && *t != '(' && *t != ')')
            return perr(err, r->line, "expected a %s id, got '%c' after digits", what, *t);
        if (id >= n_other)
            return perr(err, r->line, "%s %lld outside 0..%lld", what, (long long)id,
                        (long long)(n_other - 1));
        if (other->seen[id] == r->line)
            return perr(err, r->line, "%s %lld listed twice", what, (long long)id);
        other->seen[id] = r->line;
        if (!vec_push(a, &owner->ids, (int32_t)id) || !vec_push(a, &owner->ranks, rank))
            return tb_error(err, TB_E_TOO_LARGE, "", "out of memory");
        if (in_group)
            group_size++;
        else
            rank++;
    }
    if (in_group)
        return perr(err, r->line, "missing ')'");
    r->tp = t;
    return 0;
}

static int side_init(struct arena *a, struct side *s, int64_t n)
{
    s->first = arena_alloc(a, ((size_t)n + 1) * sizeof(int64_t));
    s->count = arena_calloc(a, (size_t)n + 1, sizeof(int64_t));
    s->def_line = arena_calloc(a, (size_t)n + 1, sizeof(int64_t));
    s->seen = arena_calloc(a, (size_t)n + 1, sizeof(int64_t));
    if (!s->first || !s->count || !s->def_line || !s->seen)
        return -1;
    memset(&s->ids, 0, sizeof s->ids);
    memset(&s->ranks, 0, sizeof s->ranks);
    return 0;
}

/* Lays the owners' lists out in id order (CSR). */
static int side_build(struct arena *a, const struct side *s, int64_t n, int64_t **start,
                      int32_t **list, int32_t **rank)
{
    int64_t *st = arena_alloc(a, ((size_t)n + 1) * sizeof(int64_t));
    int32_t *li = arena_alloc(a, ((size_t)s->ids.n + 1) * sizeof(int32_t));
    int32_t *rk = arena_alloc(a, ((size_t)s->ids.n + 1) * sizeof(int32_t));
    if (!st || !li || !rk)
        return -1;
    st[0] = 0;
    for (int64_t i = 0; i < n; i++) {
        st[i + 1] = st[i] + s->count[i];
        if (s->count[i]) {
            memcpy(li + st[i], s->ids.v + s->first[i], (size_t)s->count[i] * sizeof(int32_t));
            memcpy(rk + st[i], s->ranks.v + s->first[i], (size_t)s->count[i] * sizeof(int32_t));
        }
    }
    *start = st;
    *list = li;
    *rank = rk;
    return 0;
}

static int parse_hr(struct rd *r, size_t len, struct arena *a, struct tb_match_input *out,
                    struct tb_err *err)
{
    const char *t[3];
    size_t n[3];
    int k = 0;
    while (k < 3 && next_tok(r, &t[k], &n[k]))
        k++;
    int64_t limit = (int64_t)len * 8 + (1 << 20);
    if (limit > INT32_MAX - 1)
        limit = INT32_MAX - 1;
    int64_t nc, np;
    if (k != 3 || count_rest(r) != 0 || !parse_count(t[1], n[1], limit, &nc) ||
        !parse_count(t[2], n[2], limit, &np))
        return perr(err, r->line, "expected 'hr <n_candidates> <n_positions>'");
    struct side cs, ps;
    int32_t *cap = arena_calloc(a, (size_t)np + 1, sizeof(int32_t));
    if (!cap || side_init(a, &cs, nc) < 0 || side_init(a, &ps, np) < 0)
        return tb_error(err, TB_E_TOO_LARGE, "", "out of memory");
    while (next_line(r)) {
        const char *s;
        size_t sn;
        next_tok(r, &s, &sn);
        bool is_pos = tok_is(s, sn, "p");
        if (!is_pos && !tok_is(s, sn, "c"))
            return perr(err, r->line, "expected a line starting with 'p' or 'c'");
        const char *it;
        size_t in;
        int64_t id;
        int64_t nid = is_pos ? np : nc;
        if (!next_tok(r, &it, &in) || !parse_count(it, in, INT32_MAX, &id))
            return perr(err, r->line, "expected a %s id", is_pos ? "position" : "candidate");
        if (id >= nid)
            return perr(err, r->line, "%s %lld outside 0..%lld", is_pos ? "position" : "candidate",
                        (long long)id, (long long)(nid - 1));
        struct side *me = is_pos ? &ps : &cs;
        if (me->def_line[id])
            return perr(err, r->line, "%s %lld already defined on line %lld",
                        is_pos ? "position" : "candidate", (long long)id,
                        (long long)me->def_line[id]);
        me->def_line[id] = r->line;
        if (is_pos) {
            int64_t c;
            if (!next_tok(r, &it, &in) || !parse_count(it, in, INT32_MAX, &c))
                return perr(err, r->line, "expected 'p <position> <capacity> <candidates...>'");
            cap[id] = (int32_t)c;
        }
        me->first[id] = me->ids.n;
        if (read_list(r, a, me, is_pos ? &cs : &ps, is_pos ? nc : np,
                      is_pos ? "candidate" : "position", err) < 0)
            return -1;
        me->count[id] = me->ids.n - me->first[id];
    }
    struct tb_hr_problem *h = &out->hr;
    int64_t *st;
    int32_t *li, *rk;
    if (side_build(a, &cs, nc, &st, &li, &rk) < 0)
        return tb_error(err, TB_E_TOO_LARGE, "", "out of memory");
    h->cand_start = st;
    h->cand_list = li;
    h->cand_rank = rk;
    if (side_build(a, &ps, np, &st, &li, &rk) < 0)
        return tb_error(err, TB_E_TOO_LARGE, "", "out of memory");
    h->pos_start = st;
    h->pos_list = li;
    h->pos_rank = rk;
    h->n_cand = (int32_t)nc;
    h->n_pos = (int32_t)np;
    h->capacity = cap;
    out->format = TB_FMT_HR;
    return 0;
}

int tb_match_parse_decimal(const char *s, int64_t *micro)
{
    int d;
    return parse_fixed(s, strlen(s), micro, &d) ? 0 : -1;
}

int tb_match_parse(const char *buf, size_t len, struct arena *a, struct tb_match_input *out,
                   struct tb_err *err)
{
    memset(out, 0, sizeof *out);
    struct rd r = { buf, buf + len, 0, buf, buf, buf };
    if (len > 0 && memchr(buf, '\0', len))
        return perr(err, 0, "input contains a NUL byte");
    if (!next_line(&r))
        return perr(err, 0, "empty input: expected a header (dense, sparse, hr) or an "
                            "OR-Library size");
    const char *s;
    size_t n;
    const char *save = r.tp;
    next_tok(&r, &s, &n);
    int64_t orlib_n;
    if (tok_is(s, n, "dense")) {
        r.tp = save;
        return parse_dense(&r, len, a, out, err);
    }
    if (tok_is(s, n, "sparse")) {
        r.tp = save;
        return parse_sparse(&r, len, a, out, err);
    }
    if (tok_is(s, n, "hr")) {
        r.tp = save;
        return parse_hr(&r, len, a, out, err);
    }
    if (parse_count(s, n, INT32_MAX, &orlib_n))
        return parse_orlib(&r, orlib_n, len, a, out, err);
    return perr(err, r.line, "expected a header 'dense', 'sparse', 'hr' or an OR-Library size, "
                             "got '%.*s'", (int)utf8_cut(s, n > 16 ? 16 : n), s);
}
