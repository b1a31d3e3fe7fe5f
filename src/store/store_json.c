/*
 * store_json.c - running a statement with the members of a JSON object bound
 * by name (store_int.h: st_jprep, st_jrun, st_jrows, st_jone).
 */
#include <stdio.h>
#include <stdlib.h>

#include "store/store_int.h"

/* ---- helpers: bind a JSON object's members by name ---------------------- */

static void bind_params(struct store *st, struct st_q *s, const json_t *params)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)params, k, v) {
        char name[64];
        snprintf(name, sizeof name, ":%s", k);
        if (json_is_integer(v))
            st_bind_i64(st, s, name, json_integer_value(v));
        else if (json_is_boolean(v))
            st_bind_i64(st, s, name, json_is_true(v));
        else if (json_is_string(v))
            st_bind_text(st, s, name, json_string_value(v));
        else if (json_is_object(v) || json_is_array(v)) {
            char *text = json_dumps(v, JSON_COMPACT);
            st_bind_text(st, s, name, text);
            free(text);
        } else
            st_bind_text(st, s, name, NULL);
    }
}

/* The executor binds the actor's scope; the members of params bind the rest,
 * each of which the statement must have. */
struct st_q *st_jprep(struct store *st, const struct tb_actor *a, enum stmt id, const json_t *params,
                       struct tb_err *err)
{
    struct st_q *s = st_stmt(st, id, a, err);
    if (s)
        bind_params(st, s, params);
    return s;
}

/* Runs a statement that changes rows; *changes = rows changed (may be NULL). */
int st_jrun(struct store *st, const struct tb_actor *a, enum stmt id, json_t *params, const char *what,
            int *changes, struct tb_err *err)
{
    struct st_q *s = st_jprep(st, a, id, params, err);
    json_decref(params);
    if (!s || st_step_done(st, s, what, err) < 0)
        return -1;
    if (changes)
        *changes = st_changes(st);
    return 0;
}

int st_jrows(struct store *st, const struct tb_actor *a, enum stmt id, json_t *params, json_t **out,
             struct tb_err *err)
{
    struct st_q *s = st_jprep(st, a, id, params, err);
    json_decref(params);
    return s ? st_rows(st, s, out, err) : -1;
}

int st_jone(struct store *st, const struct tb_actor *a, enum stmt id, json_t *params, const char *what,
            json_t **out, struct tb_err *err)
{
    struct st_q *s = st_jprep(st, a, id, params, err);
    json_decref(params);
    return s ? st_get_one(st, s, what, out, err) : -1;
}

