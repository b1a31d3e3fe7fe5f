/*
 * throttle.c - event counters in a balanced tree (POSIX tsearch: no hash a
 * flood of chosen keys could degrade) with a least-recently-hit list, which
 * is the eviction order of bounded tables and the expiry order of all.
 */
#include "throttle.h"

#include <pthread.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

struct counter {
    TAILQ_ENTRY(counter) lru;   /* head: hit least recently */
    int64_t window_start;
    int count;
    char key[];
};

struct throttle {
    pthread_mutex_t lock;
    int max, window;
    size_t capacity, size;
    void *root;
    TAILQ_HEAD(, counter) lru;
};

static int cmp(const void *a, const void *b)
{
    return strcmp(((const struct counter *)a)->key, ((const struct counter *)b)->key);
}

struct throttle *throttle_new(int max_events, int window_seconds, size_t capacity)
{
    struct throttle *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    pthread_mutex_init(&t->lock, NULL);
    t->max = max_events;
    t->window = window_seconds;
    t->capacity = capacity;
    TAILQ_INIT(&t->lru);
    return t;
}

void throttle_free(struct throttle *t)
{
    if (!t)
        return;
    tdestroy(t->root, free);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

static struct counter *lookup(struct throttle *t, const char *key)
{
    size_t n = strlen(key);
    struct counter *probe = malloc(sizeof *probe + n + 1);
    if (!probe)
        return NULL;
    memcpy(probe->key, key, n + 1);
    void *found = tfind(probe, &t->root, cmp);
    free(probe);
    return found ? *(struct counter **)found : NULL;
}

static void drop(struct throttle *t, struct counter *e)
{
    tdelete(e, &t->root, cmp);
    TAILQ_REMOVE(&t->lru, e, lru);
    t->size--;
    free(e);
}

static int expired(const struct throttle *t, const struct counter *e, int64_t now)
{
    return now - e->window_start >= t->window;
}

int throttle_check(struct throttle *t, const char *key, int64_t now)
{
    pthread_mutex_lock(&t->lock);
    int wait = 0;
    struct counter *e = lookup(t, key);
    if (e && expired(t, e, now))
        drop(t, e);
    else if (e && e->count >= t->max)
        wait = (int)(e->window_start + t->window - now);
    pthread_mutex_unlock(&t->lock);
    return wait;
}

void throttle_hit(struct throttle *t, const char *key, int64_t now)
{
    pthread_mutex_lock(&t->lock);
    struct counter *e = lookup(t, key);
    if (e) {
        TAILQ_REMOVE(&t->lru, e, lru);
        if (expired(t, e, now)) {
            e->window_start = now;
            e->count = 0;
        }
    } else {
        /* Whatever was hit least recently and whose window is over goes first. */
        struct counter *old;
        while ((old = TAILQ_FIRST(&t->lru)) && expired(t, old, now))
            drop(t, old);
        if (t->capacity && t->size >= t->capacity)
            drop(t, TAILQ_FIRST(&t->lru));
        size_t n = strlen(key);
        e = calloc(1, sizeof *e + n + 1);
        if (!e) {
            pthread_mutex_unlock(&t->lock);
            return;
        }
        memcpy(e->key, key, n + 1);
        e->window_start = now;
        if (!tsearch(e, &t->root, cmp)) {
            free(e);
            pthread_mutex_unlock(&t->lock);
            return;
        }
        t->size++;
    }
    e->count++;
    TAILQ_INSERT_TAIL(&t->lru, e, lru);
    pthread_mutex_unlock(&t->lock);
}

void throttle_forgive(struct throttle *t, const char *key)
{
    pthread_mutex_lock(&t->lock);
    struct counter *e = lookup(t, key);
    if (e && e->count > 0)
        e->count--;
    pthread_mutex_unlock(&t->lock);
}

void throttle_reset(struct throttle *t, const char *key)
{
    pthread_mutex_lock(&t->lock);
    struct counter *e = lookup(t, key);
    if (e)
        drop(t, e);
    pthread_mutex_unlock(&t->lock);
}

size_t throttle_size(struct throttle *t)
{
    pthread_mutex_lock(&t->lock);
    size_t n = t->size;
    pthread_mutex_unlock(&t->lock);
    return n;
}
