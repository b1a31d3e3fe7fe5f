/*
 * todo_service.c - each person's to-do list, the mail about it and the
 * calendar feed of its deadlines (issue 17). Used by src/http/h_todo.c, the
 * mail thread (mail_service.c) and `tradebridge todo`.
 *
 * The list is computed from the records every time (nothing to keep in step):
 * each kind of item is one function below, listed in `sources`, that asks the
 * store for the actor's rows of one statement (all answer the same columns).
 * A new kind is one such function plus its statement.
 */
#include "service/todo_service.h"

#include <libical/ical.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/msg.h"
#include "store/store_notify.h"

/* ---- the kinds of items ------------------------------------------------------- */

/* Appends the rows of src with their page (href + ref_id). told_elsewhere:
 * the event that makes the item already mails its person at once (so the
 * to-do mail does not repeat it; the daily digest still lists it). */
static int rows(struct store *st, const struct tb_actor *a, enum todo_source src, const char *party,
                const char *href, int told_elsewhere, json_t *items, struct tb_err *err)
{
    json_t *found = json_array(), *it;
    if (!found)
        return TB_INTERNAL(err, "out of memory");
    if (store_todo_rows(st, a, src, party, found, err) < 0) {
        json_decref(found);
        return -1;
    }
    size_t i;
    json_array_foreach(found, i, it) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s%lld", href, (long long)json_integer_value(json_object_get(it, "ref_id")));
        json_object_set_new(it, "href", json_string(buf));
        json_object_set_new(it, "_told", json_boolean(told_elsewhere));
        json_array_append(items, it);
    }
    json_decref(found);
    return 0;
}

static int has(const struct tb_actor *a, enum tb_role r)
{
    return actor_has(a, ROLE_BIT(r));
}

/* An agreement the actor's party has not accepted: coordinators accept for
 * the operator, a company manager for the company, the trainee for themself. */
static int agreements(struct store *st, const struct tb_actor *a, json_t *items, struct tb_err *err)
{
    const char *party = has(a, ROLE_COORDINATOR) ? "operator"
                        : has(a, ROLE_COMPANY)   ? "company"
                        : has(a, ROLE_TRAINEE)   ? "trainee"
                                                 : NULL;
    return party ? rows(st, a, TODO_SRC_AGREEMENTS, party, "#/placements/", 0, items, err) : 0;
}

/* A submitted deliverable: for the placement's mentor (mailed at once when it
 * is submitted), or for the coordinators when the placement has no mentor. */
static int reviews(struct store *st, const struct tb_actor *a, json_t *items, struct tb_err *err)
{
    if (!has(a, ROLE_MENTOR) && !has(a, ROLE_COORDINATOR))
        return 0;
    return rows(st, a, TODO_SRC_REVIEWS, NULL, "#/plan-modules/", !has(a, ROLE_COORDINATOR), items, err);
}

/* A position a company submitted, for the coordinators to approve. */
static int positions(struct store *st, const struct tb_actor *a, json_t *items, struct tb_err *err)
{
    return has(a, ROLE_COORDINATOR) ? rows(st, a, TODO_SRC_POSITIONS, NULL, "#/positions/", 0, items, err) : 0;
}

/* The trainee's deliverables to hand in or revise, with their due dates
 * (`tradebridge training remind` and the review itself mail about them). */
static int deliverables(struct store *st, const struct tb_actor *a, json_t *items, struct tb_err *err)
{
    return has(a, ROLE_TRAINEE) ? rows(st, a, TODO_SRC_DELIVERABLES, NULL, "#/plan-modules/", 1, items, err) : 0;
}

/* An offer the trainee has not answered yet. */
static int offers(struct store *st, const struct tb_actor *a, json_t *items, struct tb_err *err)
{
    return has(a, ROLE_TRAINEE) ? rows(st, a, TODO_SRC_OFFERS, NULL, "#/applications/", 0, items, err) : 0;
}

/* A follow-up survey of the impact schedule due (or overdue) and not answered
 * by both company and trainee, for the operator's coordinators: the surveys
 * to send (`impact remind` sends them; those without an address wait for
 * the coordinator) or to chase. */
static int surveys(struct store *st, const struct tb_actor *a, json_t *items, struct tb_err *err)
{
    return has(a, ROLE_COORDINATOR) ? rows(st, a, TODO_SRC_SURVEYS, NULL, "#/placements/", 0, items, err) : 0;
}

typedef int (*todo_source_fn)(struct store *, const struct tb_actor *, json_t *, struct tb_err *);
static const todo_source_fn sources[] = {agreements, reviews, positions, deliverables, offers, surveys};

/* ---- the list ------------------------------------------------------------------ */

static int by_due(const void *x, const void *y)
{
    const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    const char *da = json_string_value(json_object_get(a, "due")), *db = json_string_value(json_object_get(b, "due"));
    if (!da != !db)
        return da ? -1 : 1;
    int c = da ? strcmp(da, db) : 0;
    if (c)
        return c;
    const char *sa = json_string_value(json_object_get(a, "since")), *sb = json_string_value(json_object_get(b, "since"));
    return strcmp(sa ? sa : "", sb ? sb : "");
}

/* The item in words: "Agreement to sign: Anna at Nordic Foods". */
static const char *item_text(struct arena *ar, const char *lang, const json_t *it)
{
    char key[40];
    snprintf(key, sizeof key, "todo.%s", json_string_value(json_object_get(it, "kind")));
    const char *title = json_string_value(json_object_get(it, "title"));
    const char *detail = json_string_value(json_object_get(it, "detail"));
    const char *wave = json_string_value(json_object_get(it, "wave"));
    char wkey[40];
    snprintf(wkey, sizeof wkey, "todo.wave.%s", wave ? wave : "");
    const char *const vars[] = {"title", title ? title : "", "detail", detail ? detail : "", "wave",
                                wave ? msg_text(lang, wkey) : "", NULL};
    return msg_format(ar, lang, key, vars);
}

/* Every item with its key, page and words; _told kept (see rows). */
static int collect(struct store *st, const struct tb_actor *a, const char *lang, const char *today, json_t **out,
                   struct tb_err *err)
{
    json_t *items = json_array();
    if (!items)
        return TB_INTERNAL(err, "out of memory");
    for (size_t k = 0; k < sizeof sources / sizeof sources[0]; k++)
        if (sources[k](st, a, items, err) < 0) {
            json_decref(items);
            return -1;
        }
    size_t n = json_array_size(items);
    json_t **v = calloc(n ? n : 1, sizeof *v);
    struct arena *ar = arena_new(0);
    if (!v || !ar) {
        free(v);
        arena_free(ar);
        json_decref(items);
        return TB_INTERNAL(err, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(items, i));
    qsort(v, n, sizeof *v, by_due);
    json_array_clear(items);
    for (size_t i = 0; i < n; i++) {
        json_t *it = v[i];
        char key[64];
        snprintf(key, sizeof key, "%s:%lld", json_string_value(json_object_get(it, "kind")),
                 (long long)json_integer_value(json_object_get(it, "key_id")));
        json_object_set_new(it, "key", json_string(key));
        json_object_del(it, "key_id");
        const char *due = json_string_value(json_object_get(it, "due"));
        json_object_set_new(it, "overdue", json_boolean(due && today && strcmp(due, today) < 0));
        const char *text = item_text(ar, lang, it);
        json_object_set_new(it, "text", text ? json_string(text) : json_null());
        json_array_append_new(items, it);
    }
    free(v);
    arena_free(ar);
    *out = items;
    return 0;
}

int todo_list(struct store *st, const struct tb_actor *a, const char *lang, const char *today, json_t **out,
              struct tb_err *err)
{
    if (collect(st, a, lang, today, out, err) < 0)
        return -1;
    size_t i;
    json_t *it;
    json_array_foreach(*out, i, it)
        json_object_del(it, "_told");
    return 0;
}

/* ---- mail ---------------------------------------------------------------------- */

static void utc_date(time_t t, char out[11], int *hour)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
    if (hour)
        *hour = tm.tm_hour;
}

/* One line per item: the words, the due date, the address of its page. */
static void mail_item(struct abuf *b, struct arena *ar, const char *lang, const char *url, const json_t *it)
{
    abuf_printf(b, "\n- %s", json_string_value(json_object_get(it, "text")));
    const char *due = json_string_value(json_object_get(it, "due"));
    if (due) {
        const char *const vars[] = {"date", msg_date(ar, lang, due), NULL};
        abuf_puts(b, " (");
        msg_append(b, lang, "todo.due", vars);
        abuf_puts(b, ")");
    }
    abuf_printf(b, "\n  %s/%s\n", url, json_string_value(json_object_get(it, "href")));
}

/* The mail to one person: the new items (digest 0) or all of them (digest 1). */
static int queue_mail(struct store *st, const struct tb_actor *a, const char *lang, const char *url,
                      const json_t *items, const json_t *fresh, int digest, const char *today, struct tb_err *err)
{
    json_t *user;
    if (store_user_get(st, a, a->user_id, &user, err) < 0)
        return -1;
    struct arena *ar = arena_new(0);
    if (!ar) {
        json_decref(user);
        return TB_INTERNAL(err, "out of memory");
    }
    const char *name = json_string_value(json_object_get(user, "name"));
    const json_t *list = digest ? items : fresh;
    struct abuf body, subject;
    abuf_init(&body, ar, 1u << 20);
    abuf_init(&subject, ar, 4096);
    const char *const who[] = {"name", name ? name : "", NULL};
    msg_append(&body, lang, digest ? "todo.digest.intro" : "todo.mail.intro", who);
    abuf_puts(&body, "\n");
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
        mail_item(&body, ar, lang, url, it);
    const char *todo_url = arena_printf(ar, "%s/#/todo", url), *settings_url = arena_printf(ar, "%s/#/account", url);
    const char *const links[] = {"url", todo_url, "settings_url", settings_url, NULL};
    abuf_puts(&body, "\n");
    msg_append(&body, lang, "todo.mail.footer", links);
    abuf_puts(&body, "\n");
    char count[24];
    snprintf(count, sizeof count, "%zu", json_array_size(list));
    if (digest) {
        const char *const vars[] = {"date", msg_date(ar, lang, today), NULL};
        msg_append(&subject, lang, "todo.digest.subject", vars);
    } else if (json_array_size(list) == 1) {
        const char *const vars[] = {"item", json_string_value(json_object_get(json_array_get(list, 0), "text")), NULL};
        msg_append(&subject, lang, "todo.mail.subject_one", vars);
    } else {
        const char *const vars[] = {"count", count, NULL};
        msg_append(&subject, lang, "todo.mail.subject_many", vars);
    }
    int rc = body.failed || subject.failed || !todo_url || !settings_url
                 ? TB_INTERNAL(err, "out of memory")
                 : store_outbox_add(st, a, a->tenant_id, json_string_value(json_object_get(user, "email")),
                                    abuf_cstr(&subject), abuf_cstr(&body), err);
    arena_free(ar);
    json_decref(user);
    return rc;
}

struct person_unit {
    struct tb_actor a;
    const char *url, *today;
    int digest_time, queued;
};

/* One person's share of a pass: one unit of work. */
static int person_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct person_unit *u = ctx;
    struct tb_actor a = u->a;
    const char *url = u->url, *today = u->today;
    int digest_time = u->digest_time, *queued = &u->queued;
    *queued = 0;
    json_t *settings = NULL, *items = NULL, *fresh = json_array(), *it;
    int first = 0, digest = 0, rc = fresh ? 0 : TB_INTERNAL(err, "out of memory");
    if (rc == 0)
        rc = store_settings_get(st, &a, &settings, err);
    const char *mode = rc == 0 ? json_string_value(json_object_get(settings, "todo_mail")) : NULL;
    const char *lang = rc == 0 ? msg_lang(json_string_value(json_object_get(settings, "locale"))) : "en";
    if (rc == 0)
        rc = collect(st, &a, lang, today, &items, err);
    if (rc == 0)
        rc = store_settings_baseline(st, &a, &first, err);
    size_t i;
    json_array_foreach(items, i, it) {
        int is_new;
        if (rc < 0 || (rc = store_todo_mark(st, &a, json_string_value(json_object_get(it, "key")), &is_new, err)) < 0)
            break;
        if (is_new && !first && mode && !strcmp(mode, "immediately") && !json_is_true(json_object_get(it, "_told")))
            json_array_append(fresh, it);
    }
    if (rc == 0 && mode && !strcmp(mode, "daily") && digest_time && json_array_size(items))
        rc = store_settings_digest_claim(st, &a, today, &digest, err);
    if (rc == 0 && (digest || json_array_size(fresh))) {
        rc = queue_mail(st, &a, lang, url, items, fresh, digest, today, err);
        *queued += rc == 0;
    }
    json_decref(settings);
    json_decref(items);
    json_decref(fresh);
    return rc;
}

static int mail_person(struct store *st, const char *url, int64_t uid, const char *today, int digest_time,
                       int *queued, struct tb_err *err)
{
    struct person_unit u = {.url = url, .today = today, .digest_time = digest_time};
    if (store_actor_load(st, uid, &u.a, err) < 0)
        return -1;
    if (!u.a.roles)
        return 0;   /* no role anywhere: nothing waits for them */
    if (store_in_tx(st, person_work, &u, err) < 0)
        return -1;
    *queued += u.queued;
    return 0;
}

int todo_mail_pass(struct store *st, const char *public_url, time_t now, int *queued, struct tb_err *err)
{
    char today[11];
    int hour;
    utc_date(now, today, &hour);
    *queued = 0;
    int64_t after = 0;
    int failed = 0;
    for (;;) {
        json_t *ids, *id;
        if (store_todo_people(st, after, &ids, err) < 0)
            return -1;
        size_t i, n = json_array_size(ids);
        json_array_foreach(ids, i, id) {
            after = json_integer_value(id);
            struct tb_err one = {0};
            /* One person's failure does not keep the others' mail back. */
            if (mail_person(st, public_url, after, today, hour >= TODO_DIGEST_HOUR, queued, &one) < 0) {
                fprintf(stderr, "todo: mail for user %lld: %s\n", (long long)after, one.message);
                if (!failed++)
                    *err = one;
            }
        }
        json_decref(ids);
        if (n < 200)
            break;
    }
    return failed ? -1 : 0;
}

/* ---- the calendar feed ----------------------------------------------------------- */

/* libical writes RFC 5545: it escapes TEXT values (commas, semicolons,
 * backslashes, newlines), folds long lines and ends them with CRLF. */
int todo_calendar(struct store *st, const struct tb_actor *a, const char *lang, const char *public_url, time_t now,
                  char **ics, struct tb_err *err)
{
    char today[11];
    utc_date(now, today, NULL);
    json_t *items, *user, *it;
    if (todo_list(st, a, lang, today, &items, err) < 0)
        return -1;
    if (store_user_get(st, a, a->user_id, &user, err) < 0) {
        json_decref(items);
        return -1;
    }
    struct arena *ar = arena_new(0);
    icalcomponent *cal = ar ? icalcomponent_new(ICAL_VCALENDAR_COMPONENT) : NULL;
    if (!cal) {
        arena_free(ar);
        json_decref(items);
        json_decref(user);
        return TB_INTERNAL(err, "out of memory");
    }
    icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal, icalproperty_new_prodid("-//TradeBridge//To-do deadlines//EN"));
    icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
    const char *const who[] = {"name", json_string_value(json_object_get(user, "name")), NULL};
    icalproperty *calname = icalproperty_new_x(msg_format(ar, lang, "todo.calendar.name", who));
    icalproperty_set_x_name(calname, "X-WR-CALNAME");
    icalcomponent_add_property(cal, calname);
    struct icaltimetype stamp = icaltime_from_timet_with_zone(now, 0, icaltimezone_get_utc_timezone());
    size_t i;
    json_array_foreach(items, i, it) {
        const char *due = json_string_value(json_object_get(it, "due"));
        if (!due)
            continue;
        struct icaltimetype day = icaltime_from_string(due);   /* "YYYY-MM-DD": a DATE value */
        if (icaltime_is_null_time(day))
            continue;
        day.is_date = 1;
        struct icaltimetype next = day;
        icaltime_adjust(&next, 1, 0, 0, 0);
        const char *uid = arena_printf(ar, "%s-%lld@tradebridge", json_string_value(json_object_get(it, "key")),
                                       (long long)a->user_id);
        const char *link = arena_printf(ar, "%s/%s", public_url, json_string_value(json_object_get(it, "href")));
        icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
        icalcomponent_add_property(ev, icalproperty_new_uid(uid ? uid : "tradebridge"));
        icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
        icalcomponent_add_property(ev, icalproperty_new_dtstart(day));
        icalcomponent_add_property(ev, icalproperty_new_dtend(next));
        icalcomponent_add_property(ev, icalproperty_new_summary(json_string_value(json_object_get(it, "text"))));
        icalcomponent_add_property(ev, icalproperty_new_description(link ? link : ""));
        icalcomponent_add_property(ev, icalproperty_new_url(link ? link : ""));
        icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
        icalcomponent_add_component(cal, ev);
    }
    *ics = icalcomponent_as_ical_string_r(cal);
    icalcomponent_free(cal);
    arena_free(ar);
    json_decref(items);
    json_decref(user);
    return *ics ? 0 : TB_INTERNAL(err, "could not write the calendar");
}

/* ---- settings ------------------------------------------------------------------ */

int todo_settings_get(struct store *st, const struct tb_actor *a, json_t **out, struct tb_err *err)
{
    if (store_settings_get(st, a, out, err) < 0)
        return -1;
    json_object_del(*out, "todo_baseline_at");
    return 0;
}

static int audit(struct store *st, const struct tb_actor *a, json_t *changes, struct tb_err *err)
{
    int rc = !changes ? TB_INTERNAL(err, "out of memory")
             : a->tenant_id > 0 && json_object_size(changes)
                 ? store_audit_add(st, a, a->tenant_id, "update", "settings", a->user_id, changes, err)
                 : 0;
    json_decref(changes);
    return rc;
}

struct settings_unit {
    const struct tb_actor *a;
    const json_t *body;
};

static int settings_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct settings_unit *u = ctx;
    const struct tb_actor *a = u->a;
    const json_t *locale = json_object_get(u->body, "locale");
    const char *mail = json_string_value(json_object_get(u->body, "todo_mail"));
    json_t *old;
    int rc = store_settings_get(st, a, &old, err);
    if (rc == 0) {
        json_t *changes = json_object();
        if (locale)
            json_object_set_new(changes, "locale", json_pack("{s:O, s:O}", "old", json_object_get(old, "locale"), "new", locale));
        if (mail)
            json_object_set_new(changes, "todo_mail", json_pack("{s:O, s:s}", "old", json_object_get(old, "todo_mail"), "new", mail));
        json_decref(old);
        rc = store_settings_set(st, a, locale != NULL, json_string_value(locale), mail, err);
        if (rc == 0)
            rc = audit(st, a, changes, err);
        else
            json_decref(changes);
    }
    return rc;
}

int todo_settings_update(struct store *st, const struct tb_actor *a, const json_t *body, json_t **out,
                         struct tb_err *err)
{
    struct settings_unit u = {.a = a, .body = body};
    if (store_in_tx(st, settings_work, &u, err) < 0)
        return -1;
    return todo_settings_get(st, a, out, err);
}

struct calendar_unit {
    const struct tb_actor *a;
    const char *hash, *what;
};

static int calendar_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct calendar_unit *u = ctx;
    if (store_settings_calendar(st, u->a, u->hash, err) < 0)
        return -1;
    return audit(st, u->a, json_pack("{s:{s:s}}", "calendar", "new", u->what), err);
}

static int calendar_set(struct store *st, const struct tb_actor *a, const char *hash, const char *what,
                        struct tb_err *err)
{
    struct calendar_unit u = {.a = a, .hash = hash, .what = what};
    return store_in_tx(st, calendar_work, &u, err);
}

int todo_calendar_new(struct store *st, const struct tb_actor *a, char token[CALENDAR_TOKEN_LEN + 1],
                      struct tb_err *err)
{
    unsigned char raw[CALENDAR_TOKEN_LEN / 2];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(token, CALENDAR_TOKEN_LEN + 1, raw, sizeof raw);
    char hash[TOKEN_HASH_LEN + 1];
    auth_token_hash(token, hash);
    return calendar_set(st, a, hash, "new address", err);
}

int todo_calendar_revoke(struct store *st, const struct tb_actor *a, struct tb_err *err)
{
    return calendar_set(st, a, NULL, "off", err);
}

int todo_calendar_actor(struct store *st, const char *token, struct tb_actor *out, struct tb_err *err)
{
    if (strlen(token) != CALENDAR_TOKEN_LEN || strspn(token, "0123456789abcdef") != CALENDAR_TOKEN_LEN)
        return TB_NOT_FOUND(err, "no calendar at this address");
    char hash[TOKEN_HASH_LEN + 1];
    auth_token_hash(token, hash);
    int64_t uid;
    if (store_calendar_owner(st, hash, &uid, err) < 0)
        return -1;
    return store_actor_load(st, uid, out, err);
}
