/*
 * h_todo.c - the signed-in person's to-do list, their settings (language,
 * to-do mail) and the calendar feed of their deadlines at a secret address
 * (issue 17). The work is in src/service/todo_service.c.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/msg.h"
#include "http/handlers.h"
#include "service/todo_service.h"
#include "store/store_notify.h"

static const char *const locales[] = {"en", "sv", NULL};
static const char *const mail_modes[] = {"immediately", "daily", "never", NULL};
const struct field_spec me_settings_fields[] = {
    {"locale", FT_ENUM, 1, 0, 0, locales, 0, NULL},
    {"todo_mail", FT_ENUM, 1, 0, 0, mail_modes, 0, NULL},
    {NULL, 0, 0, 0, 0, NULL, 0, NULL},
};

/* ?lang=en|sv, else the person's setting, else English. */
static const char *lang_of(struct request *r)
{
    const char *q = req_query(r, "lang");
    if (q && (!strcmp(q, "en") || !strcmp(q, "sv")))
        return q;
    return store_locale_of(r->store, r->actor.user_id);
}

int h_me_todo(struct request *r, struct response *res, struct tb_err *err)
{
    char today[11];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    json_t *items;
    if (todo_list(r->store, &r->actor, lang_of(r), today, &items, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:o, s:s}", "items", items, "today", today));
}

int h_me_settings_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *s;
    if (todo_settings_get(r->store, &r->actor, &s, err) < 0)
        return -1;
    return respond_json(res, 200, s);
}

int h_me_settings_update(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *s;
    if (todo_settings_update(r->store, &r->actor, r->body, &s, err) < 0)
        return -1;
    return respond_json(res, 200, s);
}

/* A new secret address; shown once (only its hash is kept). */
int h_me_calendar_create(struct request *r, struct response *res, struct tb_err *err)
{
    char token[CALENDAR_TOKEN_LEN + 1];
    if (todo_calendar_new(r->store, &r->actor, token, err) < 0)
        return -1;
    const char *url = arena_printf(r->arena, "%s/api/v1/calendar/%s.ics", r->cfg->public_url, token);
    if (!url)
        return TB_INTERNAL(err, "out of memory");
    res->cache_control = "no-store";
    return respond_json(res, 201, json_pack("{s:s, s:s}", "url", url, "token", token));
}

int h_me_calendar_revoke(struct request *r, struct response *res, struct tb_err *err)
{
    if (todo_calendar_revoke(r->store, &r->actor, err) < 0)
        return -1;
    return respond_no_content(res);
}

/* GET /api/v1/calendar/{token}.ics: no session (calendar programs have
 * none); the secret in the address is the authority, as the person. */
int h_calendar_feed(struct request *r, struct response *res, struct tb_err *err)
{
    const char *slash = strrchr(r->path, '/');
    const char *dot = slash ? strchr(slash, '.') : NULL;
    char *token = slash && dot ? arena_strndup(r->arena, slash + 1, (size_t)(dot - slash - 1)) : NULL;
    if (!token)
        return TB_NOT_FOUND(err, "no calendar at this address");
    struct tb_actor a;
    if (todo_calendar_actor(r->store, token, &a, err) < 0)
        return -1;
    a.client_addr = r->client_addr;
    char *ics = NULL;
    if (todo_calendar(r->store, &a, store_locale_of(r->store, a.user_id), r->cfg->public_url, time(NULL), &ics, err) < 0)
        return -1;
    res->status = 200;
    res->raw_owned = ics;
    res->raw = ics;
    res->raw_len = strlen(ics);
    res->content_type = "text/calendar; charset=utf-8";
    res->content_disposition = "inline; filename=\"tradebridge.ics\"";
    res->cache_control = "private, no-store";
    return 0;
}
