/*
 * arena.h - region allocator: one arena per request or job, freed at once.
 *
 * Every object a request or job produces is carved from its arena and the whole
 * region is released by one arena_free(). An arena has a byte cap so a hostile
 * input cannot make a request grow without bound; allocation past the cap
 * returns NULL and callers turn that into a 413/500 rather than crashing.
 */
#ifndef TB_ARENA_H
#define TB_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* cap_bytes == 0 means "no cap" (used by batch jobs that size their input first). */
struct arena *arena_new(size_t cap_bytes);
void arena_free(struct arena *a);
/* Releases every allocation but keeps one block (the largest, up to 1 MB) for reuse. */
void arena_reset(struct arena *a);

/* Memory is aligned for any scalar type. Returns NULL past the cap or on OOM. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_calloc(struct arena *a, size_t count, size_t size);
/* Grows the most recent allocation in place when possible, else copies. */
void *arena_realloc(struct arena *a, void *old, size_t old_n, size_t new_n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
size_t arena_used(const struct arena *a);
/* How many allocations from a have failed (past the cap, OOM): code that
 * cannot check every allocation of a library it drives (jansson in a JSON
 * arena window) compares this before and after instead. */
size_t arena_failures(const struct arena *a);
/* 1 when p points into one of a's blocks (a has few: they double in size). */
int arena_owns(const struct arena *a, const void *p);

/* Lowers a's cap to cap_bytes (never below what it already holds, never
 * raises it); used by fault injection. */
void arena_set_cap(struct arena *a, size_t cap_bytes);

/*
 * Fault injection, in the manner of SQLite's test harness: while a thread has
 * a struct arena_fault armed, its arena_new/arena_alloc calls are counted and
 * the fail_at-th one (1-based) returns NULL, as on exhaustion; with persist,
 * every one after it too. Compiled in only with TB_FAULT_INJECTION (meson
 * option fault_injection: every build type but release); the server arms it
 * per request only when started with TB_FAULT_INJECTION=1 (see README,
 * "Testing"). Costs one thread-local test per allocation.
 */
struct arena_fault {
    unsigned long fail_at;   /* 0 = fail nothing, only count */
    int persist;
    unsigned long count;     /* allocations seen while armed */
    int hit;                 /* 1 once an allocation was failed */
};
/* Arms f on this thread (NULL disarms); returns 0, or -1 when compiled out. */
int arena_fault_arm(struct arena_fault *f);

/*
 * The one growable byte buffer of the program (curl's dynbuf habit): appending
 * past max fails instead of growing forever. Inside an arena (abuf_init) it is
 * released with the arena; with arena == NULL (abuf_init_heap) it lives on the
 * heap for data handed out of a job (an export file, a PDF), and abuf_take()
 * hands the malloc'd bytes over (or abuf_release() frees them).
 * A failed append (max, out of memory) returns -1 and also sets `failed`, which
 * stays set: a writer may append many pieces and check once at the end.
 * The contents are always NUL-terminated (not counted in len).
 */
struct abuf {
    struct arena *arena;
    char *data;
    size_t len, cap, max;
    int failed;
};
void abuf_init(struct abuf *b, struct arena *a, size_t max);
void abuf_init_heap(struct abuf *b, size_t max);
int abuf_append(struct abuf *b, const void *p, size_t n);   /* 0 or -1 */
int abuf_puts(struct abuf *b, const char *s);
int abuf_printf(struct abuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Room for n more bytes at data + len (the caller writes there, then adds to
 * len, and must keep len < cap); NULL on failure. */
char *abuf_reserve(struct abuf *b, size_t n);
/* NUL-terminated view of the contents. */
const char *abuf_cstr(struct abuf *b);
/* Heap buffers: the contents (malloc'd, "" when empty; the caller frees them),
 * or NULL after a failure; b is empty afterwards either way. */
char *abuf_take(struct abuf *b);
void abuf_release(struct abuf *b);

#endif
