/*
 * embedded.h - files compiled into the binary by tools/embed.c.
 * Each set is a NULL-name-terminated array; data is NUL-terminated as well
 * (size excludes the terminator) so text files can be used as C strings.
 */
#ifndef TB_EMBEDDED_H
#define TB_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *name;
    const unsigned char *data;
    size_t size;
};

const struct embedded_file *embedded_find(const struct embedded_file *set, const char *name);

#endif
