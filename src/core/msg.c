/*
 * msg.c - the server's words in English and Swedish (msg.h). The catalogues
 * are JSON (jansson), parsed once per process.
 */
#include "core/msg.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"

extern const struct embedded_file msg_files[];

static const char *const langs[] = MSG_LANGS;
enum { NLANGS = sizeof langs / sizeof langs[0] - 1 };
static json_t *catalogue[NLANGS];
static const char **keys;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    for (int i = 0; i < NLANGS; i++) {
        char name[32];
        snprintf(name, sizeof name, "server.%s.json", langs[i]);
        const struct embedded_file *f = embedded_find(msg_files, name);
        catalogue[i] = f ? json_loadb((const char *)f->data, f->size, 0, NULL) : NULL;
    }
    size_t n = json_object_size(catalogue[0]), k = 0;
    keys = calloc(n + 1, sizeof *keys);
    const char *key;
    json_t *v;
    if (keys)
        json_object_foreach(catalogue[0], key, v)
            keys[k++] = key;
}

const char *msg_lang(const char *locale)
{
    return locale && !strncmp(locale, "sv", 2) ? "sv" : "en";
}

const char *msg_text(const char *lang, const char *key)
{
    pthread_once(&once, load);
    for (int i = NLANGS - 1; i >= 0; i--)
        if (lang && !strcmp(lang, langs[i])) {
            const char *s = json_string_value(json_object_get(catalogue[i], key));
            if (s)
                return s;
        }
    const char *s = json_string_value(json_object_get(catalogue[0], key));
    return s ? s : key;
}

const char *const *msg_keys(void)
{
    pthread_once(&once, load);
    static const char *const none[] = {NULL};
    return keys ? keys : none;
}

void msg_append(struct abuf *out, const char *lang, const char *key, const char *const *vars)
{
    const char *s = msg_text(lang, key);
    while (*s) {
        const char *open = strchr(s, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!close) {
            abuf_puts(out, s);
            return;
        }
        abuf_append(out, s, (size_t)(open - s));
        const char *value = NULL;
        for (int i = 0; vars && vars[i]; i += 2)
            if (strlen(vars[i]) == (size_t)(close - open - 1) && !strncmp(vars[i], open + 1, (size_t)(close - open - 1)))
                value = vars[i + 1] ? vars[i + 1] : "";
        if (value)
            abuf_puts(out, value);
        else
            abuf_append(out, open, (size_t)(close - open + 1));   /* unknown: left as written */
        s = close + 1;
    }
}

const char *msg_format(struct arena *a, const char *lang, const char *key, const char *const *vars)
{
    struct abuf b;
    abuf_init(&b, a, 1u << 20);
    msg_append(&b, lang, key, vars);
    return b.failed ? NULL : abuf_cstr(&b);
}

int msg_mail(struct arena *a, const char *lang, const char *key, const char *const *vars, int reminder,
             const char **subject, const char **body)
{
    char k[96];
    struct abuf s, b;
    abuf_init(&s, a, 4096);
    abuf_init(&b, a, 1u << 20);
    if (reminder)
        msg_append(&s, lang, "mail.reminder", NULL);
    snprintf(k, sizeof k, "%s.subject", key);
    msg_append(&s, lang, k, vars);
    snprintf(k, sizeof k, "%s.body", key);
    msg_append(&b, lang, k, vars);
    abuf_printf(&b, "\n\n%s\n", msg_text(lang, "mail.signature"));
    *subject = s.failed ? NULL : abuf_cstr(&s);
    *body = b.failed ? NULL : abuf_cstr(&b);
    return *subject && *body ? 0 : -1;
}

const char *msg_date(struct arena *a, const char *lang, const char *iso)
{
    int y, m, d;
    char rest;
    if (!iso || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &rest) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        return iso;
    char key[16], day[8], year[8];
    snprintf(key, sizeof key, "month.%d", m);
    snprintf(day, sizeof day, "%d", d);
    snprintf(year, sizeof year, "%d", y);
    const char *const vars[] = {"day", day, "month", msg_text(lang, key), "year", year, NULL};
    return msg_format(a, lang, "date.long", vars);
}
