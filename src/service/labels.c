/*
 * labels.c - column words from the UI's translations (labels.h).
 */
#include "service/labels.h"

#include <stdio.h>
#include <string.h>

#include "core/embedded.h"

extern const struct embedded_file web_static_files[];

static void merge_file(json_t *into, const char *name)
{
    const struct embedded_file *f = embedded_find(web_static_files, name);
    if (!f)
        return;
    json_t *d = json_loadb((const char *)f->data, f->size, 0, NULL);
    if (json_is_object(d))
        json_object_update_missing(into, d);
    json_decref(d);
}

json_t *labels_load(const char *lang)
{
    json_t *l = json_object();
    if (!l)
        return NULL;
    if (lang && !strcmp(lang, "sv"))
        merge_file(l, "i18n/sv.json");
    /* English fills what a translation lacks. */
    merge_file(l, "i18n/en.json");
    merge_file(l, "i18n/en.extra.json");
    return l;
}

const char *labels_lang(const char *accept)
{
    /* The first language named decides (the UI sends ?lang= anyway). */
    while (accept && (*accept == ' ' || *accept == '\t'))
        accept++;
    return accept && (accept[0] == 's' || accept[0] == 'S') && (accept[1] == 'v' || accept[1] == 'V') &&
                   (!accept[2] || strchr("-_,;", accept[2]))
               ? "sv"
               : "en";
}

const char *labels_column(const json_t *labels, const char *collection, const char *key)
{
    char name[160];
    const char *prefixes[] = {collection, "export.col", "common"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        if (!prefixes[i])
            continue;
        snprintf(name, sizeof name, "%s.%s", prefixes[i], key);
        const char *v = json_string_value(json_object_get(labels, name));
        if (v && *v)
            return v;
    }
    return key;
}

static void add_alias(json_t *aliases, const char *label, const char *column)
{
    char lower[256];
    size_t n = 0;
    for (const char *p = label; *p && n + 1 < sizeof lower; p++)
        lower[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    lower[n] = '\0';
    if (!json_object_get(aliases, lower))
        json_object_set_new(aliases, lower, json_string(column));
}

json_t *labels_import_aliases(enum csv_import_kind kind)
{
    static const char *const langs[] = {"en", "sv"};
    json_t *aliases = json_object();
    const char *collection = csv_import_kind_name(kind);
    for (size_t l = 0; aliases && l < sizeof langs / sizeof langs[0]; l++) {
        json_t *labels = labels_load(langs[l]);
        const char *col;
        for (size_t i = 0; labels && (col = csv_import_column_name(kind, i)); i++)
            add_alias(aliases, labels_column(labels, collection, col), col);
        json_decref(labels);
    }
    return aliases;
}
