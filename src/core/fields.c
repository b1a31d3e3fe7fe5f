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

#define COMPANY_FIELDS(req)                                                               \
    {.name = "legal_name", .type = FT_STRING, .required = req, .min = 2, .max = 200},      \
    {.name = "registration_number", .type = FT_STRING, .max = 60},                              \
    {.name = "country", .type = FT_CODE, .required = req, .code_list = CODES_COUNTRY},     \
    {.name = "region", .type = FT_STRING, .max = 100},                                          \
    {.name = "city", .type = FT_STRING, .max = 100},                                            \
    {.name = "nace", .type = FT_CODE, .code_list = CODES_NACE},                                 \
    {.name = "employees", .type = FT_INT, .min = 0, .max = 10000000},                           \
    {.name = "currency", .type = FT_CODE, .code_list = CODES_CURRENCY},                         \
    {.name = "turnover", .type = FT_INT, .min = 0, .max = MONEY_MAX},                           \
    {.name = "export_turnover", .type = FT_INT, .min = 0, .max = MONEY_MAX},                    \
    {.name = "balance_sheet", .type = FT_INT, .min = 0, .max = MONEY_MAX},                      \
    {.name = "products", .type = FT_ARRAY, .max = 50, .items = &hs_item},                      \
    {.name = "export_markets", .type = FT_ARRAY, .max = 250, .items = &country_item},          \
    {.name = "target_markets", .type = FT_ARRAY, .max = 250, .items = &country_item},          \
    {.name = "contacts", .type = FT_ARRAY, .max = 20, .items = &contact_item},                 \
    {.name = "website", .type = FT_URL, .max = 300}

const struct field_spec company_create_fields[] = {
    COMPANY_FIELDS(1),
    {.name = "org_id", .type = FT_INT, .min = 1, .max = ID_MAX},
    {0},
};
const struct field_spec company_update_fields[] = {
    COMPANY_FIELDS(1),
    {.name = "version", .type = FT_INT, .min = 1, .max = ID_MAX},
    {0},
};

#define GRADUATE_FIELDS(req)                                                              \
    {.name = "name", .type = FT_STRING, .required = req, .min = 1, .max = 200},            \
    {.name = "email", .type = FT_EMAIL, .min = 3, .max = 254},                                  \
    {.name = "phone", .type = FT_STRING, .max = 40},                                            \
    {.name = "nationality", .type = FT_CODE, .code_list = CODES_COUNTRY},                       \
    {.name = "residence", .type = FT_CODE, .code_list = CODES_COUNTRY},                         \
    {.name = "eqf_level", .type = FT_CODE, .code_list = CODES_EQF},                             \
    {.name = "field", .type = FT_CODE, .code_list = CODES_ISCED_F},                             \
    {.name = "university", .type = FT_STRING, .max = 200},                                      \
    {.name = "graduation_year", .type = FT_INT, .min = 1950, .max = 2100},                      \
    {.name = "languages", .type = FT_ARRAY, .max = 20, .items = &language_level_item},         \
    {.name = "countries", .type = FT_ARRAY, .max = 50, .items = &country_experience_item},     \
    {.name = "skills", .type = FT_ARRAY, .max = 50, .items = &skill_item},                     \
    {.name = "mobility", .type = FT_ARRAY, .max = 250, .items = &country_item},                \
    {.name = "available_from", .type = FT_DATE}

const struct field_spec graduate_create_fields[] = {
    GRADUATE_FIELDS(1),
    {.name = "org_id", .type = FT_INT, .min = 1, .max = ID_MAX},
    {0},
};
const struct field_spec graduate_update_fields[] = {
    GRADUATE_FIELDS(1),
    {.name = "version", .type = FT_INT, .min = 1, .max = ID_MAX},
    {0},
};

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
