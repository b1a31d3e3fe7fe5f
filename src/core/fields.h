/*
 * fields.h - domain field declarations: shared items, and the records both the
 * API and the CSV importer validate (companies, graduates).
 */
#ifndef TB_FIELDS_H
#define TB_FIELDS_H

#include "core/codes.h"
#include "core/validate.h"

#define MONEY_MAX 1000000000000000LL   /* 10^15 minor units */
#define ID_MAX (1LL << 53)

extern const struct field_spec country_item, hs_item, isced_item;
extern const struct field_spec language_level_item, language_requirement_item;
extern const struct field_spec contact_item, country_experience_item, skill_item;

extern const struct field_spec company_create_fields[], company_update_fields[];
extern const struct field_spec graduate_create_fields[], graduate_update_fields[];
/* A rule beyond single fields, for the API and the importer alike: each
 * language once in a graduate's "languages". */
int graduate_languages_once(const json_t *fields, struct tb_err *err);

#endif
