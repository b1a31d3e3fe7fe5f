/*
 * throttle.h - counting events (failed logins, sign-ins, reset requests) per
 * key in a fixed window, so guessing and flooding are slowed without a
 * database write per try. Time is passed in, which keeps it testable;
 * thread-safe.
 *
 * Two kinds of table:
 *  - bounded (capacity > 0), for keys anyone can make up (addresses, unknown
 *    e-mails): when full, the key hit least recently is forgotten. An entry
 *    is lost only after `capacity` other keys were hit more recently, so a
 *    flood can only push out entries that are older than everything it made
 *    - never an entry of an unbounded table;
 *  - unbounded (capacity 0), for keys the caller vouches for: the ids of
 *    real accounts. Nothing evicts them; entries whose window is over are
 *    dropped, so the table holds at most one entry per account that had an
 *    event within the window.
 */
#ifndef TB_THROTTLE_H
#define TB_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

struct throttle;

struct throttle *throttle_new(int max_events, int window_seconds, size_t capacity);
void throttle_free(struct throttle *t);
/* 0 when `key` may go on now; otherwise the seconds to wait. */
int throttle_check(struct throttle *t, const char *key, int64_t now);
/* Counts one event for `key` (starts a window when there is none). */
void throttle_hit(struct throttle *t, const char *key, int64_t now);
/* Takes back one event counted for `key` (one that turned out harmless). */
void throttle_forgive(struct throttle *t, const char *key);
void throttle_reset(struct throttle *t, const char *key);
size_t throttle_size(struct throttle *t);   /* keys held now */

#endif
