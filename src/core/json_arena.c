/*
 * json_arena.c - jansson's allocator, routed to a thread's arena inside a
 * window (see json_arena.h for why and for the rules).
 */
#include "core/json_arena.h"

#include <jansson.h>
#include <stdlib.h>

static _Thread_local struct json_arena_window current;

static void *json_arena_malloc(size_t n)
{
    struct arena *a = current.alloc;
    if (!a)
        return malloc(n);
    void *p = arena_alloc(a, n);
    current.live += p != NULL;
    return p;
}

static void json_arena_free(void *p)
{
    struct arena *a = current.owner;
    if (a && arena_owns(a, p)) {
        current.live--;   /* its memory goes with the arena */
        return;
    }
    free(p);
}

/* Before main, so no JSON value exists yet and no other thread can be inside
 * jansson while its function pointers change. */
__attribute__((constructor)) static void json_arena_install(void)
{
    json_set_alloc_funcs(json_arena_malloc, json_arena_free);
}

struct json_arena_window json_arena_push(struct arena *a)
{
    struct json_arena_window prev = current;
    current.alloc = a;
    current.owner = a;
    current.live = 0;
    return prev;
}

int json_arena_pop(struct json_arena_window prev)
{
    size_t live = current.live;
    current = prev;
    return live ? -1 : 0;
}

struct json_arena_window json_arena_suspend(void)
{
    struct json_arena_window prev = current;
    current.alloc = NULL;
    return prev;
}

void json_arena_resume(struct json_arena_window prev)
{
    current.alloc = prev.alloc;   /* keeps the count of releases made meanwhile */
}
