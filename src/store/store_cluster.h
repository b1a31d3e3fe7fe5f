/*
 * store_cluster.h - login throttling counters kept in the database (issue
 * 18), so that a limit holds across several servers on one database: N
 * failed logins spread over two servers count as N. Same semantics as the
 * in-process counters of core/throttle.h (a fixed window from the first
 * event, forgive takes one back, reset forgets the key), with `bucket`
 * naming the counter (e.g. "fail_account") and the window in seconds passed
 * by the caller. Each call is one atomic statement.
 */
#ifndef TB_STORE_CLUSTER_H
#define TB_STORE_CLUSTER_H

#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

struct tb_actor;

/* *wait: 0 when `key` may go on now, else the seconds until its window ends. */
int store_throttle_check(struct store *st, const char *bucket, const char *key, int max_events,
                         int window_seconds, int64_t now, int *wait, struct tb_err *err);
/* Counts one event (a new window when there is none or it is over). */
int store_throttle_hit(struct store *st, const char *bucket, const char *key, int window_seconds,
                       int64_t now, struct tb_err *err);
int store_throttle_forgive(struct store *st, const char *bucket, const char *key, struct tb_err *err);
int store_throttle_reset(struct store *st, const char *bucket, const char *key, struct tb_err *err);
/* Drops every counter whose window started at or before `before`. */
int store_throttle_purge(struct store *st, int64_t before, struct tb_err *err);

/* Locks an operator's status lists until the transaction ends (issue 18):
 * two servers revoking at once both keep their bit. Call inside a
 * transaction, before reading a list to change it. */
int store_status_list_lock(struct store *st, const struct tb_actor *a, int64_t org_id,
                           struct tb_err *err);

#endif
