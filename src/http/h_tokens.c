/*
 * h_tokens.c - API tokens for scripts (Authorization: Bearer). The token is
 * shown once, at creation; only its hash is stored.
 */
#include "http/handlers.h"

const struct field_spec token_fields[] = {
    {.name = "name", .type = FT_STRING, .required = 1, .min = 1, .max = 100},
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
    const char *name = json_string_value(json_object_get(r->body, "name"));
    char raw[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
    auth_random_token(raw);
    /* A recognisable prefix lets secret scanners spot leaked tokens. */
    char *token = arena_printf(r->arena, "tb_%s", raw);
    char prefix[12];
    snprintf(prefix, sizeof prefix, "%.10s", token);
    auth_token_hash(token, hash);
    int64_t id;
    if (store_token_create(r->store, &r->actor, name, hash, prefix, &id, err) < 0)
        return -1;
    res->location = arena_printf(r->arena, "/api/v1/tokens/%lld", (long long)id);
    return respond_json(res, 201, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "name", name,
                                            "prefix", prefix, "token", token));
}

int h_token_revoke(struct request *r, struct response *res, struct tb_err *err)
{
    if (store_token_revoke(r->store, &r->actor, r->ids[0], err) < 0)
        return -1;
    return respond_no_content(res);
}
