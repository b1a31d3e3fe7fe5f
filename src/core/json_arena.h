/*
 * json_arena.h - lets a hot path build throw-away jansson trees in its arena.
 *
 * jansson allocates through one process-wide pair of functions. This module
 * installs a pair (before main) that behaves exactly like malloc/free until a
 * thread opens a window with json_arena_push(): from then on that thread's
 * jansson allocations are carved from the arena, and freeing them is a no-op,
 * the arena releasing them at once later. JSON-LD to RDF conversion builds and
 * drops thousands of tiny JSON values per credential; malloc/free of those was
 * a quarter of the time it took to sign one.
 *
 * Rules for a window: every JSON value created in it must be released before
 * json_arena_pop(), and nothing long-lived (a cache, a shared document) may be
 * created or grown in it; code that does so wraps itself in
 * json_arena_suspend()/json_arena_resume().
 */
#ifndef TB_JSON_ARENA_H
#define TB_JSON_ARENA_H

#include "core/arena.h"

struct json_arena_window {
    struct arena *alloc, *owner;
};

/* Opens a window on this thread; returns what to hand back to json_arena_pop(). */
struct json_arena_window json_arena_push(struct arena *a);
void json_arena_pop(struct json_arena_window prev);

/* Inside a window: allocate from the heap again (for values that outlive it);
 * values of the window may still be released meanwhile. */
struct json_arena_window json_arena_suspend(void);
void json_arena_resume(struct json_arena_window prev);

#endif
