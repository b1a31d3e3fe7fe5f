/*
 * h_tokens.c - API tokens for scripts (Authorization: Bearer). The token is
 * shown once, at creation; only its hash is stored. Every token expires
 * (90 days unless asked otherwise, a year at most), is read-only or
 * read-write, and is revoked with every other token of its owner when the
 * password changes (store_user_set_password). Only a signed-in person makes
 * tokens: a token cannot mint more of itself.
 */
#include <time.h>

#include "http/handlers.h"

#define TOKEN_DAYS_DEFAULT 90
#define TOKEN_DAYS_MAX 365

static const char *const token_scopes[] = {"read", "read_write", NULL};

const struct field_spec token_fields[] = {
    {.name = "name", .type = FT_STRING, .required = 1, .min = 1, .max = 100},
    {.name = "scope", .type = FT_ENUM, .allowed = token_scopes},
    {.name = "expires_in_days", .type = FT_INT, .min = 1, .max = TOKEN_DAYS_MAX},
    {0},
};

int h_token_list(struct request *r, struct response *res, struct tb_err *err)
{
    struct list_query q;
    struct list_page page;
    if (req_list_query(r, &q, NULL, NULL, NULL, err) < 0 ||
        store_token_list(r->store, &r->actor, &q, &page, err) < 0)
        return -1;
    return respond_page(res, &page);
}

int h_token_create(struct request *r, struct response *res, struct tb_err *err)
{
    if (r->via_token)
        return tb_error(err, TB_E_FORBIDDEN, "Authorization",
                       "Authorization: an API token cannot create tokens; sign in to make one");
    const char *name = json_string_value(json_object_get(r->body, "name"));
    json_t *scope_field = json_object_get(r->body, "scope");
    const char *scope = scope_field ? json_string_value(scope_field) : "read_write";
    json_t *days_field = json_object_get(r->body, "expires_in_days");
    json_int_t days = days_field ? json_integer_value(days_field) : TOKEN_DAYS_DEFAULT;
    time_t until = time(NULL) + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&until, &tm);
    char expires_at[32];
    strftime(expires_at, sizeof expires_at, "%Y-%m-%dT%H:%M:%SZ", &tm);

    char raw[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
    auth_random_token(raw);
    /* A recognisable prefix lets secret scanners spot leaked tokens. */
    char *token = arena_printf(r->arena, "tb_%s", raw);
    char prefix[12];
    snprintf(prefix, sizeof prefix, "%.10s", token);
    auth_token_hash(token, hash);
    int64_t id;
    if (store_token_create(r->store, &r->actor, name, hash, prefix, scope, expires_at, &id, err) < 0)
        return -1;
    res->location = arena_printf(r->arena, "/api/v1/tokens/%lld", (long long)id);
    return respond_json(res, 201, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)id, "name", name,
                                            "prefix", prefix, "scope", scope, "expires_at", expires_at,
                                            "token", token));
}

int h_token_revoke(struct request *r, struct response *res, struct tb_err *err)
{
    if (store_token_revoke(r->store, &r->actor, r->ids[0], err) < 0)
        return -1;
    return respond_no_content(res);
}
