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
 * The rule of a window, checked: every JSON value created in it must be
 * released before json_arena_pop() (a freed value costs nothing, its memory
 * goes with the arena). The window counts the allocations it hands out and
 * the ones released, and json_arena_pop() fails when any is left: a value
 * still alive there is one something else may reach (a cache, a shared
 * document, the caller) after the arena is gone. Code that makes long-lived
 * values inside a window wraps itself in json_arena_suspend()/json_arena_resume()
 * (those come from the heap and are not counted).
 */
#ifndef TB_JSON_ARENA_H
#define TB_JSON_ARENA_H

#include "core/arena.h"

struct json_arena_window {
    struct arena *alloc, *owner;
    size_t live;   /* values (jansson allocations) made in the window, not yet released */
};

/* Opens a window on this thread; returns what to hand back to json_arena_pop(). */
struct json_arena_window json_arena_push(struct arena *a);
/* Closes the window: 0, or -1 when a value made in it was not released
 * (a defect: the caller answers internal_error). */
int json_arena_pop(struct json_arena_window prev);

/* Inside a window: allocate from the heap again (for values that outlive it);
 * values of the window may still be released meanwhile. */
struct json_arena_window json_arena_suspend(void);
void json_arena_resume(struct json_arena_window prev);

#endif
