/*
 * store_cursor.c - lists: keyset pagination with opaque cursors, sort checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/arena.h"
#include <sodium.h>

/* ---- lists and cursors --------------------------------------------------- */

void list_page_free(struct list_page *p)
{
    json_decref(p->items);
    free(p->next_cursor);
    p->items = NULL;
    p->next_cursor = NULL;
}

/* Cursors are opaque to clients: base64url of "sortkey\x1fid". The sort
 * key is a whole field value, so neither side has a fixed buffer. */

static char *cursor_make(const char *key, int64_t id)
{
    char *raw = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&raw, &n);
    if (!f)
        return NULL;
    fprintf(f, "%s\x1f%lld", key ? key : "", (long long)id);
    if (fclose(f) != 0) {
        free(raw);
        return NULL;
    }
    size_t outlen = sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = outlen <= CURSOR_MAX + 1 ? malloc(outlen) : NULL;
    if (out)
        sodium_bin2base64(out, outlen, (unsigned char *)raw, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    free(raw);
    return out;
}

/* *key is malloc'd; the caller frees it. */
int st_cursor_parse(const char *cursor, char **key, int64_t *id, struct tb_err *err)
{
    size_t clen = strlen(cursor), n;
    unsigned char *raw = clen <= CURSOR_MAX ? malloc(clen + 1) : NULL;
    if (!raw || sodium_base642bin(raw, clen, cursor, clen, NULL, &n, NULL,
                                  sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
        free(raw);
        return TB_INVALID(err, "cursor", "cursor: not a cursor this server issued");
    }
    raw[n] = '\0';
    char *sep = memchr(raw, '\x1f', n);
    char *end = NULL;
    long long v = -1;
    if (sep) {
        *sep = '\0';
        v = strtoll(sep + 1, &end, 10);
    }
    if (!sep || *end || v < 0 || strlen((char *)raw) != (size_t)(sep - (char *)raw)) {
        free(raw);
        return TB_INVALID(err, "cursor", "cursor: not a cursor this server issued");
    }
    *key = (char *)raw;
    *id = v;
    return 0;
}

/* Binds the paging parameters; key_column names the sort key in each row
 * (NULL: sort by id only). Runs the statement, fills page. */
/* Binds q's page (cursor, limit + 1) to s; the page's limit, or -1. */
static int list_bind(struct store *st, struct st_q *s, const struct list_query *q, int descending,
                     struct tb_err *err)
{
    int limit = q->limit > 0 ? q->limit : 50;
    char *key = NULL;
    int64_t id = descending ? INT64_MAX : 0;
    if (q->cursor && st_cursor_parse(q->cursor, &key, &id, err) < 0)
        return -1;
    /* A list statement pages forward (:after_id, with :after_key when sorted
     * by a name) or backward (:before_id). */
    if (st_has_param(s, ":after_id"))
        st_bind_i64(st, s, ":after_id", id);
    if (st_has_param(s, ":before_id"))
        st_bind_i64(st, s, ":before_id", id);
    if (st_has_param(s, ":after_key"))
        st_bind_text(st, s, ":after_key", key ? key : "");
    free(key);
    st_bind_i64(st, s, ":limit", limit + 1);
    return limit;
}

int st_list_run(struct store *st, struct st_q *s, const struct list_query *q,
                    const char *key_column, int descending, struct list_page *page,
                    struct tb_err *err)
{
    int limit = list_bind(st, s, q, descending, err);
    if (limit < 0)
        return -1;
    page->items = json_array();
    page->next_cursor = NULL;
    int rc;
    while ((rc = st_step(st, s)) == ST_ROW)
        json_array_append_new(page->items, st_row_json(s));
    st_reset(s);
    if (rc != ST_DONE) {
        list_page_free(page);
        return st_db_fail(st, err, "list");
    }
    size_t n = json_array_size(page->items);
    if (n > (size_t)limit) {
        json_array_remove(page->items, n - 1);
        json_t *last = json_array_get(page->items, n - 2);
        const char *k = key_column ? json_string_value(json_object_get(last, key_column)) : "";
        page->next_cursor = cursor_make(k, json_integer_value(json_object_get(last, "id")));
    }
    return 0;
}

int st_list_run_text(struct store *st, struct st_q *s, const struct list_query *q, const char *key_column,
                     int descending, const char *const *json_columns, const struct row_member *x,
                     struct abuf *out, char **next_cursor, struct tb_err *err)
{
    *next_cursor = NULL;
    int limit = list_bind(st, s, q, descending, err);
    if (limit < 0)
        return -1;
    int rc, rows = 0, key_col = -1, id_col = -1;
    char *key = NULL;   /* the last row's sort key, for the cursor */
    struct row_plan plan;
    int64_t id = 0;
    abuf_append(out, "[", 1);
    while ((rc = st_step(st, s)) == ST_ROW) {
        if (rows == limit) {   /* the one past the page: there is a next page */
            *next_cursor = cursor_make(key ? key : "", id);
            break;
        }
        if (rows == 0) {
            if (st_row_plan(s, json_columns, x, &plan) < 0)
                out->failed = 1;
            for (int i = 0, n = st_col_count(s); i < n; i++) {
                if (!strcmp(st_col_name(s, i), "id"))
                    id_col = i;
                if (key_column && !strcmp(st_col_name(s, i), key_column))
                    key_col = i;
            }
        }
        if (out->failed)
            break;
        if (rows++)
            abuf_append(out, ",", 1);
        st_row_text_planned(s, &plan, x, out);
        id = id_col >= 0 ? st_col_i64(s, id_col) : 0;
        if (key_col >= 0) {
            free(key);
            const char *k = st_col_text(s, key_col);
            key = k ? strdup(k) : NULL;
            if (k && !key)
                out->failed = 1;
        }
    }
    st_reset(s);
    free(key);
    abuf_append(out, "]", 1);
    if (rc != ST_DONE && rc != ST_ROW) {
        free(*next_cursor);
        *next_cursor = NULL;
        return st_db_fail(st, err, "list");
    }
    if (out->failed || (rc == ST_ROW && !*next_cursor)) {   /* out of memory there */
        free(*next_cursor);
        *next_cursor = NULL;
        return tb_error(err, TB_E_INTERNAL_ERROR, "", "out of memory");
    }
    return 0;
}

int st_sort_check(const char *sort, const char *const *allowed, struct tb_err *err)
{
    if (!sort)
        return 0;
    for (int i = 0; allowed[i]; i++)
        if (!strcmp(sort, allowed[i]))
            return i;
    char list[128] = "";
    for (int i = 0; allowed[i]; i++) {
        strcat(list, i ? ", " : "");
        strcat(list, allowed[i]);
    }
    return TB_INVALID(err, "sort", "sort: must be one of %s", list);
}
