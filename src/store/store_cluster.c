/*
 * store_cluster.c - state that several servers on one database share
 * (issue 18): login throttling counters and the status-list lock.
 */
#include "store/store_cluster.h"
#include "store/store_int.h"

static struct st_q *keyed(struct store *st, enum stmt id, const char *bucket, const char *key,
                          struct tb_err *err)
{
    struct st_q *s = st_stmt(st, id, NULL, err);
    if (!s)
        return NULL;
    st_bind_text(st, s, ":bucket", bucket);
    st_bind_text(st, s, ":key", key);
    return s;
}

int store_throttle_check(struct store *st, const char *bucket, const char *key, int max_events,
                         int window_seconds, int64_t now, int *wait, struct tb_err *err)
{
    struct st_q *s = keyed(st, STMT_THROTTLE_CHECK, bucket, key, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":since", now - window_seconds);
    int rc = st_step(st, s);
    *wait = 0;
    if (rc == ST_ROW && st_col_i64(s, 0) >= max_events)
        *wait = (int)(st_col_i64(s, 1) + window_seconds - now);
    st_reset(s);
    return (rc == ST_ROW || rc == ST_DONE) ? 0 : st_db_fail(st, err, "throttle");
}

int store_throttle_hit(struct store *st, const char *bucket, const char *key, int window_seconds,
                       int64_t now, struct tb_err *err)
{
    struct st_q *s = keyed(st, STMT_THROTTLE_HIT, bucket, key, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":now", now);
    st_bind_i64(st, s, ":since", now - window_seconds);
    return st_step_done(st, s, "throttle", err);
}

int store_throttle_forgive(struct store *st, const char *bucket, const char *key, struct tb_err *err)
{
    struct st_q *s = keyed(st, STMT_THROTTLE_FORGIVE, bucket, key, err);
    return s ? st_step_done(st, s, "throttle", err) : -1;
}

int store_throttle_reset(struct store *st, const char *bucket, const char *key, struct tb_err *err)
{
    struct st_q *s = keyed(st, STMT_THROTTLE_RESET, bucket, key, err);
    return s ? st_step_done(st, s, "throttle", err) : -1;
}

int store_throttle_purge(struct store *st, int64_t before, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_THROTTLE_PURGE, NULL, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":before", before);
    return st_step_done(st, s, "throttle", err);
}

int store_status_list_lock(struct store *st, const struct tb_actor *a, int64_t org_id,
                           struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_STATUS_LIST_LOCK, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    int rc = st_step(st, s);
    st_reset(s);
    if (rc == ST_ROW)
        return 0;
    return rc == ST_DONE ? TB_NOT_FOUND(err, "organization not found") : st_db_fail(st, err, "status list");
}
