/*
 * arena.c - bump allocator over a chain of malloc'd blocks.
 *
 * Fault injection (tests): with TB_FAULT_INJECTION compiled in, a thread may
 * arm a struct arena_fault (arena_fault_arm); its arena_new and arena_alloc
 * calls then count, and the chosen one fails as if the cap were reached. The
 * server arms one per request from the X-TB-Fault header ("alloc=N",
 * "alloc=N,persist", "cap=BYTES") when started with TB_FAULT_INJECTION=1,
 * and tests/api/fault_injection.test.mjs sweeps N over representative routes:
 * every failure point must answer a JSON error, never crash or leak. Disarmed,
 * the cost is one thread-local load and branch per allocation.
 */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_MIN_BLOCK (16 * 1024)
/* The largest size anything here allocates (PTRDIFF_MAX on our targets): the
 * arithmetic on sizes up to it (rounding, doubling, + 1 for a NUL) cannot wrap. */
#define ARENA_LARGEST (SIZE_MAX / 2)

struct block {
    struct block *next;
    size_t size, used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
    struct block *head;
    size_t cap, total, failures;
    void *last;
    size_t last_n;
};

#ifdef TB_FAULT_INJECTION
static _Thread_local struct arena_fault *fault;

static int fault_fails(void)
{
    struct arena_fault *f = fault;
    f->count++;
    if (f->fail_at && (f->count == f->fail_at || (f->persist && f->count > f->fail_at))) {
        f->hit = 1;
        return 1;
    }
    return 0;
}

#define FAULT_POINT()                                                  \
    do {                                                               \
        if (__builtin_expect(fault != NULL, 0) && fault_fails())       \
            return NULL;                                               \
    } while (0)

int arena_fault_arm(struct arena_fault *f)
{
    fault = f;
    return 0;
}
#else
#define FAULT_POINT() ((void)0)

int arena_fault_arm(struct arena_fault *f)
{
    (void)f;
    return -1;
}
#endif

void arena_set_cap(struct arena *a, size_t cap_bytes)
{
    if (cap_bytes < a->total || !cap_bytes)
        cap_bytes = a->total ? a->total : 1;   /* 0 would mean "no cap" */
    if (!a->cap || cap_bytes < a->cap)
        a->cap = cap_bytes;
}

struct arena *arena_new(size_t cap_bytes)
{
    FAULT_POINT();
    struct arena *a = calloc(1, sizeof *a);
    if (a)
        a->cap = cap_bytes;
    return a;
}

void arena_free(struct arena *a)
{
    if (!a)
        return;
    struct block *b = a->head;
    while (b) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

/* Keeps the newest block, the largest, when it is not huge: a loop that
 * resets between jobs of the same size then allocates nothing after the first
 * job, where keeping the oldest (16 KB) block made every job malloc and free
 * the same large blocks again (glibc consolidates its heap on such frees). */
#define ARENA_KEEP_MAX ((size_t)1 << 20)

void arena_reset(struct arena *a)
{
    if (!a || !a->head)
        return;
    struct block *keep = a->head;
    if (keep->size > ARENA_KEEP_MAX)
        while (keep->next)
            keep = keep->next;
    for (struct block *b = a->head, *next; b; b = next) {
        next = b->next;
        if (b != keep)
            free(b);
    }
    keep->next = NULL;
    keep->used = 0;
    a->head = keep;
    a->total = keep->size;
    a->last = NULL;
    a->last_n = 0;
}

/* Callers keep n <= ARENA_LARGEST, so the rounding cannot wrap. */
static size_t round_up(size_t n)
{
    return (n + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
}

static void *failed(struct arena *a)
{
    a->failures++;
    return NULL;
}

void *arena_alloc(struct arena *a, size_t n)
{
#ifdef TB_FAULT_INJECTION
    if (__builtin_expect(fault != NULL, 0) && fault_fails())
        return failed(a);
#endif
    if (n == 0)
        n = 1;
    if (n > ARENA_LARGEST)
        return failed(a);
    size_t need = round_up(n);
    struct block *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t size = ARENA_MIN_BLOCK, bytes;
        if (b && b->size < (SIZE_MAX / 4))
            size = b->size * 2;
        if (size < need)
            size = need;
        /* cap >= total always holds (arena_set_cap keeps it), so the room
         * left is cap - total, compared without adding to total. */
        if (a->cap && size > a->cap - a->total) {
            if (need > a->cap - a->total)
                return failed(a);
            size = need;
        }
        if (__builtin_add_overflow(sizeof(struct block), size, &bytes))
            return failed(a);
        struct block *nb = malloc(bytes);
        if (!nb)
            return failed(a);
        nb->next = b;
        nb->size = size;
        nb->used = 0;
        a->head = nb;
        a->total += size;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->last = p;
    a->last_n = need;
    return p;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
    size_t n;
    if (__builtin_mul_overflow(count, size, &n))
        return failed(a);
    void *p = arena_alloc(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

void *arena_realloc(struct arena *a, void *old, size_t old_n, size_t new_n)
{
    if (!old)
        return arena_alloc(a, new_n);
    if (new_n <= old_n)
        return old;
    if (new_n > ARENA_LARGEST)
        return failed(a);   /* the same guard as arena_alloc: round_up must not wrap */
    struct block *b = a->head;
    if (old == a->last && b) {
        size_t need = round_up(new_n);
        size_t start = (size_t)((unsigned char *)old - b->data);
        if (need <= b->size - start) {
            b->used = start + need;
            a->last_n = need;
            return old;
        }
    }
    void *p = arena_alloc(a, new_n);
    if (p)
        memcpy(p, old, old_n);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return failed(a);   /* n + 1 for the NUL would wrap */
    char *p = arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    char *p = arena_alloc(a, (size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

size_t arena_used(const struct arena *a)
{
    return a->total;
}

size_t arena_failures(const struct arena *a)
{
    return a->failures;
}

int arena_owns(const struct arena *a, const void *p)
{
    uintptr_t q = (uintptr_t)p;   /* integers: comparing unrelated pointers is undefined */
    for (const struct block *b = a->head; b; b = b->next)
        if (q >= (uintptr_t)b->data && q - (uintptr_t)b->data < b->size)
            return 1;
    return 0;
}

void abuf_init(struct abuf *b, struct arena *a, size_t max)
{
    b->arena = a;
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max;
    b->failed = 0;
}

void abuf_init_heap(struct abuf *b, size_t max)
{
    abuf_init(b, NULL, max);
}

static int abuf_fail(struct abuf *b)
{
    b->failed = 1;
    return -1;
}

/* Every size here is checked before it is used, and none passes
 * ARENA_LARGEST (as in arena_alloc; glibc refuses such sizes too): len <= max
 * always holds, a request for n more bytes fails when len + n passes max or
 * leaves no room for the NUL, and the capacity doubles up to max + 1, so
 * abuf_init_heap(b, SIZE_MAX) is an unbounded buffer, not a wrapped one. */
char *abuf_reserve(struct abuf *b, size_t n)
{
    if (b->failed || n > b->max - b->len || n >= ARENA_LARGEST - b->len)
        return abuf_fail(b), NULL;
    size_t need = b->len + n + 1;   /* <= ARENA_LARGEST, <= max + 1 */
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < need)
            cap *= 2;               /* cap < need <= SIZE_MAX / 2 before: no wrap */
        if (cap > ARENA_LARGEST)
            cap = ARENA_LARGEST;
        if (cap - 1 > b->max)
            cap = b->max + 1;       /* >= need, and b->max < ARENA_LARGEST here */
        char *d = b->arena ? arena_realloc(b->arena, b->data, b->cap, cap) : realloc(b->data, cap);
        if (!d)
            return abuf_fail(b), NULL;
        b->data = d;
        b->cap = cap;
    }
    return b->data + b->len;
}

int abuf_append(struct abuf *b, const void *p, size_t n)
{
    char *at = abuf_reserve(b, n);
    if (!at)
        return -1;
    memcpy(at, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int abuf_puts(struct abuf *b, const char *s)
{
    return abuf_append(b, s, strlen(s));
}

int abuf_printf(struct abuf *b, const char *fmt, ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *at = n >= 0 ? abuf_reserve(b, (size_t)n) : NULL;
    if (at) {
        vsnprintf(at, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
    return at ? 0 : abuf_fail(b);
}

const char *abuf_cstr(struct abuf *b)
{
    if (!b->data && abuf_append(b, "", 0) < 0)
        return NULL;
    return b->data;
}

char *abuf_take(struct abuf *b)
{
    char *s = NULL;
    if (!b->failed)
        s = b->data ? b->data : strdup("");
    else
        free(b->data);
    abuf_init_heap(b, b->max);
    return s;
}

void abuf_release(struct abuf *b)
{
    if (!b->arena)
        free(b->data);
    abuf_init(b, b->arena, b->max);
}
