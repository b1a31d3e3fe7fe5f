/*
 * store_notify.c - a person's settings, their to-do items and which of those
 * they were told about (issue 17). SQL in stmts_notify_sqlite.inc.
 */
#include "store/store_notify.h"

#include <string.h>

#include "store/store_int.h"

static struct st_q *mine(struct store *st, enum stmt id, const struct tb_actor *a, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, id, a, err);
    if (s)
        st_bind_i64(st, s, ":user_id", a->user_id);
    return s;
}

/* Runs s (NULL: st_stmt refused it); *changed: whether it changed one row. */
static int step_changed(struct store *st, struct st_q *s, int *changed, struct tb_err *err)
{
    if (!s || st_step_done(st, s, "settings", err) < 0)
        return -1;
    *changed = st_changes(st) == 1;
    return 0;
}

static int ensure(struct store *st, const struct tb_actor *a, struct tb_err *err)
{
    struct st_q *s = mine(st, STMT_USETTINGS_ENSURE, a, err);
    return s ? st_step_done(st, s, "settings", err) : -1;
}

int store_settings_get(struct store *st, const struct tb_actor *a, json_t **out, struct tb_err *err)
{
    struct st_q *s = mine(st, STMT_USETTINGS_GET, a, err);
    if (!s)
        return -1;
    struct tb_err none;
    if (st_get_one(st, s, "settings", out, &none) == 0) {
        json_object_set_new(*out, "calendar", json_boolean(json_integer_value(json_object_get(*out, "calendar"))));
        return 0;
    }
    if (none.status != 404) {
        *err = none;
        return -1;
    }
    *out = json_pack("{s:n, s:s, s:b, s:n, s:n, s:n, s:n}", "locale", "todo_mail", "immediately", "calendar", 0,
                     "calendar_created_at", "todo_baseline_at", "digest_on", "updated_at");
    return *out ? 0 : TB_INTERNAL(err, "out of memory");
}

int store_settings_set(struct store *st, const struct tb_actor *a, int set_locale, const char *locale,
                       const char *todo_mail, struct tb_err *err)
{
    if (ensure(st, a, err) < 0)
        return -1;
    struct st_q *s = mine(st, STMT_USETTINGS_SET, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":set_locale", set_locale);
    st_bind_text(st, s, ":locale", set_locale ? locale : NULL);
    st_bind_text(st, s, ":todo_mail", todo_mail);
    return st_step_done(st, s, "settings", err);
}

int store_settings_calendar(struct store *st, const struct tb_actor *a, const char *token_hash, struct tb_err *err)
{
    if (ensure(st, a, err) < 0)
        return -1;
    struct st_q *s = mine(st, STMT_USETTINGS_CALENDAR, a, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":hash", token_hash);
    return st_step_done(st, s, "settings", err);
}

int store_settings_baseline(struct store *st, const struct tb_actor *a, int *first, struct tb_err *err)
{
    *first = 0;
    if (ensure(st, a, err) < 0)
        return -1;
    return step_changed(st, mine(st, STMT_USETTINGS_BASELINE, a, err), first, err);
}

int store_settings_digest_claim(struct store *st, const struct tb_actor *a, const char *today, int *claimed,
                                struct tb_err *err)
{
    *claimed = 0;
    if (ensure(st, a, err) < 0)
        return -1;
    struct st_q *s = mine(st, STMT_USETTINGS_DIGEST, a, err);
    if (s)
        st_bind_text(st, s, ":today", today);
    return step_changed(st, s, claimed, err);
}

/* "en" or "sv" as chosen; NULL when not chosen (or no account). */
static const char *locale_or_null(struct store *st, enum stmt id, const char *param, int64_t v)
{
    struct tb_err err;
    struct st_q *s = v > 0 ? st_stmt(st, id, NULL, &err) : NULL;
    if (!s)
        return NULL;
    st_bind_i64(st, s, param, v);
    const char *lang = NULL;
    if (st_step(st, s) == ST_ROW) {
        const char *v = st_col_text(s, 0);
        lang = !v ? NULL : !strcmp(v, "sv") ? "sv" : !strcmp(v, "en") ? "en" : NULL;
    }
    st_reset(s);
    return lang;
}

static const char *locale_of(struct store *st, enum stmt id, const char *param, int64_t v)
{
    const char *lang = locale_or_null(st, id, param, v);
    return lang ? lang : "en";
}

const char *store_locale_chosen_of_graduate(struct store *st, int64_t graduate_id)
{
    return locale_or_null(st, STMT_USETTINGS_LOCALE_OF_GRADUATE, ":graduate_id", graduate_id);
}

const char *store_locale_of(struct store *st, int64_t user_id)
{
    return locale_of(st, STMT_USETTINGS_LOCALE_OF, ":user_id", user_id);
}

const char *store_locale_of_graduate(struct store *st, int64_t graduate_id)
{
    return locale_of(st, STMT_USETTINGS_LOCALE_OF_GRADUATE, ":graduate_id", graduate_id);
}

int store_calendar_owner(struct store *st, const char *token_hash, int64_t *user_id, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_CALENDAR_OWNER, NULL, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":hash", token_hash);
    int rc = st_step(st, s);
    *user_id = rc == ST_ROW ? st_col_i64(s, 0) : 0;
    st_reset(s);
    if (rc == ST_ROW)
        return 0;
    return rc == ST_DONE ? TB_NOT_FOUND(err, "no calendar at this address") : st_db_fail(st, err, "calendar");
}

int store_todo_mark(struct store *st, const struct tb_actor *a, const char *item_key, int *is_new,
                    struct tb_err *err)
{
    *is_new = 0;
    struct st_q *s = mine(st, STMT_TODO_MAILED_ADD, a, err);
    if (s)
        st_bind_text(st, s, ":key", item_key);
    return step_changed(st, s, is_new, err);
}

int store_todo_people(struct store *st, int64_t after_id, json_t **ids, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_TODO_PEOPLE, NULL, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":after_id", after_id);
    *ids = json_array();
    int rc;
    while ((rc = st_step(st, s)) == ST_ROW)
        json_array_append_new(*ids, json_integer(st_col_i64(s, 0)));
    st_reset(s);
    if (rc == ST_DONE)
        return 0;
    json_decref(*ids);
    *ids = NULL;
    return st_db_fail(st, err, "people");
}

int store_todo_rows(struct store *st, const struct tb_actor *a, enum todo_source src, const char *party,
                    json_t *items, struct tb_err *err)
{
    static const enum stmt stmts[] = {
        [TODO_SRC_AGREEMENTS] = STMT_TODO_AGREEMENTS, [TODO_SRC_REVIEWS] = STMT_TODO_REVIEWS,
        [TODO_SRC_POSITIONS] = STMT_TODO_POSITIONS, [TODO_SRC_DELIVERABLES] = STMT_TODO_DELIVERABLES,
        [TODO_SRC_OFFERS] = STMT_TODO_OFFERS, [TODO_SRC_SURVEYS] = STMT_TODO_SURVEYS,
    };
    struct st_q *s = st_stmt(st, stmts[src], a, err);
    if (!s)
        return -1;
    if (st_has_param(s, ":party"))
        st_bind_text(st, s, ":party", party);
    json_t *rows;
    if (st_rows(st, s, &rows, err) < 0)
        return -1;
    int rc = json_array_extend(items, rows) == 0 ? 0 : TB_INTERNAL(err, "out of memory");
    json_decref(rows);
    return rc;
}
