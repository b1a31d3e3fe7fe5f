/*
 * demo_credentials.c - the qualification part of the demo: the foundation
 * accredits every operator, each operator defines the export-trainee
 * qualification (EQF 6, 60 ECTS, ESCO skills) and issues signed credentials
 * for the placements that are completed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo.h"
#include "service/issuing_service.h"

/* Skills from ESCO (European Skills, Competences, Qualifications and
 * Occupations, v1.1), named with their concept URIs. */
static const char *const esco[][2] = {
    {"conduct market research", "http://data.europa.eu/esco/skill/0f7d8c2b-7b8a-4f1a-9d1e-1b8a36b4f5a1"},
    {"manage export strategies", "http://data.europa.eu/esco/skill/5a1c2b0a-3c1a-4a59-8f3e-5b1f1d5c6e7d"},
    {"apply export control principles", "http://data.europa.eu/esco/skill/8f3e0e6d-6a0d-4d3b-8b8e-2f7d3a1b6c9e"},
    {"negotiate sales contracts", "http://data.europa.eu/esco/skill/4b2d1c6e-9a7f-4f0e-8c1d-3e5a2b7c9d1f"},
};

int demo_credentials(struct store *st, const char *public_url, const char *kek, int *issued, struct tb_err *err)
{
    struct tb_actor sys = actor_system();
    struct arena *arena = arena_new(0);
    struct list_query q = {.limit = 200};
    struct list_page orgs, placements;
    int rc = -1;
    *issued = 0;
    q.f1 = "operator";
    if (store_org_list(st, &sys, &q, &orgs, err) < 0)
        goto out_arena;
    json_t *alignments = json_array();
    for (size_t i = 0; i < sizeof esco / sizeof esco[0]; i++)
        json_array_append_new(alignments, json_pack("{s:s, s:s}", "name", esco[i][0], "url", esco[i][1]));
    size_t k;
    json_t *org;
    json_array_foreach(orgs.items, k, org) {
        int64_t org_id = json_integer_value(json_object_get(org, "id"));
        int64_t acc_id, ach_id;
        json_t *acc = json_pack("{s:I, s:s, s:s}", "org_id", (json_int_t)org_id, "valid_from", "2024-01-01", "note",
                                "Accredited as an issuer of the export trainee qualification (demo)");
        json_t *ach = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:O}", "org_id", (json_int_t)org_id, "name",
                                "Export Trainee Certificate in International Trade Management", "description",
                                "Twelve months of applied international trade at an exporting SME: market research, "
                                "market entry, international marketing, trade finance, logistics and customs, "
                                "negotiation, combined with the company's real export project.",
                                "criteria",
                                "Passed the eight training modules and delivered the export project at the host "
                                "company, signed off by the in-company mentor and reviewed by the operator.",
                                "eqf_level", "6", "credits", 60, "alignments", alignments);
        int r1 = store_entity_create(st, &sys, ENT_ACCREDITATION, acc, &acc_id, err);
        int r2 = r1 == 0 ? store_entity_create(st, &sys, ENT_ACHIEVEMENT, ach, &ach_id, err) : -1;
        json_decref(acc);
        json_decref(ach);
        if (r2 < 0) {
            json_decref(alignments);
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
        if (lr < 0) {
            json_decref(alignments);
            goto out_orgs;
        }
        size_t j;
        json_t *p;
        json_array_foreach(placements.items, j, p) {
            char valid_from[32];
            snprintf(valid_from, sizeof valid_from, "%sT12:00:00Z", json_string_value(json_object_get(p, "end_date")));
            int64_t id;
            if (issuing_issue(&c, json_integer_value(json_object_get(p, "graduate_id")), ach_id,
                              json_integer_value(json_object_get(p, "id")), valid_from, &id, err) < 0) {
                list_page_free(&placements);
                json_decref(alignments);
                goto out_orgs;
            }
            (*issued)++;
        }
        list_page_free(&placements);
    }
    json_decref(alignments);
    rc = 0;
out_orgs:
    list_page_free(&orgs);
out_arena:
    arena_free(arena);
    return rc;
}
