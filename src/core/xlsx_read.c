/*
 * xlsx_read.c - the first worksheet of an XLSX file as CSV text: libzip opens
 * the archive from memory, expat parses workbook, relationships, shared
 * strings, styles and the sheet (why not a library: see xlsx_read.h).
 */
#include "core/xlsx_read.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/arena.h"
#include "core/date.h"

/* ---- the archive --------------------------------------------------------------------------------- */

/* One part of the archive, NUL-terminated; NULL when absent. *too_big when over the limit. */
static char *read_part(zip_t *z, const char *name, size_t *len, int *too_big)
{
    zip_stat_t sb;
    *len = 0;
    if (zip_stat(z, name, 0, &sb) < 0 || !(sb.valid & ZIP_STAT_SIZE))
        return NULL;
    if (sb.size > (zip_uint64_t)XLSX_MAX_PART_BYTES) {
        *too_big = 1;
        return NULL;
    }
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f)
        return NULL;
    char *buf = malloc((size_t)sb.size + 1);
    zip_int64_t got = buf ? zip_fread(f, buf, sb.size) : -1;
    zip_fclose(f);
    /* The size in the directory is checked against what inflates. */
    if (got < 0 || (zip_uint64_t)got != sb.size) {
        free(buf);
        return NULL;
    }
    buf[got] = '\0';
    *len = (size_t)got;
    return buf;
}

/* ---- XML parsing shared by every part ------------------------------------------------------------- */

static const char *local_name(const char *name)
{
    const char *c = strrchr(name, ':');   /* namespaces are not declared to expat: drop prefixes */
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (!strcmp(local_name(atts[i]), name))
            return atts[i + 1];
    return NULL;
}

static int parse_xml(const char *xml, size_t len, void *ud, XML_StartElementHandler start,
                     XML_EndElementHandler end, XML_CharacterDataHandler text)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p)
        return -1;
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, start, end);
    if (text)
        XML_SetCharacterDataHandler(p, text);
    int ok = XML_Parse(p, xml, (int)len, 1) == XML_STATUS_OK;
    XML_ParserFree(p);
    return ok ? 0 : -1;
}

/* ---- workbook: the first sheet's part name -------------------------------------------------------- */

struct first_sheet {
    char rid[128];     /* r:id of the first <sheet> */
    char target[512];  /* its Target in the relationships */
};

static void on_workbook(void *ud, const char *name, const char **atts)
{
    struct first_sheet *s = ud;
    const char *id = attr(atts, "id");
    if (!strcmp(local_name(name), "sheet") && !s->rid[0] && id)
        snprintf(s->rid, sizeof s->rid, "%s", id);
}

static void on_rels(void *ud, const char *name, const char **atts)
{
    struct first_sheet *s = ud;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
    if (!strcmp(local_name(name), "Relationship") && id && target && !strcmp(id, s->rid))
        snprintf(s->target, sizeof s->target, "%s", target);
}

static void on_nothing(void *ud, const char *name)
{
    (void)ud;
    (void)name;
}

/* "xl/worksheets/sheet1.xml" from the workbook, or that name when the workbook does not say. */
static void sheet_part(zip_t *z, char *out, size_t n, int *too_big)
{
    struct first_sheet s = {0};
    size_t len;
    char *wb = read_part(z, "xl/workbook.xml", &len, too_big);
    if (wb && parse_xml(wb, len, &s, on_workbook, on_nothing, NULL) == 0 && s.rid[0]) {
        char *rels = read_part(z, "xl/_rels/workbook.xml.rels", &len, too_big);
        if (rels)
            parse_xml(rels, len, &s, on_rels, on_nothing, NULL);
        free(rels);
    }
    free(wb);
    if (!s.target[0] || strstr(s.target, ".."))
        snprintf(out, n, "xl/worksheets/sheet1.xml");
    else if (s.target[0] == '/')
        snprintf(out, n, "%s", s.target + 1);
    else
        snprintf(out, n, "xl/%s", s.target);
}

/* ---- shared strings ------------------------------------------------------------------------------- */

struct strings {
    char **items;
    size_t n, cap;
    struct abuf cur;
    int in_si, in_t, in_rph, failed;
};

static void on_sst_start(void *ud, const char *name, const char **atts)
{
    (void)atts;
    struct strings *s = ud;
    const char *l = local_name(name);
    if (!strcmp(l, "si")) {
        s->in_si = 1;
        abuf_release(&s->cur);
        abuf_init_heap(&s->cur, XLSX_MAX_PART_BYTES);
    } else if (!strcmp(l, "rPh")) {
        s->in_rph = 1;   /* phonetic guide text is not part of the value */
    } else if (!strcmp(l, "t")) {
        s->in_t = 1;
    }
}

static void on_sst_end(void *ud, const char *name)
{
    struct strings *s = ud;
    const char *l = local_name(name);
    if (!strcmp(l, "t")) {
        s->in_t = 0;
    } else if (!strcmp(l, "rPh")) {
        s->in_rph = 0;
    } else if (!strcmp(l, "si") && s->in_si) {
        s->in_si = 0;
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 256;
            char **items = cap <= (size_t)XLSX_MAX_PART_BYTES ? realloc(s->items, cap * sizeof *items) : NULL;
            if (!items) {
                s->failed = 1;
                return;
            }
            s->items = items;
            s->cap = cap;
        }
        const char *cur = abuf_cstr(&s->cur);
        char *text = strdup(cur ? cur : "");
        abuf_release(&s->cur);
        abuf_init_heap(&s->cur, XLSX_MAX_PART_BYTES);
        if (!text)
            s->failed = 1;
        else
            s->items[s->n++] = text;
    }
}

static void on_sst_text(void *ud, const char *text, int len)
{
    struct strings *s = ud;
    if (s->in_si && s->in_t && !s->in_rph && abuf_append(&s->cur, text, (size_t)len) < 0)
        s->failed = 1;
}

static void strings_free(struct strings *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->items[i]);
    free(s->items);
    abuf_release(&s->cur);
}

/* ---- styles: which cell formats are dates ---------------------------------------------------------- */

#define MAX_FORMATS 4096

struct styles {
    int custom_ids[MAX_FORMATS];   /* numFmtId of custom formats that are dates */
    int ncustom;
    unsigned char xf_date[MAX_FORMATS];   /* cellXfs index -> is a date (1), with a time (2) */
    int nxf, in_cellxfs;
};

/* A number format code shows a date when it has y, m or d outside quotes,
 * brackets (colours, elapsed time) and escapes. 2 when it also has h or s. */
static int format_kind(const char *code)
{
    int date = 0, time = 0, quoted = 0, bracket = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (*p == '\\' && p[1])
            p++;
        else if (*p == '[')
            bracket = 1;
        else if (*p == ']')
            bracket = 0;
        else if (!bracket && strchr("yYdD", *p))
            date = 1;
        else if (!bracket && strchr("mM", *p))
            date = 1;
        else if (!bracket && strchr("hHsS", *p))
            time = 1;
    }
    return date ? (time ? 2 : 1) : 0;
}

static int builtin_kind(int id)
{
    if ((id >= 14 && id <= 17) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58))
        return 1;
    if (id == 22)
        return 2;
    return 0;
}

static void on_styles_start(void *ud, const char *name, const char **atts)
{
    struct styles *s = ud;
    const char *l = local_name(name);
    if (!strcmp(l, "numFmt")) {
        const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
        int kind = code ? format_kind(code) : 0;
        if (id && kind && s->ncustom < MAX_FORMATS / 2)
            s->custom_ids[s->ncustom++] = atoi(id) * 4 + kind;   /* id and kind in one int */
    } else if (!strcmp(l, "cellXfs")) {
        s->in_cellxfs = 1;
    } else if (!strcmp(l, "xf") && s->in_cellxfs && s->nxf < MAX_FORMATS) {
        const char *v = attr(atts, "numFmtId");
        int id = v ? atoi(v) : 0, kind = builtin_kind(id);
        for (int i = 0; i < s->ncustom && !kind; i++)
            if (s->custom_ids[i] / 4 == id)
                kind = s->custom_ids[i] % 4;
        s->xf_date[s->nxf++] = (unsigned char)kind;
    }
}

static void on_styles_end(void *ud, const char *name)
{
    struct styles *s = ud;
    if (!strcmp(local_name(name), "cellXfs"))
        s->in_cellxfs = 0;
}

/* ---- the sheet ------------------------------------------------------------------------------------- */

struct sheet {
    const struct strings *sst;
    const struct styles *styles;
    struct abuf csv;
    long row;          /* the sheet row being read (1-based) */
    long written;      /* CSV lines written */
    int col;           /* next column in the row (0-based) */
    int cols_written;  /* cells written on the current line */
    /* the cell being read */
    char type[16];
    int style, in_v, in_is, in_t, in_cell;
    int cell_col;
    struct abuf value;
    int too_big, bad;
};

/* "BC12" -> 54 (0-based), or -1. */
static int column_of(const char *ref)
{
    int c = 0, letters = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++, letters++) {
        c = c * 26 + (*ref - 'A' + 1);
        if (c > XLSX_MAX_COLUMNS)
            return -2;
    }
    return letters ? c - 1 : -1;
}

static void csv_cell(struct sheet *s, const char *text)
{
    if (s->cols_written)
        abuf_puts(&s->csv, ",");
    abuf_puts(&s->csv, "\"");
    for (const char *p = text; *p; p++)
        abuf_append(&s->csv, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
    abuf_puts(&s->csv, "\"");
    s->cols_written++;
}

/* Spreadsheet day serials (1900 date system, with its phantom 29 February
 * 1900) to a civil date; 0 for values outside years 1900-9999. */
static int serial_to_text(double v, int with_time, char *out, size_t n)
{
    if (!(v >= 1 && v < 2958466))
        return -1;
    double whole = floor(v);
    int64_t day = (int64_t)whole;
    if (day >= 61)
        day -= 1;   /* the phantom 1900-02-29 */
    int32_t civil = (int32_t)(tb_days_from_civil(1899, 12, 31) + day);
    char iso[11];
    tb_day_to_iso(civil, iso);
    long secs = lround((v - whole) * 86400.0);
    if (secs >= 86400)
        secs = 86399;
    if (with_time && secs)
        snprintf(out, n, "%sT%02ld:%02ld:%02ldZ", iso, secs / 3600, secs / 60 % 60, secs % 60);
    else
        snprintf(out, n, "%s", iso);
    return 0;
}

static void number_text(struct sheet *s, const char *v, char *out, size_t n)
{
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end) {
        snprintf(out, n, "%s", v);   /* not a number after all: as written */
        return;
    }
    int kind = s->style >= 0 && s->style < s->styles->nxf ? s->styles->xf_date[s->style] : 0;
    if (kind && serial_to_text(d, kind == 2, out, n) == 0)
        return;
    /* 15 significant digits, as the spreadsheet shows: 120241000.06999999 reads 120241000.07. */
    snprintf(out, n, "%.15g", d);
}

static void pad_to(struct sheet *s, long row, int col)
{
    while (s->written < row) {
        if (s->written)
            abuf_puts(&s->csv, "\r\n");
        s->written++;
        s->cols_written = 0;
    }
    while (s->cols_written < col)
        csv_cell(s, "");
}

static void on_sheet_start(void *ud, const char *name, const char **atts)
{
    struct sheet *s = ud;
    const char *l = local_name(name);
    if (!strcmp(l, "row")) {
        const char *r = attr(atts, "r");
        long row = r ? strtol(r, NULL, 10) : s->row + 1;
        if (row <= s->row || row > XLSX_MAX_ROWS) {
            s->too_big |= row > XLSX_MAX_ROWS;
            s->bad |= row <= s->row;
            row = s->row + 1;
        }
        s->row = row;
        s->col = 0;
    } else if (!strcmp(l, "c")) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *st = attr(atts, "s");
        int col = r ? column_of(r) : s->col;
        if (col == -2)
            s->too_big = 1;
        if (col < 0 || col < s->col)
            col = s->col;
        if (col >= XLSX_MAX_COLUMNS) {
            s->too_big = 1;
            col = XLSX_MAX_COLUMNS - 1;
        }
        s->cell_col = col;
        s->col = col + 1;
        snprintf(s->type, sizeof s->type, "%s", t ? t : "n");
        s->style = st ? atoi(st) : -1;
        s->in_cell = 1;
        abuf_release(&s->value);
        abuf_init_heap(&s->value, XLSX_MAX_PART_BYTES);
    } else if (s->in_cell && !strcmp(l, "v")) {
        s->in_v = 1;
    } else if (s->in_cell && !strcmp(l, "is")) {
        s->in_is = 1;
    } else if (s->in_is && !strcmp(l, "t")) {
        s->in_t = 1;
    }
}

static void on_sheet_text(void *ud, const char *text, int len)
{
    struct sheet *s = ud;
    if ((s->in_v || (s->in_is && s->in_t)) && abuf_append(&s->value, text, (size_t)len) < 0)
        s->too_big = 1;
}

static void on_sheet_end(void *ud, const char *name)
{
    struct sheet *s = ud;
    const char *l = local_name(name);
    if (!strcmp(l, "v")) {
        s->in_v = 0;
    } else if (!strcmp(l, "t")) {
        s->in_t = 0;
    } else if (!strcmp(l, "is")) {
        s->in_is = 0;
    } else if (!strcmp(l, "c") && s->in_cell) {
        s->in_cell = 0;
        const char *v = abuf_cstr(&s->value);
        if (!v || !*v)
            return;   /* an empty (formatted) cell */
        char num[64];
        const char *text = v;
        if (!strcmp(s->type, "s")) {
            char *end;
            unsigned long k = strtoul(v, &end, 10);
            text = !*end && k < s->sst->n ? s->sst->items[k] : "";
        } else if (!strcmp(s->type, "b")) {
            text = !strcmp(v, "1") ? "TRUE" : "FALSE";
        } else if (!strcmp(s->type, "n")) {
            number_text(s, v, num, sizeof num);
            text = num;
        }
        /* str (a formula's text), inlineStr, e (an error such as #N/A): as written */
        pad_to(s, s->row ? s->row : 1, s->cell_col);
        csv_cell(s, text);
    }
}

/* ---- the whole file -------------------------------------------------------------------------------- */

int xlsx_looks_like(const char *data, size_t len)
{
    return len >= 4 && !memcmp(data, "PK\x03\x04", 4);
}

int xlsx_to_csv(const char *data, size_t len, char **csv, size_t *csv_len, struct tb_err *err)
{
    *csv = NULL;
    *csv_len = 0;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    zip_error_fini(&ze);
    if (!z) {
        if (src)
            zip_source_free(src);
        return TB_INVALID(err, "file", "file: not a readable XLSX file (the ZIP archive is damaged)");
    }
    int too_big = 0, rc = -1;
    char part[600];
    sheet_part(z, part, sizeof part, &too_big);
    struct strings sst = {0};
    struct styles *styles = calloc(1, sizeof *styles);
    struct sheet s = {.sst = &sst, .styles = styles};
    abuf_init_heap(&sst.cur, XLSX_MAX_PART_BYTES);
    abuf_init_heap(&s.csv, XLSX_MAX_CSV_BYTES);
    abuf_init_heap(&s.value, XLSX_MAX_PART_BYTES);
    size_t n;
    char *xml = NULL;
    if (!styles) {
        TB_INTERNAL(err, "out of memory");
        goto out;
    }
    if ((xml = read_part(z, "xl/sharedStrings.xml", &n, &too_big)) &&
        (parse_xml(xml, n, &sst, on_sst_start, on_sst_end, on_sst_text) < 0 || sst.failed)) {
        TB_INVALID(err, "file", "file: the XLSX file's shared strings cannot be read");
        goto out;
    }
    free(xml);
    if ((xml = read_part(z, "xl/styles.xml", &n, &too_big)))
        parse_xml(xml, n, styles, on_styles_start, on_styles_end, NULL);   /* without styles: numbers stay numbers */
    free(xml);
    xml = read_part(z, part, &n, &too_big);
    if (too_big) {
        tb_error(err, TB_E_PAYLOAD_TOO_LARGE, "file", "file: a part of the XLSX file is over %ld MiB uncompressed",
                 XLSX_MAX_PART_BYTES >> 20);
        goto out;
    }
    if (!xml) {
        TB_INVALID(err, "file", "file: no worksheet in the XLSX file");
        goto out;
    }
    if (parse_xml(xml, n, &s, on_sheet_start, on_sheet_end, on_sheet_text) < 0 || s.bad) {
        TB_INVALID(err, "file", "file: the XLSX worksheet is not well-formed");
        goto out;
    }
    if (s.too_big || s.csv.failed) {
        tb_error(err, TB_E_PAYLOAD_TOO_LARGE, "file", "file: the worksheet is too large (at most %d rows and %d columns)",
                 XLSX_MAX_ROWS, XLSX_MAX_COLUMNS);
        goto out;
    }
    if (s.written)
        abuf_puts(&s.csv, "\r\n");
    *csv_len = s.csv.len;
    *csv = s.csv.len ? abuf_take(&s.csv) : strdup("");
    rc = *csv ? 0 : TB_INTERNAL(err, "out of memory");
out:
    free(xml);
    strings_free(&sst);
    free(styles);
    abuf_release(&s.csv);
    abuf_release(&s.value);
    zip_discard(z);
    return rc;
}
