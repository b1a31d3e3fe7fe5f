/*
 * throttle.c - fixed-size table of failure counters. When the table is full
 * the oldest entry is replaced, so memory stays bounded under a flood of
 * distinct keys (an attacker rotating addresses cannot grow it).
 */
#include "throttle.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define THROTTLE_SLOTS 4096
#define THROTTLE_KEY 96

struct slot {
    char key[THROTTLE_KEY];
    int64_t window_start;
    int failures;
};

struct throttle {
    pthread_mutex_t lock;
    int max_failures, window;
    struct slot slots[THROTTLE_SLOTS];
};

struct throttle *throttle_new(int max_failures, int window_seconds)
{
    struct throttle *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    pthread_mutex_init(&t->lock, NULL);
    t->max_failures = max_failures;
    t->window = window_seconds;
    return t;
}

void throttle_free(struct throttle *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->lock);
    free(t);
}

static size_t slot_of(const char *key)
{
    unsigned char h[8];
    crypto_generichash(h, sizeof h, (const unsigned char *)key, strlen(key), NULL, 0);
    uint64_t v;
    memcpy(&v, h, sizeof v);
    return (size_t)(v % THROTTLE_SLOTS);
}

/* Linear probing over 8 neighbours; returns the key's slot, or the stalest
 * neighbour to reuse when `create` is set. */
static struct slot *find(struct throttle *t, const char *key, int create, int64_t now)
{
    size_t base = slot_of(key);
    struct slot *victim = NULL;
    for (size_t i = 0; i < 8; i++) {
        struct slot *s = &t->slots[(base + i) % THROTTLE_SLOTS];
        if (!strncmp(s->key, key, THROTTLE_KEY - 1) && s->key[0])
            return s;
        if (!s->key[0]) {
            if (!victim || victim->key[0])
                victim = s;   /* an empty slot beats any occupied one */
        } else if (!victim || (victim->key[0] && s->window_start < victim->window_start)) {
            victim = s;
        }
    }
    if (!create)
        return NULL;
    memset(victim, 0, sizeof *victim);
    strncpy(victim->key, key, THROTTLE_KEY - 1);
    victim->window_start = now;
    return victim;
}

int throttle_check(struct throttle *t, const char *key, int64_t now)
{
    pthread_mutex_lock(&t->lock);
    int wait = 0;
    struct slot *s = find(t, key, 0, now);
    if (s && s->failures >= t->max_failures) {
        int64_t until = s->window_start + t->window;
        if (now < until)
            wait = (int)(until - now);
        else
            memset(s, 0, sizeof *s);
    }
    pthread_mutex_unlock(&t->lock);
    return wait;
}

void throttle_fail(struct throttle *t, const char *key, int64_t now)
{
    pthread_mutex_lock(&t->lock);
    struct slot *s = find(t, key, 1, now);
    if (now - s->window_start >= t->window) {
        s->window_start = now;
        s->failures = 0;
    }
    s->failures++;
    pthread_mutex_unlock(&t->lock);
}

void throttle_reset(struct throttle *t, const char *key)
{
    pthread_mutex_lock(&t->lock);
    struct slot *s = find(t, key, 0, 0);
    if (s)
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&t->lock);
}
