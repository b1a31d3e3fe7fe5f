/*
 * msg.h - the server's own words in the reader's language: mail and the PDF
 * certificate (issue 17). The texts are data/i18n/server.<lang>.json,
 * compiled in; "{name}" in a text is replaced by the value given for name,
 * as in the web UI's i18n files. A key missing in a language falls back to
 * English; a key missing in English is returned as itself (a test checks
 * that every language has every key with the same placeholders).
 */
#ifndef TB_MSG_H
#define TB_MSG_H

#include "core/arena.h"

#define MSG_LANGS {"en", "sv", NULL}

/* "sv" for "sv" (and "sv-SE"), else "en". */
const char *msg_lang(const char *locale);
/* The text of key in lang (not formatted). */
const char *msg_text(const char *lang, const char *key);
/* The text with its placeholders filled from vars: name, value, name,
 * value, ..., NULL. Appends to out (check out->failed). */
void msg_append(struct abuf *out, const char *lang, const char *key, const char *const *vars);
/* The same in a (NULL when out of memory). */
const char *msg_format(struct arena *a, const char *lang, const char *key, const char *const *vars);
/* A mail: *subject from "KEY.subject" (after "mail.reminder" when
 * reminder), the body from "KEY.body" and the signature; 0, or -1 when out
 * of memory. */
int msg_mail(struct arena *a, const char *lang, const char *key, const char *const *vars, int reminder,
             const char **subject, const char **body);
/* Every key of the English texts, as a NULL-terminated array (for tests). */
const char *const *msg_keys(void);
/* A date "YYYY-MM-DD" in words: "7 December 2026" / "7 december 2026";
 * other text is returned as given. */
const char *msg_date(struct arena *a, const char *lang, const char *iso);

#endif
