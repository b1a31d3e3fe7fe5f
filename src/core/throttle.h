/*
 * throttle.h - counting failed logins per key (account, client address) in a
 * sliding window, so guessing is slowed without a database write per try.
 * Time is passed in, which keeps it testable; thread-safe.
 */
#ifndef TB_THROTTLE_H
#define TB_THROTTLE_H

#include <stdint.h>

struct throttle;

struct throttle *throttle_new(int max_failures, int window_seconds);
void throttle_free(struct throttle *t);
/* 0 when `key` may try now; otherwise the seconds to wait. */
int throttle_check(struct throttle *t, const char *key, int64_t now);
void throttle_fail(struct throttle *t, const char *key, int64_t now);
void throttle_reset(struct throttle *t, const char *key);

#endif
