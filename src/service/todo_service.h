/*
 * todo_service.h - each person's to-do list (what waits for them to act),
 * the mail about it (at once, a daily digest, or never: their setting), and
 * its deadlines as an iCalendar feed at a secret address (issue 17).
 */
#ifndef TB_TODO_SERVICE_H
#define TB_TODO_SERVICE_H

#include <jansson.h>
#include <time.h>

#include "core/auth.h"
#include "core/error.h"
#include "store/store.h"

/* The actor's items, deadlines first (soonest first, undated last):
 * [{key, kind, ref_id, org_id, title, detail, due, since, href, text, overdue}];
 * text is the item in words in lang ("en"/"sv"); today is "YYYY-MM-DD". */
int todo_list(struct store *st, const struct tb_actor *a, const char *lang, const char *today, json_t **out,
              struct tb_err *err);

/* One pass of the to-do mailer over every active person at `now`: new items
 * are mailed to people who want mail at once; people who chose the daily
 * digest get the whole list once a day from TODO_DIGEST_HOUR (UTC). A
 * person's first pass only records what is open then. *queued: mails queued. */
#define TODO_DIGEST_HOUR 7
int todo_mail_pass(struct store *st, const char *public_url, time_t now, int *queued, struct tb_err *err);

/* The actor's dated items as an iCalendar (RFC 5545) document, all-day
 * events on their due dates; *ics is malloc'd. */
int todo_calendar(struct store *st, const struct tb_actor *a, const char *lang, const char *public_url, time_t now,
                  char **ics, struct tb_err *err);

/* Settings as the API shows them. PATCH: locale "en"/"sv", todo_mail
 * "immediately"/"daily"/"never" (either may be absent). */
int todo_settings_get(struct store *st, const struct tb_actor *a, json_t **out, struct tb_err *err);
int todo_settings_update(struct store *st, const struct tb_actor *a, const json_t *body, json_t **out,
                         struct tb_err *err);
/* A new secret for the calendar feed (the previous address stops working);
 * token: 40 lower-case hex characters (+ NUL). */
#define CALENDAR_TOKEN_LEN 40
int todo_calendar_new(struct store *st, const struct tb_actor *a, char token[CALENDAR_TOKEN_LEN + 1],
                      struct tb_err *err);
int todo_calendar_revoke(struct store *st, const struct tb_actor *a, struct tb_err *err);
/* The actor the feed's owner acts as; 404 for an unknown or revoked secret. */
int todo_calendar_actor(struct store *st, const char *token, struct tb_actor *out, struct tb_err *err);

#endif
