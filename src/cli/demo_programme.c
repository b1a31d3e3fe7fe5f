/*
 * demo_programme.c - writes the programme demo_generate.c composed through
 * the store API in one pass: cohorts, SMEs, graduates, positions,
 * applications with their history, and placements with their three-party
 * agreements (see demo.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo_programme.h"
#include "core/agreement.h"
#include "core/codes.h"
#include "core/date.h"
#include "store/entity.h"
#include "service/placement_service.h"
#include "store/store_training.h"

/* ---- writing ---------------------------------------------------------- */

static json_t *codes_array(const char *const *list, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_string(list[i]));
    return a;
}

static struct tb_actor op_actor(const struct demo *d, int home)
{
    struct tb_actor a = actor_system();
    a.tenant_id = d->people->operators[home];
    a.user_id = d->people->coordinators[home];
    return a;
}

static int new_user(struct demo *d, int home, const char *email, const char *name, enum tb_role role,
                    const char *subject_type, int64_t subject_id, int64_t *id, struct tb_err *err)
{
    struct tb_actor a = actor_system();
    a.tenant_id = d->people->operators[home];
    if (store_user_create(d->st, &a, email, name, d->people->password_hash, "active", id, err) < 0 ||
        store_membership_add(d->st, &a, *id, a.tenant_id, role, subject_type, subject_id, err) < 0)
        return -1;
    d->counts->users++;
    return 0;
}

static int write_cohorts(struct demo *d, struct tb_err *err)
{
    static const char *const season[3] = {"2026 spring", "2026 autumn", "2027 spring"};
    static const char *const curriculum[3] = {"ITM@1", "ITM@1", "ITM@1"};   /* the foundation's default */
    for (int h = 0; h < HOME__MAX; h++) {
        struct tb_actor a = op_actor(d, h);
        for (int c = 0; c < 3; c++) {
            char name[80], s[11], e[11];
            snprintf(name, sizeof name, "%s %s", op_names[h], season[c]);
            demo_fmt_date(d->cohort_start[c], s);
            demo_fmt_date(d->cohort_end[c], e);
            json_t *f = json_pack("{s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)a.tenant_id, "name", name,
                                  "start_date", s, "end_date", e, "curriculum_version", curriculum[c]);
            int rc = store_entity_create(d->st, &a, ENT_COHORT, f, &d->cohort_id[h][c], err);
            json_decref(f);
            if (rc < 0)
                return -1;
            d->counts->cohorts++;
        }
    }
    return 0;
}

static int write_company(struct demo *d, struct company *c, struct tb_err *err)
{
    struct tb_actor a = op_actor(d, c->home);
    const struct demo_home *h = &homes[c->home];
    json_t *contacts = json_array();
    for (int k = 0; k < 2; k++)
        json_array_append_new(contacts, json_pack("{s:s, s:s, s:s, s:s}", "name", c->contact[k], "email",
                                                  c->contact_email[k], "phone", c->phone[k], "role",
                                                  c->contact_role[k]));
    char site[160];
    snprintf(site, sizeof site, "https://www.%s.example", c->slug);
    json_t *f = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:s}",
                          "org_id", (json_int_t)a.tenant_id, "legal_name", c->name, "registration_number", c->reg,
                          "country", h->country, "region", c->place->region, "city", c->place->city, "nace",
                          sectors[c->sector].nace, "employees", c->employees, "currency", h->currency, "turnover",
                          (json_int_t)c->turnover, "export_turnover", (json_int_t)c->export_turnover,
                          "balance_sheet", (json_int_t)c->balance, "products", codes_array(c->products, c->nprod),
                          "export_markets", codes_array(c->exp, c->nexp), "target_markets",
                          codes_array(c->tgt, c->ntgt), "contacts", contacts, "website", site);
    int rc = store_entity_create(d->st, &a, ENT_COMPANY, f, &c->id, err);
    json_decref(f);
    if (rc == 0)
        d->counts->companies++;
    return rc;
}

static int write_graduate(struct demo *d, struct graduate *g, struct tb_err *err)
{
    struct tb_actor a = op_actor(d, g->home);
    json_t *langs = json_array(), *stays = json_array();
    for (int i = 0; i < g->nlang; i++)
        json_array_append_new(langs, json_pack("{s:s, s:s}", "code", g->lang[i].code, "level", levels[g->lang[i].rank]));
    for (int i = 0; i < g->nstay; i++)
        json_array_append_new(stays, json_pack("{s:s, s:i, s:s}", "country", g->stay[i].country, "months",
                                               g->stay[i].months, "kind", g->stay[i].kind));
    char avail[11];
    demo_fmt_date(g->available, avail);
    json_t *f = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:s}",
                          "org_id", (json_int_t)a.tenant_id, "name", g->name, "email", g->email, "phone", g->phone,
                          "nationality", nats[g->nat].country, "residence", g->residence, "eqf_level",
                          g->eqf == 7 ? "7" : "6", "field", g->field, "university", g->university,
                          "graduation_year", g->grad_year, "languages", langs, "countries", stays, "skills",
                          codes_array(g->skills, g->nskills), "mobility", codes_array(g->mobility, g->nmob),
                          "available_from", avail);
    if (g->user_id)
        json_object_set_new(f, "user_id", json_integer(g->user_id));
    if (g->consent) {
        char at[32], day[11];
        demo_fmt_date(g->consent_day, day);
        snprintf(at, sizeof at, "%sT%02d:%02d:00Z", day, demo_rnd(&d->r, 8, 16), demo_rnd(&d->r, 0, 59));
        json_object_set_new(f, "consent",
                            json_pack("{s:s, s:s, s:s, s:I}", "purpose", "Recruitment for the export trainee programme",
                                      "text_version", "2026-01", "given_at", at, "given_by",
                                      (json_int_t)(g->user_id ? g->user_id : d->people->coordinators[g->home])));
    }
    int rc = store_entity_create(d->st, &a, ENT_GRADUATE, f, &g->id, err);
    json_decref(f);
    if (rc == 0)
        d->counts->graduates++;
    return rc;
}

static int write_position(struct demo *d, struct position *p, struct tb_err *err)
{
    const struct company *c = &d->co[p->company];
    struct tb_actor a = op_actor(d, c->home);
    json_t *langs = json_array();
    for (int i = 0; i < p->nreq; i++)
        json_array_append_new(langs, json_pack("{s:s, s:s}", "code", p->req[i].code, "min_level", levels[p->req[i].rank]));
    char start[11];
    demo_fmt_date(p->start, start);
    json_t *f = json_pack("{s:I, s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:i, s:s, s:I, s:i, s:s}",
                          "org_id", (json_int_t)a.tenant_id, "company_id", (json_int_t)c->id, "cohort_id",
                          (json_int_t)d->cohort_id[c->home][p->cohort], "title", p->title, "description",
                          p->description, "target_markets", codes_array(p->markets, p->nm), "products",
                          codes_array(p->products, p->nprod), "languages", langs, "fields",
                          codes_array(p->fields, p->nfields), "location_country", homes[c->home].country,
                          "location_city", c->place->city, "start_date", start, "duration_months", p->months,
                          "currency", homes[c->home].currency, "pay", (json_int_t)p->pay, "places", 1, "status",
                          pos_statuses[p->status]);
    int rc = store_entity_create(d->st, &a, ENT_POSITION, f, &p->id, err);
    json_decref(f);
    if (rc == 0)
        d->counts->positions++;
    return rc;
}

static int write_application(struct demo *d, struct application *ap, struct tb_err *err)
{
    const struct position *p = &d->pos[ap->pos];
    int home = d->co[p->company].home;
    struct tb_actor a = op_actor(d, home);
    json_t *f = json_pack("{s:I, s:I, s:I, s:s}", "org_id", (json_int_t)a.tenant_id, "graduate_id",
                          (json_int_t)d->gr[ap->grad].id, "position_id", (json_int_t)p->id, "stage",
                          stages[ap->stage]);
    if (ap->crank)
        json_object_set_new(f, "company_rank", json_integer(ap->crank));
    if (ap->grank)
        json_object_set_new(f, "graduate_rank", json_integer(ap->grank));
    if (ap->note)
        json_object_set_new(f, "notes", json_string(ap->note));
    int rc = store_entity_create(d->st, &a, ENT_APPLICATION, f, &ap->id, err);
    json_decref(f);
    if (rc < 0)
        return -1;
    d->counts->applications++;
    /* The history: every stage in order, then the outcome. */
    const char *from = NULL;
    int last = ap->stage <= S_OFFERED ? ap->stage : ap->reached;
    for (int s = S_APPLIED; s <= last; s++) {
        if (store_application_event(d->st, &a, a.tenant_id, ap->id, from, stages[s], NULL, err) < 0)
            return -1;
        from = stages[s];
        d->counts->events++;
    }
    if (ap->stage > S_OFFERED) {
        if (store_application_event(d->st, &a, a.tenant_id, ap->id, from, stages[ap->stage], ap->note, err) < 0)
            return -1;
        d->counts->events++;
    }
    return 0;
}

static void objectives_text(struct demo *d, const struct position *p, char *out, size_t n)
{
    const struct company *c = &d->co[p->company];
    const struct demo_sector *s = &sectors[c->sector];
    char where[120] = "";
    for (int i = 0; i < p->nm; i++)
        demo_cat(where, sizeof where, "%s%s", i ? " and " : "", demo_country_name(p->markets[i]));
    int leads = demo_rnd(&d->r, 4, 10) * 10, orders = demo_rnd(&d->r, 2, 5);
    snprintf(out, n,
             "1. Market entry plan for %s for %s (%s): customers, competitors, prices, standards and "
             "customs, approved by the managing director by month 2.\n"
             "2. A qualified pipeline of %d distributors and key accounts in the CRM, with at least 15 meetings held.\n"
             "3. Prepare and staff the company's presence at %s.\n"
             "4. First %d orders or signed distribution agreements by the end of the placement.",
             where, s->noun, c->name, leads, s->fair, orders);
}

static void learning_plan_text(struct demo *d, const struct position *p, char *out, size_t n)
{
    const struct company *c = &d->co[p->company];
    snprintf(out, n,
             "Month 1: induction in %s: products, production, pricing and the export plan with the mentor.\n"
             "Months 2-3: desk research and market visit; distributor long list; programme module "
             "'Export pricing, Incoterms 2020 and payment terms'.\n"
             "Months 4-%d: outreach, meetings and follow-up; programme modules 'Customs, VAT and "
             "documents in and outside the EU' and 'Digital lead generation'.\n"
             "Throughout: mentor meeting every second week; mid-term and final review with the %s "
             "coordinator; a written export report at the end.",
             c->place->city, p->months, op_names[c->home]);
}

/* A placement that stays a draft gets its learning plan at once, as the API
 * drafts it (placement_service_create): the parties read it in the agreement
 * and accept the terms with it (the placement page, the trainee's plan and
 * the cohort grid show it). Some companies have already chosen the
 * elective and adapted the first deliverable to their product. */
static int draft_plan(struct demo *d, const struct tb_actor *staff, int64_t id, const struct company *c,
                      struct tb_err *err)
{
    int created;
    json_t *plan;
    if (store_plan_create(d->st, staff, id, &created, err) < 0)
        return -1;
    if (!created || id % 2)   /* not from d->r: the rest of the demo stays as it was */
        return 0;
    if (store_plan_get(d->st, staff, id, &plan, err) < 0)
        return -1;
    int rc = 0;
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(plan, "modules"), i, m) {
        json_t *changes = NULL, *out = NULL;
        if (!json_integer_value(json_object_get(m, "mandatory"))) {
            changes = json_pack("{s:b}", "selected", 1);
        } else if (i == 0) {
            json_t *dl = json_deep_copy(json_object_get(m, "deliverable"));
            char text[400];
            snprintf(text, sizeof text, "A market screen for %s's main product line: five candidate markets, "
                     "ranked with the company's own sales data and the trade figures.", c->name);
            json_object_set_new(dl, "description", json_string(text));
            changes = json_pack("{s:o}", "deliverable", dl);
        }
        if (changes)
            rc = store_plan_module_update(d->st, staff, json_integer_value(json_object_get(m, "id")),
                                          json_integer_value(json_object_get(m, "version")), changes, &out, err);
        json_decref(changes);
        json_decref(out);
        if (rc < 0)
            break;
    }
    json_decref(plan);
    return rc;
}

static int write_placement(struct demo *d, struct position *p, struct tb_err *err)
{
    struct company *c = &d->co[p->company];
    struct graduate *g = &d->gr[p->winner];
    int home = c->home, showcase_co = !strcmp(c->name, SHOWCASE_COMPANY);
    struct tb_actor staff = op_actor(d, home);
    if (!c->mentor_id) {
        if (showcase_co)
            c->mentor_id = d->people->mentor_user;
        else if (new_user(d, home, c->contact_email[1], c->contact[1], ROLE_MENTOR, NULL, 0, &c->mentor_id, err) < 0)
            return -1;
    }
    char start[11], end[11], objectives[1200], plan[1500];
    demo_fmt_date(p->start, start);
    demo_fmt_date(demo_end_after_months(p->start, p->months), end);
    objectives_text(d, p, objectives, sizeof objectives);
    learning_plan_text(d, p, plan, sizeof plan);
    json_t *f = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s}",
                          "org_id", (json_int_t)staff.tenant_id, "graduate_id", (json_int_t)g->id, "company_id",
                          (json_int_t)c->id, "cohort_id", (json_int_t)d->cohort_id[home][p->cohort], "position_id",
                          (json_int_t)p->id, "mentor_user_id", (json_int_t)c->mentor_id, "start_date", start,
                          "end_date", end, "currency", homes[home].currency, "stipend", (json_int_t)p->pay,
                          "objectives", objectives, "learning_plan", plan, "status", "draft");
    int64_t id;
    int rc = store_entity_create(d->st, &staff, ENT_PLACEMENT, f, &id, err);
    json_decref(f);
    if (rc < 0)
        return -1;
    d->counts->placements++;
    /* Who has accepted: all three for past cohorts; for the coming one the
     * operator first, then the company; the showcase trainee still has to sign. */
    int parties = p->cohort < 2 ? 3 : showcase_co ? 2 : demo_rnd(&d->r, 0, 2);
    /* The demo trainee's own draft stays one from before curricula (no plan), for
     * POST /placements/{id}/learning-plan and the tests that walk it. */
    int showcase_trainee = g->user_id && g->user_id == d->people->trainee_user;
    if (parties < 3 && !showcase_trainee && draft_plan(d, &staff, id, c, err) < 0)
        return -1;
    if (!parties)
        return 0;
    json_t *row;
    char hash[65];
    if (store_entity_get(d->st, &staff, ENT_PLACEMENT, id, &row, err) < 0)
        return -1;
    int64_t version = json_integer_value(json_object_get(row, "version"));
    rc = placement_service_terms_hash(d->st, &staff, row, hash, err);
    json_decref(row);
    if (rc < 0)
        return -1;
    if (store_agreement_accept(d->st, &staff, staff.tenant_id, id, "operator", hash, err) < 0)
        return -1;
    if (parties >= 2) {
        if (!c->user_id && new_user(d, home, c->contact_email[0], c->contact[0], ROLE_COMPANY, "company", c->id,
                                    &c->user_id, err) < 0)
            return -1;
        struct tb_actor ca = staff;
        ca.user_id = c->user_id;
        if (store_agreement_accept(d->st, &ca, staff.tenant_id, id, "company", hash, err) < 0)
            return -1;
    }
    if (parties < 3)
        return 0;
    struct tb_actor ta = staff;
    ta.user_id = g->user_id;
    if (store_agreement_accept(d->st, &ta, staff.tenant_id, id, "trainee", hash, err) < 0)
        return -1;
    char locked[32], day[11];
    demo_fmt_date(p->start - demo_rnd(&d->r, 10, 30), day);
    snprintf(locked, sizeof locked, "%sT%02d:%02d:00Z", day, demo_rnd(&d->r, 8, 16), demo_rnd(&d->r, 0, 59));
    json_t *changes = json_pack("{s:s, s:s, s:s}", "status", "signed", "locked_at", locked, "agreement_hash", hash), *out;
    rc = store_entity_update(d->st, &staff, ENT_PLACEMENT, id, version, changes, &out, err);
    json_decref(changes);
    if (rc < 0)
        return -1;
    version = json_integer_value(json_object_get(out, "version"));
    json_decref(out);
    if (p->cohort == 0) {
        changes = json_pack("{s:s}", "status", "completed");
        rc = store_entity_update(d->st, &staff, ENT_PLACEMENT, id, version, changes, &out, err);
        json_decref(changes);
        if (rc < 0)
            return -1;
        json_decref(out);
    }
    return 0;
}

int demo_programme_build(struct store *st, const struct demo_people *people, uint64_t seed,
                         struct demo_counts *counts, struct tb_err *err)
{
    if (codes_init() < 0)
        return tb_error(err, TB_E_INTERNAL_ERROR, "", "code lists unavailable");
    struct demo *d = calloc(1, sizeof *d);
    if (!d)
        return tb_error(err, TB_E_INTERNAL_ERROR, "", "out of memory");
    demo_rng_seed(&d->r, seed);
    d->st = st;
    d->people = people;
    d->counts = counts;
    d->ref = tb_days_from_civil(2026, 11, 1);
    d->cohort_start[0] = tb_days_from_civil(2026, 1, 12);
    d->cohort_end[0] = tb_days_from_civil(2026, 10, 30);
    d->cohort_start[1] = tb_days_from_civil(2026, 8, 17);
    d->cohort_end[1] = tb_days_from_civil(2027, 8, 31);
    d->cohort_start[2] = tb_days_from_civil(2027, 1, 11);
    d->cohort_end[2] = tb_days_from_civil(2028, 1, 31);
    int rc = -1;
    demo_compose(d);

    if (write_cohorts(d, err) < 0)
        goto out;
    for (int i = 0; i < d->nco; i++)
        if (write_company(d, &d->co[i], err) < 0)
            goto out;
    /* The showcase company's manager: company@ bound to it. */
    {
        struct tb_actor a = actor_system();
        a.tenant_id = people->operators[HOME_SE];
        d->co[0].user_id = people->company_user;
        if (store_membership_add(st, &a, people->company_user, a.tenant_id, ROLE_COMPANY, "company", d->co[0].id,
                                 err) < 0)
            goto out;
    }
    /* Placed graduates (and the showcase trainee) have logins: they sign their agreements. */
    for (int i = 0; i < d->ngr; i++) {
        struct graduate *g = &d->gr[i];
        if (i == 0)
            g->user_id = people->trainee_user;
        else if (g->placed) {
            struct tb_actor a = actor_system();
            a.tenant_id = people->operators[g->home];
            if (store_user_create(st, &a, g->email, g->name, people->password_hash, "active", &g->user_id, err) < 0)
                goto out;
            counts->users++;
        }
        if (write_graduate(d, g, err) < 0)
            goto out;
        if (g->user_id) {
            struct tb_actor a = actor_system();
            a.tenant_id = people->operators[g->home];
            if (store_membership_add(st, &a, g->user_id, a.tenant_id, ROLE_TRAINEE, "graduate", g->id, err) < 0)
                goto out;
        }
    }
    for (int i = 0; i < d->npos; i++)
        if (write_position(d, &d->pos[i], err) < 0)
            goto out;
    for (int i = 0; i < d->napp; i++)
        if (write_application(d, &d->app[i], err) < 0)
            goto out;
    for (int i = 0; i < d->npos; i++)
        if (d->pos[i].status == P_FILLED && d->pos[i].winner >= 0 && write_placement(d, &d->pos[i], err) < 0)
            goto out;
    rc = 0;
out:
    free(d);
    return rc;
}
