/* Unit tests: arena allocator and capped buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allocations_are_aligned_and_distinct),
        cmocka_unit_test(cap_is_enforced),
        cmocka_unit_test(abuf_refuses_past_max),
        cmocka_unit_test(printf_and_realloc),
        cmocka_unit_test(errors_are_one_line),
    };
    return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
