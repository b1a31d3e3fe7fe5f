/*
 * demo_credentials.c - the qualification part of the demo: the foundation
 * accredits every operator, each operator defines the export-trainee
 * qualification (EQF 6, 60 ECTS, ESCO skills) and issues signed credentials
 * for the placements that are completed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/demo.h"
#include "service/issuing_service.h"

int demo_credentials(struct store *st, const char *public_url, const char *kek, int *issued, struct tb_err *err)
{
    struct tb_actor sys = actor_system();
    struct arena *arena = cli_arena_new("demo", 0);
    struct list_query q = {.limit = 200};
    struct list_page orgs, placements;
    int rc = -1;
    *issued = 0;
    q.f1 = "operator";
    if (store_org_list(st, &sys, &q, &orgs, err) < 0)
        goto out_arena;
    size_t k;
    json_t *org;
    json_array_foreach(orgs.items, k, org) {
        int64_t org_id = json_integer_value(json_object_get(org, "id"));
        int64_t acc_id, ach_id = 0;
        json_t *acc = json_pack("{s:I, s:s, s:s}", "org_id", (json_int_t)org_id, "valid_from", "2024-01-01", "note",
                                "Accredited as an issuer of the export trainee qualification (demo)");
        int r1 = store_entity_create(st, &sys, ENT_ACCREDITATION, acc, &acc_id, err);
        json_decref(acc);
        if (r1 < 0)
            goto out_orgs;
        /* Every operator starts with the default qualification. */
        struct list_page achs;
        struct list_query aq = {.limit = 50, .q = DEFAULT_ACHIEVEMENT_NAME};
        struct tb_actor in_org = sys;
        in_org.tenant_id = org_id;
        in_org.all_tenants = 0;
        if (store_entity_list(st, &in_org, ENT_ACHIEVEMENT, &aq, NULL, &achs, err) < 0)
            goto out_orgs;
        if (json_array_size(achs.items))
            ach_id = json_integer_value(json_object_get(json_array_get(achs.items, 0), "id"));
        list_page_free(&achs);
        if (!ach_id) {
            tb_error(err, TB_E_INTERNAL_ERROR, "", "operator %lld has no default achievement", (long long)org_id);
            goto out_orgs;
        }
        struct tb_actor op = sys;
        op.tenant_id = org_id;
        op.all_tenants = 0;
        struct issuing_ctx c = {st, &op, public_url, kek, arena};
        struct list_query pq = {.limit = 200};
        json_t *pf = json_pack("{s:s}", "status", "completed");
        int lr = store_entity_list(st, &op, ENT_PLACEMENT, &pq, pf, &placements, err);
        json_decref(pf);
        if (lr < 0)
            goto out_orgs;
        size_t j;
        json_t *p;
        json_array_foreach(placements.items, j, p) {
            char valid_from[32];
            snprintf(valid_from, sizeof valid_from, "%sT12:00:00Z", json_string_value(json_object_get(p, "end_date")));
            int64_t id;
            if (issuing_issue(&c, json_integer_value(json_object_get(p, "graduate_id")), ach_id,
                              json_integer_value(json_object_get(p, "id")), valid_from, &id, err) < 0) {
                list_page_free(&placements);
                goto out_orgs;
            }
            (*issued)++;
        }
        list_page_free(&placements);
    }
    rc = 0;
out_orgs:
    list_page_free(&orgs);
out_arena:
    arena_free(arena);
    return rc;
}
