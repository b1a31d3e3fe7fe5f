/*
 * labels.h - the UI's words for columns, read from the translations the web
 * UI ships (web/static/i18n/, compiled into the binary): one source for
 * the screens, the human headers of exports and the headers the importer
 * accepts back.
 */
#ifndef TB_LABELS_H
#define TB_LABELS_H

#include <jansson.h>

#include "core/csv_import.h"

/* "en" or "sv" (anything else: en) as one object {key: text}; new reference, NULL without memory. */
json_t *labels_load(const char *lang);
/* The language of an Accept-Language header or a ?lang= value: "sv" or "en". */
const char *labels_lang(const char *accept_language);
/* The header of a column of a collection ("companies", "legal_name" -> "Legal name"): the
 * collection's own key, then export.col.KEY, then common.KEY; the key itself otherwise. */
const char *labels_column(const json_t *labels, const char *collection, const char *key);
/* {"header in lower case": "column"} for every column the importer knows, in every shipped language. */
json_t *labels_import_aliases(enum csv_import_kind kind);

#endif
