/*
 * export_service.c - records as CSV or XLSX files, for the HTTP list views
 * and any command alike. A writer renders rows page by page (CSV into memory,
 * XLSX through libxlsxwriter into a private temporary file that is read back
 * and removed); export_run walks every page of a list through the caller's
 * page function and hands the finished file back.
 */
#include "service/export_service.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/arena.h"
#include "core/codes.h"
#include "core/validate.h"
#include "service/labels.h"

#define XLSX_MAX_STRING 32000     /* Excel refuses cells over 32767 characters */
#define XLSX_MAX_WIDTH 60.0
#define MONEY_FORMATS 32

/* ---- values as text ----------------------------------------------------------------------------- */

static int is_money(const char *key)
{
    static const char *const money[] = {"turnover", "export_turnover", "balance_sheet", "pay", "stipend", NULL};
    for (const char *const *m = money; *m; m++)
        if (!strcmp(*m, key))
            return 1;
    return 0;
}

/* Minor units -> "1250000.50" for a currency with `digits` minor units. */
static void major_units(long long v, int digits, char *out, size_t n)
{
    long long scale = 1;
    for (int i = 0; i < digits; i++)
        scale *= 10;
    unsigned long long a = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    if (digits == 0)
        snprintf(out, n, "%s%llu", v < 0 ? "-" : "", a);
    else
        snprintf(out, n, "%s%llu.%0*llu", v < 0 ? "-" : "", a / (unsigned long long)scale, digits,
                 a % (unsigned long long)scale);
}

static void scalar_text(struct abuf *b, const json_t *v)
{
    char num[64];
    if (json_is_string(v)) {
        abuf_append(b, json_string_value(v), json_string_length(v));
    } else if (json_is_integer(v)) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        abuf_puts(b, num);
    } else if (json_is_real(v)) {
        snprintf(num, sizeof num, "%.17g", json_real_value(v));
        abuf_puts(b, num);
    } else if (json_is_boolean(v)) {
        abuf_puts(b, json_is_true(v) ? "true" : "false");
    } else if (!json_is_null(v)) {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (text)
            abuf_puts(b, text);
        free(text);
    }
}

/* The parts of list items in the order the importer reads them back,
 * whatever order the record was written in (csv_import.c). */
static const char *const item_orders[][5] = {
    {"name", "email", "phone", "role", NULL},   /* contacts */
    {"code", "level", NULL},                    /* languages */
    {"country", "months", "kind", NULL},        /* country experience */
};

/* 1 when every key of item is in order[]. */
static int item_fits(const json_t *item, const char *const *order)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)item, k, v) {
        int found = 0;
        for (const char *const *o = order; *o; o++)
            found |= !strcmp(*o, k);
        if (!found)
            return 0;
    }
    return 1;
}

/* A list item that is an object shows its values joined with ':', so
 * {"code":"de","level":"B2"} reads de:B2 (empty values keep their place,
 * trailing ones are dropped). */
static void item_text(struct abuf *b, const json_t *item)
{
    if (!json_is_object(item)) {
        scalar_text(b, item);
        return;
    }
    for (size_t o = 0; o < sizeof item_orders / sizeof item_orders[0]; o++) {
        if (!item_fits(item, item_orders[o]))
            continue;
        size_t last = 0, n = 0;
        for (const char *const *k = item_orders[o]; *k; k++, n++) {
            json_t *v = json_object_get(item, *k);
            if (v && !json_is_null(v) && !(json_is_string(v) && !json_string_length(v)))
                last = n + 1;
        }
        for (size_t i = 0; i < last; i++) {
            if (i)
                abuf_puts(b, ":");
            json_t *v = json_object_get(item, item_orders[o][i]);
            if (v)
                scalar_text(b, v);
        }
        return;
    }
    size_t last = 0, i = 0;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)item, k, v) {
        i++;
        if (!json_is_null(v) && !(json_is_string(v) && !json_string_length(v)))
            last = i;
    }
    i = 0;
    json_object_foreach((json_t *)item, k, v) {
        if (++i > last)
            break;
        if (i > 1)
            abuf_puts(b, ":");
        if (json_is_object(v) || json_is_array(v)) {
            char *text = json_dumps(v, JSON_COMPACT);
            if (text)
                abuf_puts(b, text);
            free(text);
        } else {
            scalar_text(b, v);
        }
    }
}

/* The cell text of row[key]; NULL for null/absent (an empty cell). *money
 * is set when the value was shown in major units. */
static char *cell_text(const json_t *row, const char *key, int *money)
{
    const json_t *v = json_object_get(row, key);
    *money = 0;
    if (!v || json_is_null(v))
        return NULL;
    struct abuf b;
    abuf_init_heap(&b, EXPORT_CELL_MAX);
    if (json_is_integer(v) && is_money(key)) {
        int digits = codes_currency_minor_units(json_string_value(json_object_get(row, "currency")));
        if (digits >= 0) {
            char num[64];
            major_units(json_integer_value(v), digits, num, sizeof num);
            *money = 1;
            return strdup(num);
        }
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            if (i)
                abuf_puts(&b, "; ");
            item_text(&b, item);
        }
    } else {
        scalar_text(&b, v);
    }
    return abuf_take(&b);
}

char *export_csv_cell(const char *text)
{
    struct abuf b;
    abuf_init_heap(&b, EXPORT_CELL_MAX);
    /* A spreadsheet runs a cell starting with these as a formula; the
     * apostrophe makes it text (OWASP "CSV injection"). */
    int protect = text[0] && strchr("=+-@\t\r", text[0]) != NULL;
    int quote = 0;
    for (const char *p = text; *p; p++)
        if (*p == ',' || *p == '"' || *p == '\r' || *p == '\n' || *p == ';')
            quote = 1;
    if (text[0] == ' ' || (text[0] && text[strlen(text) - 1] == ' '))
        quote = 1;   /* readers trim unquoted cells */
    if (quote)
        abuf_puts(&b, "\"");
    if (protect)
        abuf_puts(&b, "'");
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            abuf_puts(&b, "\"\"");
        else
            abuf_append(&b, p, 1);
    }
    if (quote)
        abuf_puts(&b, "\"");
    return abuf_take(&b);
}

/* ---- the writer --------------------------------------------------------------------------------- */

struct money_format {
    char currency[8];
    lxw_format *format;
};

struct export_writer {
    enum export_format fmt;
    json_t *columns;              /* names, fixed by the first row */
    const struct export_view *view;   /* human headers; NULL: the names */
    size_t rows;
    struct abuf csv;
    /* XLSX */
    char path[256];
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold, *date, *datetime, *decimal;
    struct money_format money[MONEY_FORMATS];
    int nmoney;
    double *widths;
};

static void tmp_path(char *out, size_t n)
{
    const char *dir = getenv("TMPDIR");
    snprintf(out, n, "%s/tb-export-XXXXXX", dir && *dir && strlen(dir) < 200 ? dir : "/tmp");
}

int export_writer_new(enum export_format fmt, const char *title, struct export_writer **out,
                      struct tb_err *err)
{
    struct export_writer *w = calloc(1, sizeof *w);
    if (!w)
        return TB_INTERNAL(err, "out of memory");
    w->fmt = fmt;
    abuf_init_heap(&w->csv, EXPORT_CSV_MAX);
    if (fmt == EXPORT_CSV) {
        /* The BOM tells spreadsheet programs the file is UTF-8. */
        abuf_puts(&w->csv, "\xEF\xBB\xBF");
        *out = w;
        return 0;
    }
    tmp_path(w->path, sizeof w->path);
    int fd = mkstemp(w->path);
    if (fd < 0) {
        free(w);
        return TB_INTERNAL(err, "cannot create a temporary file for the spreadsheet");
    }
    close(fd);
    char tmpdir[256];
    snprintf(tmpdir, sizeof tmpdir, "%s", w->path);
    *strrchr(tmpdir, '/') = '\0';
    /* Rows are written in order, so libxlsxwriter can keep memory flat. */
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir, .use_zip64 = LXW_FALSE};
    w->wb = workbook_new_opt(w->path, &opts);
    char sheet[32];
    snprintf(sheet, sizeof sheet, "%s", title && *title ? title : "export");
    if (w->wb)
        w->ws = workbook_add_worksheet(w->wb, sheet);
    if (!w->wb || !w->ws) {
        export_writer_free(w);
        return TB_INTERNAL(err, "cannot start the spreadsheet");
    }
    w->bold = workbook_add_format(w->wb);
    format_set_bold(w->bold);
    w->date = workbook_add_format(w->wb);
    format_set_num_format(w->date, "yyyy-mm-dd");
    w->datetime = workbook_add_format(w->wb);
    format_set_num_format(w->datetime, "yyyy-mm-dd hh:mm:ss");
    w->decimal = workbook_add_format(w->wb);
    format_set_num_format(w->decimal, "#,##0.00");
    worksheet_freeze_panes(w->ws, 1, 0);
    *out = w;
    return 0;
}

void export_writer_free(struct export_writer *w)
{
    if (!w)
        return;
    if (w->wb) {
        workbook_close(w->wb);   /* also frees it */
        w->wb = NULL;
    }
    if (w->path[0])
        unlink(w->path);
    abuf_release(&w->csv);
    free(w->widths);
    json_decref(w->columns);
    free(w);
}

static lxw_format *money_format(struct export_writer *w, const char *currency, int digits)
{
    for (int i = 0; i < w->nmoney; i++)
        if (!strcmp(w->money[i].currency, currency))
            return w->money[i].format;
    if (w->nmoney == MONEY_FORMATS)
        return w->decimal;
    char num[64] = "#,##0";
    if (digits > 0) {
        strcat(num, ".");
        for (int i = 0; i < digits && i < 4; i++)
            strcat(num, "0");
    }
    /* Currency codes are three capital letters: safe inside the quotes. */
    snprintf(num + strlen(num), sizeof num - strlen(num), " \"%.3s\"", currency);
    struct money_format *m = &w->money[w->nmoney++];
    snprintf(m->currency, sizeof m->currency, "%s", currency);
    m->format = workbook_add_format(w->wb);
    format_set_num_format(m->format, num);
    return m->format;
}

static int parse_datetime(const char *s, lxw_datetime *dt, int *has_time)
{
    int y, mo, d, h = 0, mi = 0, se = 0, n = 0;
    size_t len = strlen(s);
    if (len == 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && n == 10 && valid_date(s)) {
        *has_time = 0;
    } else if (len == 20 && s[10] == 'T' && s[19] == 'Z' &&
               sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se, &n) == 6 && n == 20 &&
               h < 24 && mi < 60 && se < 61) {
        char day[11];
        memcpy(day, s, 10);
        day[10] = '\0';
        if (!valid_date(day))
            return -1;
        *has_time = 1;
    } else {
        return -1;
    }
    *dt = (lxw_datetime){.year = y, .month = mo, .day = d, .hour = h, .min = mi, .sec = se};
    return 0;
}

static void widen(struct export_writer *w, size_t col, const char *text)
{
    double chars = (double)utf8_chars(text);
    if (chars > w->widths[col])
        w->widths[col] = chars;
}

static int xlsx_cell(struct export_writer *w, lxw_row_t row, lxw_col_t col, const char *key,
                     const json_t *record)
{
    const json_t *v = json_object_get(record, key);
    if (!v || json_is_null(v))
        return 0;
    lxw_error rc;
    if (json_is_integer(v) && is_money(key)) {
        const char *cur = json_string_value(json_object_get(record, "currency"));
        int digits = codes_currency_minor_units(cur);
        if (digits >= 0) {
            double scale = 1;
            for (int i = 0; i < digits; i++)
                scale *= 10;
            char num[64];
            major_units(json_integer_value(v), digits, num, sizeof num);
            char shown[80];
            snprintf(shown, sizeof shown, "%s XXX", num);   /* the format adds the currency */
            widen(w, col, shown);
            return worksheet_write_number(w->ws, row, col, (double)json_integer_value(v) / scale,
                                          money_format(w, cur, digits)) == LXW_NO_ERROR ? 0 : -1;
        }
    }
    if (json_is_integer(v) || json_is_real(v)) {
        char num[64];
        double d = json_is_integer(v) ? (double)json_integer_value(v) : json_real_value(v);
        snprintf(num, sizeof num, "%.15g", d);
        widen(w, col, num);
        rc = worksheet_write_number(w->ws, row, col, d, NULL);
    } else if (json_is_boolean(v)) {
        widen(w, col, "FALSE");
        rc = worksheet_write_boolean(w->ws, row, col, json_is_true(v), NULL);
    } else {
        lxw_datetime dt;
        int has_time;
        if (json_is_string(v) && parse_datetime(json_string_value(v), &dt, &has_time) == 0) {
            widen(w, col, has_time ? "2026-01-01 00:00:00" : "2026-01-01");
            return worksheet_write_datetime(w->ws, row, col, &dt, has_time ? w->datetime : w->date) ==
                           LXW_NO_ERROR ? 0 : -1;
        }
        int money;
        char *text = cell_text(record, key, &money);
        if (!text)
            return -1;
        if (strlen(text) > XLSX_MAX_STRING) {
            size_t cut = XLSX_MAX_STRING;
            while (cut && ((unsigned char)text[cut] & 0xC0) == 0x80)
                cut--;   /* not in the middle of a UTF-8 sequence */
            text[cut] = '\0';
        }
        widen(w, col, text);
        /* Written as a string cell, a value is never run as a formula. */
        rc = worksheet_write_string(w->ws, row, col, text, NULL);
        free(text);
    }
    return rc == LXW_NO_ERROR ? 0 : -1;
}

/* The header of column i: the UI's word in the view's language, or the name. */
static const char *header_of(const struct export_writer *w, size_t i)
{
    const char *name = json_string_value(json_array_get(w->columns, i));
    return w->view && w->view->labels ? labels_column(w->view->labels, w->view->collection, name) : name;
}

void export_writer_view(struct export_writer *w, const struct export_view *view)
{
    w->view = view;
}

static int start_columns(struct export_writer *w, const json_t *first, struct tb_err *err)
{
    w->columns = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)first, k, v)
        json_array_append_new(w->columns, json_string(k));
    size_t n = json_array_size(w->columns);
    if (w->fmt == EXPORT_CSV) {
        for (size_t i = 0; i < n; i++) {
            char *cell = export_csv_cell(header_of(w, i));
            if (i)
                abuf_puts(&w->csv, ",");
            if (cell)
                abuf_puts(&w->csv, cell);
            free(cell);
        }
        abuf_puts(&w->csv, "\r\n");
        return 0;
    }
    w->widths = calloc(n ? n : 1, sizeof *w->widths);
    if (!w->widths)
        return TB_INTERNAL(err, "out of memory");
    for (size_t i = 0; i < n && i < LXW_COL_MAX; i++) {
        const char *name = header_of(w, i);
        widen(w, i, name);
        w->widths[i] += 2;   /* room for the bold face */
        if (worksheet_write_string(w->ws, 0, (lxw_col_t)i, name, w->bold) != LXW_NO_ERROR)
            return TB_INTERNAL(err, "cannot write the spreadsheet");
    }
    return 0;
}

int export_writer_rows(struct export_writer *w, const json_t *rows, struct tb_err *err)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        if (!json_is_object(row))
            continue;
        if (!w->columns && start_columns(w, row, err) < 0)
            return -1;
        size_t n = json_array_size(w->columns);
        w->rows++;
        for (size_t c = 0; c < n; c++) {
            const char *key = json_string_value(json_array_get(w->columns, c));
            if (w->fmt == EXPORT_XLSX) {
                if (c < LXW_COL_MAX && w->rows < LXW_ROW_MAX &&
                    xlsx_cell(w, (lxw_row_t)w->rows, (lxw_col_t)c, key, row) < 0)
                    return TB_INTERNAL(err, "cannot write the spreadsheet");
                continue;
            }
            if (c)
                abuf_puts(&w->csv, ",");
            int money;
            char *text = cell_text(row, key, &money);
            const json_t *v = json_object_get(row, key);
            if (text && (money || json_is_number(v) || json_is_boolean(v)))
                abuf_puts(&w->csv, text);   /* numbers are not text a formula could hide in */
            else if (text) {
                char *cell = export_csv_cell(text);
                if (cell)
                    abuf_puts(&w->csv, cell);
                else
                    w->csv.failed = 1;
                free(cell);
            }
            free(text);
        }
        if (w->fmt == EXPORT_CSV)
            abuf_puts(&w->csv, "\r\n");
        if (w->csv.failed)
            return TB_INTERNAL(err, "out of memory");
    }
    return 0;
}

int export_writer_finish(struct export_writer *w, char **data, size_t *len, struct tb_err *err)
{
    *data = NULL;
    *len = 0;
    if (w->fmt == EXPORT_CSV) {
        *len = w->csv.len;
        *data = abuf_take(&w->csv);
        export_writer_free(w);
        return *data ? 0 : TB_INTERNAL(err, "out of memory");
    }
    size_t n = json_array_size(w->columns);
    for (size_t i = 0; i < n && i < LXW_COL_MAX; i++) {
        double width = w->widths[i] + 1 > XLSX_MAX_WIDTH ? XLSX_MAX_WIDTH : w->widths[i] + 1;
        worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i, width < 6 ? 6 : width, NULL);
    }
    lxw_error rc = workbook_close(w->wb);
    w->wb = NULL;
    if (rc != LXW_NO_ERROR) {
        export_writer_free(w);
        return TB_INTERNAL(err, "cannot write the spreadsheet: %s", lxw_strerror(rc));
    }
    int fd = open(w->path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) < 0) {
        if (fd >= 0)
            close(fd);
        export_writer_free(w);
        return TB_INTERNAL(err, "cannot read the spreadsheet back");
    }
    char *buf = malloc(sb.st_size > 0 ? (size_t)sb.st_size : 1);
    size_t got = 0;
    while (buf && got < (size_t)sb.st_size) {
        ssize_t k = read(fd, buf + got, (size_t)sb.st_size - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    export_writer_free(w);   /* removes the file */
    if (!buf || got != (size_t)sb.st_size) {
        free(buf);
        return TB_INTERNAL(err, "cannot read the spreadsheet back");
    }
    *data = buf;
    *len = got;
    return 0;
}

/* ---- every page of a list ---------------------------------------------------------------------- */

int export_run(enum export_format fmt, const char *title, const struct export_view *view, const struct list_query *q0,
               export_page_fn fetch, export_row_fn decorate, void *ctx, char **data, size_t *len,
               struct tb_err *err)
{
    struct export_writer *w;
    if (export_writer_new(fmt, title, &w, err) < 0)
        return -1;
    export_writer_view(w, view);
    struct list_query q = *q0;
    q.limit = EXPORT_PAGE;
    q.cursor = NULL;   /* the whole list, whatever page the view was on */
    char *cursor = NULL;
    size_t total = 0;
    int rc = 0;
    do {
        struct list_page page = {0};
        q.cursor = cursor;
        rc = fetch(ctx, &q, &page, err);
        free(cursor);
        cursor = NULL;
        if (rc < 0)
            break;
        total += json_array_size(page.items);
        if (total > EXPORT_MAX_ROWS) {
            list_page_free(&page);
            rc = tb_error(err, TB_E_EXPORT_TOO_LARGE, "format",
                         "format: more than %d rows; narrow the list with filters", EXPORT_MAX_ROWS);
            break;
        }
        size_t i;
        json_t *row;
        if (decorate)
            json_array_foreach(page.items, i, row)
                decorate(ctx, row);
        rc = export_writer_rows(w, page.items, err);
        if (rc == 0 && page.next_cursor && !(cursor = strdup(page.next_cursor)))
            rc = TB_INTERNAL(err, "out of memory");
        list_page_free(&page);
    } while (rc == 0 && cursor);
    free(cursor);
    if (rc < 0) {
        export_writer_free(w);
        return -1;
    }
    return export_writer_finish(w, data, len, err);
}
