/*
 * h_companies.c - SMEs: the exporting companies that host trainees.
 * Staff manage them; a company user sees and edits its own company.
 */
#include "core/sme.h"
#include "http/entity_http.h"
#include "core/fields.h"
#include "http/handlers.h"

static void decorate_company(struct request *r, json_t *company)
{
    (void)r;
    json_object_set_new(company, "sme_check", sme_check(company));
}

static int money_needs_currency(const json_t *body, const json_t *old, struct tb_err *err)
{
    static const char *const money[] = {"turnover", "export_turnover", "balance_sheet", NULL};
    json_t *cur = json_object_get(body, "currency");
    if (!cur && old)
        cur = json_object_get(old, "currency");
    for (int i = 0; money[i]; i++) {
        json_t *v = json_object_get(body, money[i]);
        if (v && !json_is_null(v) && (!cur || json_is_null(cur)))
            return TB_INVALID(err, "currency", "currency: required with %s (amounts are in minor units of it)", money[i]);
    }
    return 0;
}

/* decorate_company's member, written from the columns sme_check reads */
static const char *const sme_reads[] = {"employees", "currency", "turnover", "balance_sheet", NULL};
static const struct row_member sme = {"sme_check", sme_reads, sme_check};

int h_company_list(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_list_with(r, res, ENT_COMPANY, decorate_company, &sme, err);
}

int h_company_get(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_get_answer(r, res, ENT_COMPANY, &sme, err);
}

int h_company_create(struct request *r, struct response *res, struct tb_err *err)
{
    if (money_needs_currency(r->body, NULL, err) < 0)
        return -1;
    return entity_create(r, res, ENT_COMPANY, r->body, "companies", decorate_company, err);
}

int h_company_update(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *old;
    if (entity_load(r, ENT_COMPANY, &old, err) < 0)
        return -1;
    int rc = money_needs_currency(r->body, old, err);
    json_decref(old);
    return rc < 0 ? -1 : entity_update(r, res, ENT_COMPANY, r->body, decorate_company, err);
}

int h_company_delete(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_delete(r, res, ENT_COMPANY, err);
}
