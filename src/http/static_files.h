/*
 * static_files.h - the web UI's files: built into the binary, or read from
 * --web-dir during UI development.
 */
#ifndef TB_STATIC_FILES_H
#define TB_STATIC_FILES_H

#include <stddef.h>

#include "core/arena.h"

int static_file_get(const char *web_dir, const char *name, struct arena *a, const void **data,
                    size_t *size);
const char *static_file_etag(struct arena *a, const void *data, size_t size);

#endif
