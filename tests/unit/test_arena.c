/* Unit tests: arena allocator and capped buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/json_arena.h"
#include "core/error.h"

static void allocations_are_aligned_and_distinct(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    char *p = arena_alloc(a, 3), *q = arena_alloc(a, 5);
    assert_non_null(p);
    assert_non_null(q);
    assert_true(((uintptr_t)q % 16) == 0);
    assert_ptr_not_equal(p, q);
    for (int i = 0; i < 10000; i++)
        assert_non_null(arena_alloc(a, 100));
    arena_free(a);
}

static void cap_is_enforced(void **state)
{
    (void)state;
    struct arena *a = arena_new(64 * 1024);
    assert_non_null(arena_alloc(a, 1000));
    assert_null(arena_alloc(a, 100 * 1024));
    arena_free(a);
}

static void abuf_refuses_past_max(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct abuf b;
    abuf_init(&b, a, 10);
    assert_int_equal(abuf_puts(&b, "hello"), 0);
    assert_int_equal(abuf_puts(&b, "world"), 0);
    assert_int_equal(abuf_puts(&b, "!"), -1);
    assert_string_equal(abuf_cstr(&b), "helloworld");
    arena_free(a);
}

static void printf_and_realloc(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    char *s = arena_printf(a, "%s-%d", "tb", 42);
    assert_string_equal(s, "tb-42");
    char *r = arena_realloc(a, s, 6, 4096);
    assert_string_equal(r, "tb-42");
    arena_free(a);
}

static void errors_are_one_line(void **state)
{
    (void)state;
    struct tb_err e;
    assert_int_equal(TB_INVALID(&e, "email", "email: bad\nvalue"), -1);
    assert_int_equal(e.status, 400);
    assert_string_equal(e.field, "email");
    assert_string_equal(e.code, "validation_failed");
    assert_null(strchr(e.message, '\n'));
}

/* A loop that resets between jobs of one size stops allocating blocks: the
 * reset keeps the largest block, so the second job fits where the first grew. */
static void reset_keeps_the_largest_block(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    for (int i = 0; i < 200; i++)
        assert_non_null(arena_alloc(a, 1000));   /* grows past the 16 KB first block */
    size_t grown = arena_used(a);
    arena_reset(a);
    assert_true(arena_used(a) >= 128 * 1024);
    assert_true(arena_used(a) <= grown);
    void *p = arena_alloc(a, 1000);
    assert_true(arena_owns(a, p));
    int x;
    assert_false(arena_owns(a, &x));
    arena_free(a);
}

/* Inside a window jansson's values come from the arena and freeing them is a
 * no-op; values made before the window are still freed normally (ASan/LSan
 * would report either mistake); suspend hands out heap memory again. */
static void json_window_allocates_from_the_arena(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    json_t *before = json_string("heap");
    struct json_arena_window w = json_arena_push(a);
    json_t *o = json_object();
    assert_non_null(o);
    assert_true(arena_owns(a, o));
    assert_int_equal(json_object_set_new(o, "k", json_integer(7)), 0);
    assert_int_equal(json_object_set(o, "s", before), 0);
    struct json_arena_window s = json_arena_suspend();
    json_t *kept = json_string("outlives the window");
    assert_false(arena_owns(a, kept));
    json_arena_resume(s);
    json_decref(before);
    json_decref(o);            /* releases the arena nodes, drops before's last ref */
    assert_int_equal(json_arena_pop(w), 0);   /* everything made in it was released */
    json_t *after = json_object();
    assert_false(arena_owns(a, after));
    json_decref(after);
    json_decref(kept);
    arena_free(a);
}

/* Fault injection fails exactly the chosen allocation (or every later one
 * with persist), arena_new included, and failures are counted per arena;
 * a lowered cap holds. */
static void injected_failures_are_counted(void **state)
{
    (void)state;
    struct arena_fault f = {.fail_at = 3};
    if (arena_fault_arm(&f) < 0)
        skip();   /* compiled out (release build) */
    struct arena *a = arena_new(0);          /* 1 */
    assert_non_null(arena_alloc(a, 8));      /* 2 */
    assert_null(arena_alloc(a, 8));          /* 3 fails */
    assert_non_null(arena_alloc(a, 8));      /* 4 */
    arena_fault_arm(NULL);
    assert_int_equal(f.count, 4);
    assert_true(f.hit);
    assert_int_equal(arena_failures(a), 1);
    struct arena_fault p = {.fail_at = 1, .persist = 1};
    arena_fault_arm(&p);
    assert_null(arena_new(0));
    assert_null(arena_alloc(a, 1));
    assert_null(arena_alloc(a, 1));
    arena_fault_arm(NULL);
    assert_int_equal(arena_failures(a), 3);
    assert_non_null(arena_alloc(a, 1));
    arena_set_cap(a, 1);                     /* never below what it holds */
    assert_null(arena_alloc(a, 64 * 1024));
    assert_int_equal(arena_failures(a), 4);
    arena_free(a);
}

/* Growing the newest allocation in place must refuse a size whose rounding
 * wraps, as arena_alloc does, instead of "growing" it to a few bytes. */
static void realloc_in_place_refuses_huge_sizes(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    assert_non_null(a);
    char *p = arena_alloc(a, 16);
    assert_non_null(p);
    assert_null(arena_realloc(a, p, 16, SIZE_MAX - 3));
    assert_null(arena_realloc(a, p, 16, SIZE_MAX / 2 + 1));
    assert_true(arena_failures(a) >= 2);
    char *q = arena_realloc(a, p, 16, 64);   /* an ordinary growth still works */
    assert_ptr_equal(q, p);
    arena_free(a);
}

/* The heap mode of the one buffer type: hands its bytes over, stops at max,
 * and a failure sticks. */
static void abuf_on_the_heap(void **state)
{
    (void)state;
    struct abuf b;
    abuf_init_heap(&b, 10);
    assert_int_equal(abuf_puts(&b, "abc"), 0);
    assert_int_equal(abuf_printf(&b, "%d-%s", 42, "x"), 0);
    assert_string_equal(abuf_cstr(&b), "abc42-x");
    char *s = abuf_take(&b);
    assert_string_equal(s, "abc42-x");
    free(s);
    s = abuf_take(&b);                      /* empty after the take */
    assert_string_equal(s, "");
    free(s);
    assert_int_equal(abuf_puts(&b, "0123456789"), 0);
    assert_int_equal(abuf_puts(&b, "!"), -1);   /* past max */
    assert_true(b.failed);
    assert_int_equal(abuf_puts(&b, ""), -1);    /* sticky */
    assert_null(abuf_take(&b));                 /* and freed */
    char *at = abuf_reserve(&b, 4);
    assert_non_null(at);
    memcpy(at, "wxyz", 4);
    b.len += 4;
    b.data[b.len] = '\0';
    assert_string_equal(abuf_cstr(&b), "wxyz");
    abuf_release(&b);
    assert_null(b.data);
}

/* A value left alive at the end of a window (one a cache or the caller could
 * still reach once the arena is gone) makes json_arena_pop() fail; releases
 * made while suspended count, heap values made while suspended do not. */
static void json_window_reports_an_escaped_value(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct json_arena_window w = json_arena_push(a);
    json_t *escaped = json_pack("{s:[i,s]}", "k", 1, "v");
    assert_non_null(escaped);
    assert_int_equal(json_arena_pop(w), -1);
    (void)escaped;             /* never touched again: its memory goes with a */

    w = json_arena_push(a);
    json_t *o = json_pack("{s:s}", "k", "v");
    struct json_arena_window s = json_arena_suspend();
    json_t *kept = json_string("heap");
    json_decref(o);            /* released while suspended: still counted */
    json_arena_resume(s);
    assert_int_equal(json_arena_pop(w), 0);
    assert_false(arena_owns(a, kept));
    json_decref(kept);
    arena_free(a);
}

/* Edge sizes: no size computation of the arena or the buffer wraps; each
 * impossible size is refused with NULL/-1 (and counted), never turned into a
 * small allocation written past. The huge requests below are all refused
 * before malloc is asked (a capped arena), so ASan sees none of them. */
static void edge_sizes_are_refused_not_wrapped(void **state)
{
    (void)state;
    struct arena *a = arena_new(1 << 20);
    assert_non_null(a);
    assert_null(arena_alloc(a, SIZE_MAX));
    assert_null(arena_alloc(a, SIZE_MAX / 2 + 1));
    assert_null(arena_alloc(a, SIZE_MAX / 2));      /* past the cap */
    assert_null(arena_calloc(a, SIZE_MAX / 2, 3));
    assert_null(arena_calloc(a, 3, SIZE_MAX / 2));
    assert_null(arena_strndup(a, "x", SIZE_MAX));
    char *p = arena_alloc(a, 16);
    assert_non_null(p);
    assert_null(arena_realloc(a, p, 16, SIZE_MAX));
    assert_null(arena_realloc(a, p, 16, SIZE_MAX / 2));   /* in place: past the block */
    assert_int_equal(arena_failures(a), 8);

    struct abuf b;
    abuf_init(&b, a, SIZE_MAX);                     /* no maximum but the arena's cap */
    assert_int_equal(abuf_puts(&b, "abc"), 0);
    assert_null(abuf_reserve(&b, SIZE_MAX));
    assert_true(b.failed);
    abuf_init(&b, a, SIZE_MAX);
    assert_int_equal(abuf_puts(&b, "abc"), 0);
    assert_null(abuf_reserve(&b, SIZE_MAX - 3));    /* len + n == SIZE_MAX: no room for the NUL */
    abuf_init(&b, a, SIZE_MAX);
    assert_int_equal(abuf_puts(&b, "abc"), 0);
    assert_null(abuf_reserve(&b, SIZE_MAX / 2 - 8)); /* checked, then refused by the cap */
    abuf_init(&b, a, SIZE_MAX - 1);
    assert_int_equal(abuf_printf(&b, "%s-%d", "x", 1), 0);
    assert_string_equal(abuf_cstr(&b), "x-1");

    abuf_init(&b, a, 0);                            /* room for nothing but the NUL */
    assert_string_equal(abuf_cstr(&b), "");
    assert_int_equal(abuf_puts(&b, ""), 0);
    assert_int_equal(abuf_puts(&b, "x"), -1);
    abuf_init(&b, a, 256);                          /* max + 1 == the first capacity + 1 */
    char big[257];
    memset(big, 'y', sizeof big);
    assert_int_equal(abuf_append(&b, big, 256), 0);
    assert_int_equal(b.len, 256);
    assert_int_equal(abuf_append(&b, big, 1), -1);
    arena_free(a);

    abuf_init_heap(&b, SIZE_MAX);                   /* crashed: max + 1 wrapped to 0 */
    assert_int_equal(abuf_puts(&b, "hello"), 0);
    for (int i = 0; i < 100; i++)
        assert_int_equal(abuf_append(&b, big, sizeof big), 0);
    assert_int_equal(b.len, 5 + 100 * sizeof big);
    assert_true(b.cap > b.len);
    assert_null(abuf_reserve(&b, SIZE_MAX));
    assert_null(abuf_reserve(&b, SIZE_MAX - b.len));
    assert_null(abuf_take(&b));                     /* failed: freed, nothing handed out */
    abuf_init_heap(&b, SIZE_MAX);
    assert_int_equal(abuf_puts(&b, "ok"), 0);
    char *s = abuf_take(&b);
    assert_string_equal(s, "ok");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allocations_are_aligned_and_distinct),
        cmocka_unit_test(cap_is_enforced),
        cmocka_unit_test(abuf_refuses_past_max),
        cmocka_unit_test(printf_and_realloc),
        cmocka_unit_test(errors_are_one_line),
        cmocka_unit_test(reset_keeps_the_largest_block),
        cmocka_unit_test(json_window_allocates_from_the_arena),
        cmocka_unit_test(injected_failures_are_counted),
        cmocka_unit_test(realloc_in_place_refuses_huge_sizes),
        cmocka_unit_test(abuf_on_the_heap),
        cmocka_unit_test(json_window_reports_an_escaped_value),
        cmocka_unit_test(edge_sizes_are_refused_not_wrapped),
    };
    return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
