#include "core/fields.h"

#include <stddef.h>

static const char *const experience_kinds[] = {"lived", "studied", "worked", NULL};

const struct field_spec country_item = {.type = FT_CODE, .code_list = CODES_COUNTRY};
const struct field_spec hs_item = {.type = FT_CODE, .code_list = CODES_HS};
const struct field_spec isced_item = {.type = FT_CODE, .code_list = CODES_ISCED_F};
const struct field_spec skill_item = {.type = FT_STRING, .min = 1, .max = 80};

static const struct field_spec language_level_fields[] = {
    {.name = "code", .type = FT_CODE, .required = 1, .code_list = CODES_LANGUAGE},
    {.name = "level", .type = FT_CODE, .required = 1, .code_list = CODES_CEFR},
    {0},
};
const struct field_spec language_level_item = {.type = FT_OBJECT, .items = language_level_fields};

static const struct field_spec language_requirement_fields[] = {
    {.name = "code", .type = FT_CODE, .required = 1, .code_list = CODES_LANGUAGE},
    {.name = "min_level", .type = FT_CODE, .required = 1, .code_list = CODES_CEFR},
    {0},
};
const struct field_spec language_requirement_item = {.type = FT_OBJECT, .items = language_requirement_fields};

static const struct field_spec contact_fields[] = {
    {.name = "name", .type = FT_STRING, .required = 1, .min = 1, .max = 200},
    {.name = "email", .type = FT_EMAIL, .min = 3, .max = 254},
    {.name = "phone", .type = FT_STRING, .max = 40},
    {.name = "role", .type = FT_STRING, .max = 100},
    {0},
};
const struct field_spec contact_item = {.type = FT_OBJECT, .items = contact_fields};

static const struct field_spec country_experience_fields[] = {
    {.name = "country", .type = FT_CODE, .required = 1, .code_list = CODES_COUNTRY},
    {.name = "months", .type = FT_INT, .required = 1, .min = 1, .max = 600},
    {.name = "kind", .type = FT_ENUM, .allowed = experience_kinds},
    {0},
};
const struct field_spec country_experience_item = {.type = FT_OBJECT, .items = country_experience_fields};

/* ---- records the importer (src/service/import_service.c) and the API both validate ---- */

#include "core/fields_company.inc"   /* from records/company.json */

#include "core/fields_graduate.inc"  /* from records/graduate.json */

int graduate_languages_once(const json_t *fields, struct tb_err *err)
{
    json_t *langs = json_object_get(fields, "languages");
    for (size_t i = 0; i < json_array_size(langs); i++)
        for (size_t j = 0; j < i; j++)
            if (json_equal(json_object_get(json_array_get(langs, i), "code"),
                           json_object_get(json_array_get(langs, j), "code")))
                return TB_INVALID(err, "languages", "languages[%zu]: %s is listed twice", i,
                                  json_string_value(json_object_get(json_array_get(langs, i), "code")));
    return 0;
}
