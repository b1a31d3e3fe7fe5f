/*
 * fuzz.h - shared by the libFuzzer targets tests/fuzz/fuzz_*.c. Each target
 * defines LLVMFuzzerTestOneInput; clang links it with libFuzzer
 * (meson -Dfuzz=true, scripts/fuzz.sh), every build links it with replay.c,
 * which runs the committed corpus as a unit test. A target aborts when a
 * property it checks fails, so the fuzzer reports it like a crash.
 */
#ifndef TB_FUZZ_H
#define TB_FUZZ_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the run on a broken property (libFuzzer saves the input as a crash). */
#define FUZZ_ASSERT(cond)                                                              \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                   \
        }                                                                              \
    } while (0)

/* The bytes as a JSON document, parsed the way the server and the CLI do
 * (duplicate member names refused); NULL when not JSON. */
static inline json_t *fuzz_json(const uint8_t *data, size_t size, size_t flags)
{
    return json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | flags, NULL);
}

/* A NUL-terminated copy (malloc'd) of data[0..size). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    for (size_t i = 0; i < size; i++)
        s[i] = (char)data[i];
    s[size] = '\0';
    return s;
}

#endif
