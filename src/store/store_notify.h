/*
 * store_notify.h - a person's settings (locale, to-do mail, calendar feed),
 * their to-do items, and which of those they were told about (issue 17).
 * Settings are always the actor's own: the functions take no user id.
 */
#ifndef TB_STORE_NOTIFY_H
#define TB_STORE_NOTIFY_H

#include <jansson.h>
#include <stdint.h>

#include "core/auth.h"
#include "core/error.h"
#include "store/store.h"

/* {locale (null when not chosen), todo_mail, calendar (bool), calendar_created_at,
 *  todo_baseline_at, digest_on, updated_at}; the defaults when never set. */
int store_settings_get(struct store *st, const struct tb_actor *a, json_t **out, struct tb_err *err);
/* set_locale: whether to write locale (NULL clears it); todo_mail NULL keeps it. */
int store_settings_set(struct store *st, const struct tb_actor *a, int set_locale, const char *locale,
                       const char *todo_mail, struct tb_err *err);
/* The feed's secret as its hash; NULL turns the feed off. */
int store_settings_calendar(struct store *st, const struct tb_actor *a, const char *token_hash, struct tb_err *err);
/* 1 when this call set the person's baseline (their first look), else 0. */
int store_settings_baseline(struct store *st, const struct tb_actor *a, int *first, struct tb_err *err);
/* 1 when today's (UTC date "YYYY-MM-DD") digest is this caller's to send. */
int store_settings_digest_claim(struct store *st, const struct tb_actor *a, const char *today, int *claimed,
                                struct tb_err *err);
/* The language a person reads mail in: "en" or "sv" (English when not chosen). */
const char *store_locale_of(struct store *st, int64_t user_id);
/* The same for the trainee of a graduate record (English without an account). */
const char *store_locale_of_graduate(struct store *st, int64_t graduate_id);
/* The same, NULL when the trainee has no account or chose no language (the
 * caller then picks, e.g. the sender's). */
const char *store_locale_chosen_of_graduate(struct store *st, int64_t graduate_id);
/* The person behind a calendar feed's secret (active accounts only); 404 otherwise. */
int store_calendar_owner(struct store *st, const char *token_hash, int64_t *user_id, struct tb_err *err);

/* Records that the actor was told about item_key; *is_new: 1 when not before. */
int store_todo_mark(struct store *st, const struct tb_actor *a, const char *item_key, int *is_new,
                    struct tb_err *err);
/* Active people after after_id, at most 200, as an array of ids. */
int store_todo_people(struct store *st, int64_t after_id, json_t **ids, struct tb_err *err);

/* The to-do sources: each one statement answering the same columns
 * {kind, ref_id, key_id, org_id, title, detail, due, since}; surveys also wave. */
enum todo_source { TODO_SRC_AGREEMENTS, TODO_SRC_REVIEWS, TODO_SRC_POSITIONS, TODO_SRC_DELIVERABLES, TODO_SRC_OFFERS,
                  TODO_SRC_SURVEYS };
/* Appends the source's rows for the actor to items. party: the agreement
 * party the actor signs as (TODO_SRC_AGREEMENTS only, else NULL). */
int store_todo_rows(struct store *st, const struct tb_actor *a, enum todo_source src, const char *party,
                    json_t *items, struct tb_err *err);

#endif
