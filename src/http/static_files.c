#include "http/static_files.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/embedded.h"

extern const struct embedded_file web_static_files[];
extern const struct embedded_file web_vendor_files[];   /* npm libraries, as /vendor/<package path> */

int static_file_get(const char *web_dir, const char *name, struct arena *a, const void **data,
                    size_t *size)
{
    if (!strncmp(name, "vendor/", 7)) {
        const struct embedded_file *v = embedded_find(web_vendor_files, name + 7);
        if (!v)
            return -1;
        *data = v->data;
        *size = v->size;
        return 0;
    }
    if (web_dir && *web_dir) {
        char *path = arena_printf(a, "%s/%s", web_dir, name);
        FILE *f = path ? fopen(path, "rb") : NULL;
        if (!f)
            return -1;
        struct abuf b;
        abuf_init(&b, a, 8u << 20);
        char chunk[8192];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            if (abuf_append(&b, chunk, n) < 0)
                break;
        fclose(f);
        *data = abuf_cstr(&b);
        *size = b.len;
        return 0;
    }
    const struct embedded_file *e = embedded_find(web_static_files, name);
    if (!e)
        return -1;
    *data = e->data;
    *size = e->size;
    return 0;
}

const char *static_file_etag(struct arena *a, const void *data, size_t size)
{
    unsigned char h[12];
    crypto_generichash(h, sizeof h, data, size, NULL, 0);
    char hex[25];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return arena_printf(a, "\"%s\"", hex);
}
