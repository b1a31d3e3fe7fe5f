/*
 * demo_network.c - the trade network of `tradebridge demo` (issue 15): per
 * operator its office and staff, about a thousand contacts across the demo's
 * markets (names from many languages, real countries, NACE and HS codes), a
 * third shared with the federation; alumni from the completed placements;
 * relationships (a few people know many); introductions in every state, some
 * across operators with the owner's approval; offers on the board.
 * Deterministic: every value from
 * a fixed generator, none from the clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo.h"
#include "core/date.h"
#include "store/entity.h"
#include "store/network.h"

static uint64_t rng = 0x51A7E5EEDu;
static uint32_t pick(uint32_t n)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)((z ^ (z >> 31)) % n);
}
#define PICK(a) a[pick(sizeof a / sizeof a[0])]

static const char *const given[] = {"Anna", "Lars", "Maria", "José", "Zoë", "Björn", "Łukasz", "Ana", "Jürgen",
    "François", "Ingrid", "Søren", "Mateja", "Žiga", "Tõnu", "Aleksandr", "Mehmet", "Ayşe", "Hiroshi", "Chiara",
    "Åsa", "Dóra", "Ioana", "Grzegorz", "Pekka", "Jānis", "Rūta", "Fatima", "Kwame", "Liisa", "Matej", "Elin"};
static const char *const family[] = {"Berg", "Holm", "Costa", "García", "Müller", "Novák", "Kovačič", "Tamm", "Nowak",
    "Dubois", "Rossi", "Öberg", "Søndergaard", "Horváth", "Popescu", "Yılmaz", "Tanaka", "Ivanov", "Kask", "Bērziņš",
    "Jankauskas", "Virtanen", "Lindqvist", "Petrović", "Mensah", "Krajnc", "Saar", "Eriksson"};
struct market { const char *country, *lang, *cities[3]; };
static const struct market markets[] = {
    {"DE", "de", {"Hamburg", "München", "Köln"}}, {"NO", "no", {"Oslo", "Bergen", "Tromsø"}},
    {"DK", "da", {"København", "Aarhus", "Odense"}}, {"FI", "fi", {"Helsinki", "Tampere", "Oulu"}},
    {"PL", "pl", {"Kraków", "Gdańsk", "Łódź"}}, {"FR", "fr", {"Paris", "Lyon", "Besançon"}},
    {"ES", "es", {"Madrid", "Sevilla", "Córdoba"}}, {"IT", "it", {"Milano", "Torino", "Bologna"}},
    {"AT", "de", {"Wien", "Graz", "Linz"}}, {"HR", "hr", {"Zagreb", "Split", "Rijeka"}},
    {"LV", "lv", {"Rīga", "Liepāja", "Daugavpils"}}, {"LT", "lt", {"Vilnius", "Kaunas", "Klaipėda"}},
    {"JP", "ja", {"Tokyo", "Osaka", "Fukuoka"}}, {"US", "en", {"Chicago", "Boston", "Seattle"}},
    {"SE", "sv", {"Göteborg", "Malmö", "Stockholm"}}, {"SI", "sl", {"Ljubljana", "Maribor", "Koper"}},
    {"EE", "et", {"Tallinn", "Tartu", "Pärnu"}},
};
struct sector { const char *nace, *hs, *tag, *org; };
static const struct sector sectors[] = {
    {"46.38", "0306", "seafood", "Seafood Import"}, {"10.20", "030617", "shrimp", "Fish Processing"},
    {"46.73", "4407", "timber", "Timber Trading"}, {"46.34", "2204", "wine", "Wine Import"},
    {"46.61", "8433", "machinery", "Agri Machinery"}, {"52.29", "8609", "logistics", "Freight Forwarding"},
    {"46.33", "0406", "dairy", "Dairy Distribution"}, {"46.31", "0805", "fruit", "Fresh Produce"},
};
static const char *const categories[] = {"distributor", "agent", "importer", "logistics", "chamber", "trade_council",
                                         "een_partner", "fair_organiser", "company_contact"};
static const char *const roles[] = {"Purchasing manager", "Export director", "CEO", "Sales agent", "Buyer",
                                    "Logistics coordinator", "Trade advisor", "Category manager", "Head of imports"};
static const char *const ops[] = {"ITM Sweden", "ITM Slovenia", "ITM Estonia"};
static const char *const staff[][2] = {{"Erik Johansson", "Stockholm"}, {"Maja Novak", "Ljubljana"},
                                       {"Kristel Raudsepp", "Tallinn"}};
static const char *const home[] = {"SE", "SI", "EE"};

#define PER_OPERATOR 1000

static int add(struct store *st, const struct tb_actor *a, json_t *c, int64_t *id, struct tb_err *err)
{
    int rc = store_contact_create(st, a, c, id, err);
    json_decref(c);
    return rc;
}

/* A day inside the demo's last two years, from its reference date. */
static void recent(char out[11], int days_ago)
{
    tb_day_to_iso((int32_t)(tb_days_from_civil(2026, 11, 1) - days_ago), out);
}

/* The offers board: four offers or requests per operator (one expired, one
 * private), most naming the contact who seeks and the operator's staff
 * contact who introduces; Norrland Pumpteknik shows interest in the first. */
static const struct { const char *kind, *title, *hs, *country, *nace; } offer_templates[] = {
    {"distributor_sought", "Distributor sought in DE for centrifugal pumps", "8413", "DE", "28.13"},
    {"agent_sought", "Sales agent sought in Norway for frozen shrimp", "0306", "NO", "10.20"},
    {"supplier_sought", "Supplier of tool inserts sought by a Finnish workshop chain", "8207", "FI", "25.73"},
    {"buyer_sought", "Buyers sought in Poland for surgical instruments", "9018", "PL", "32.50"},
    {"tender_partner", "Partner for a harbour work-boat tender in France", "8903", "FR", "30.12"},
    {"distributor_sought", "Distributor sought in Italy for flow sensors", "9026", "IT", "26.51"},
    {"supplier_sought", "Hydraulic motor supplier sought by a Czech machine builder", "8412", "CZ", "28.12"},
    {"other", "Joint stand at a Danish food fair", "1905", "DK", "10.71"},
};

static int demo_offers(struct store *st, const struct tb_actor *sys, const int64_t org[3], int64_t side[3][64],
                       const int64_t *ids, const int64_t *owner, size_t n, struct tb_err *err)
{
    size_t nt = sizeof offer_templates / sizeof offer_templates[0];
    for (int k = 0; k < 12; k++) {
        int o = k % 3;
        size_t t = (size_t)k % nt, y = pick((uint32_t)n);
        for (int tries = 0; owner[y] != o && tries < 1000; tries++)
            y = pick((uint32_t)n);
        while (owner[y] != o)
            y = (y + 1) % n;
        char desc[300];
        snprintf(desc, sizeof desc, "Posted by %s for a partner met through the network. Write to the coordinator "
                 "or show interest here; an introduction follows.", ops[o]);
        json_t *offer = json_pack("{s:I, s:s, s:s, s:s, s:[s], s:[s], s:s, s:s, s:s}", "org_id", (json_int_t)org[o],
                                  "kind", offer_templates[t].kind, "title", offer_templates[t].title, "description", desc,
                                  "hs", offer_templates[t].hs, "countries", offer_templates[t].country, "nace",
                                  offer_templates[t].nace, "visibility", k == 10 ? "private" : "shared", "expires_on",
                                  k == 11 ? "2026-10-31" : k < 6 ? "2027-06-30" : "2027-03-31");
        if (k != 7) {
            json_object_set_new(offer, "contact_id", json_integer(ids[y]));
            json_object_set_new(offer, "introducer_id", json_integer(side[o][1]));
        }
        int64_t id, interest;
        int rc = store_offer_create(st, sys, offer, &id, err);
        json_decref(offer);
        if (rc < 0)
            return -1;
        struct tb_err e2;
        if (k == 0)   /* the demo company manager's company (Norrland Pumpteknik AB) */
            store_offer_interest(st, sys, id, 1, "We make exactly these pumps.", &interest, &e2);
    }
    return 0;
}

int demo_network(struct store *st, int *n_contacts, int *n_links, int *n_intros, struct tb_err *err)
{
    struct tb_actor sys = actor_system();
    int64_t org[3];
    for (int o = 0; o < 3; o++)
        if (store_org_by_name(st, ops[o], &org[o], err) < 0)
            return -1;
    size_t cap = 3 * (PER_OPERATOR + 200);
    int64_t *ids = malloc(cap * sizeof *ids), *owner = malloc(cap * sizeof *owner);
    unsigned char *shared = malloc(cap);
    int64_t side[3][64];
    int nside[3] = {0};
    size_t n = 0;
    int rc = ids && owner && shared ? store_begin(st, err) : TB_INTERNAL(err, "out of memory");
    *n_contacts = *n_links = *n_intros = 0;
    for (int o = 0; rc == 0 && o < 3; o++) {
        int64_t id;
        rc = add(st, &sys, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}", "org_id", (json_int_t)org[o],
                                     "kind", "organisation", "category", "operator_office", "name", ops[o], "country",
                                     home[o], "city", staff[o][1], "visibility", "shared", "consent", "not_required",
                                     "source", "demo", "tags", "export trainee programme"),
                 &id, err);
        if (rc == 0)
            side[o][nside[o]++] = id;
        if (rc == 0)
            rc = add(st, &sys, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "org_id",
                                         (json_int_t)org[o], "kind", "person", "category", "staff", "name", staff[o][0],
                                         "organisation", ops[o], "roles", "Programme coordinator", "country", home[o],
                                         "city", staff[o][1], "visibility", "shared", "legal_basis", "contract",
                                         "consent", "not_required", "source", "demo"),
                     &id, err);
        if (rc == 0)
            side[o][nside[o]++] = id;
        for (int i = 0; rc == 0 && i < PER_OPERATOR; i++) {
            const struct market *m = &markets[pick(sizeof markets / sizeof markets[0])];
            const struct sector *s = &sectors[pick(sizeof sectors / sizeof sectors[0])];
            const char *cat = PICK(categories);
            int person = pick(3) != 0, is_shared = pick(3) == 0;
            char name[200], orgname[200], email[200];
            const char *city = m->cities[pick(3)];
            snprintf(orgname, sizeof orgname, "%s %s", city, s->org);
            if (person)
                snprintf(name, sizeof name, "%s %s", PICK(given), PICK(family));
            else
                snprintf(name, sizeof name, "%s", orgname);
            snprintf(email, sizeof email, "contact%zu@example.org", n + 1);
            json_t *c = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:[s,s], s:[s], s:[s,s], s:s, s:s, s:s}",
                                  "org_id", (json_int_t)org[o], "kind", person ? "person" : "organisation", "category",
                                  cat, "name", name, "country", m->country, "city", city, "nace", s->nace, "email", email,
                                  "hs", s->hs, "languages", m->lang, "en", "markets", m->country, "tags", s->tag,
                                  !strcmp(cat, "een_partner") ? "EEN" : "fair", "visibility",
                                  is_shared ? "shared" : "private", "source", "demo", "consent", "not_required");
            if (person) {
                json_object_set_new(c, "organisation", json_string(orgname));
                json_object_set_new(c, "roles", json_string(PICK(roles)));
                json_object_set_new(c, "legal_basis", json_string("legitimate_interest"));
            }
            rc = add(st, &sys, c, &id, err);
            if (rc == 0) {
                ids[n] = id;
                shared[n] = (unsigned char)is_shared;
                owner[n++] = o;
            }
        }
    }
    /* Alumni: every graduate with a completed placement opted in. */
    struct list_query q = {.limit = 200};
    struct list_page page = {0};
    if (rc == 0)
        rc = store_entity_list(st, &sys, ENT_PLACEMENT, &q, NULL, &page, err);
    size_t i;
    json_t *p;
    json_array_foreach(page.items, i, p) {
        if (rc < 0)
            break;
        if (strcmp(json_string_value(json_object_get(p, "status")), "completed"))
            continue;
        int64_t id;
        struct tb_err e2;
        if (store_contact_alumnus(st, &sys, json_integer_value(json_object_get(p, "graduate_id")), "Export manager",
                                  "shared", &id, &e2) < 0)
            continue;   /* the same graduate twice */
        int o = json_integer_value(json_object_get(p, "org_id")) == org[1] ? 1
                : json_integer_value(json_object_get(p, "org_id")) == org[2] ? 2 : 0;
        if (nside[o] < 64)
            side[o][nside[o]++] = id;
        if (n < cap) {
            ids[n] = id;
            shared[n] = 1;
            owner[n++] = o;
        }
    }
    list_page_free(&page);
    *n_contacts = (int)n + 6;   /* and each operator's office and coordinator */
    /* Relationships, recorded by an operator between contacts it may see:
     * its side (office, coordinator, alumni) knows many, a few hubs more. */
    for (size_t k = 0; rc == 0 && n && k < 4 * n; k++) {
        size_t x = (size_t)pick((uint32_t)n) * (uint64_t)pick((uint32_t)n) / n, y = pick((uint32_t)n);
        int o = (int)owner[x];
        int64_t from = k % 4 == 0 ? side[o][pick((uint32_t)nside[o])] : ids[x];
        if ((owner[y] != o && !shared[y]) || from == ids[y])
            continue;
        char day[11];
        recent(day, (int)pick(700));
        struct link_write w = {.org_id = org[o], .from_id = from, .to_id = ids[y],
                               .kind = k % 5 == 0 ? "worked_with" : "knows", .strength = 1 + (int)pick(5),
                               .last_contact = day};
        int64_t id;
        struct tb_err e2;
        if (store_link_create(st, &sys, &w, &id, &e2) == 0)   /* the same link twice is skipped */
            ++*n_links;
    }
    /* Introductions in every state; every fourth across operators. */
    static const char *const path[] = {"requested", "accepted", "made", "meeting_held", "deal_started", "deal_closed"};
    static const char *const who[] = {"Erik Johansson", "Maja Novak", "Kristel Raudsepp"};
    for (int k = 0; rc == 0 && k < 40 && n > 2; k++) {
        int o = k % 3;
        size_t y = pick((uint32_t)n);
        while (owner[y] != o && !shared[y])
            y = (y + 1) % n;
        int64_t introducer = side[o][pick((uint32_t)nside[o])], target = ids[y];
        struct intro_write w = {.org_id = org[o], .introducer_id = introducer, .target_id = target,
                                .asker_name = who[o], .purpose = "Find a distributor for our products",
                                .message = "We met at the trade fair."};
        int64_t id;
        int approval;
        struct tb_err e2;
        if (introducer == target || store_intro_create(st, &sys, &w, &id, &approval, &e2) < 0)
            continue;
        ++*n_intros;
        int last = k % 8;   /* 0..5 along the way, 6 declined, 7 dropped */
        if (approval && last >= 1 && last != 6) {
            json_t *ap;
            if (store_intro_approvals(st, &sys, "pending", &ap, err) < 0) {
                rc = -1;
                break;
            }
            for (size_t j = 0; j < json_array_size(ap); j++)
                if (json_integer_value(json_object_get(json_array_get(ap, j), "introduction_id")) == id)
                    store_intro_approval_decide(st, &sys, json_integer_value(json_object_get(json_array_get(ap, j), "id")),
                                                1, &e2);
            json_decref(ap);
        }
        const char *from = "requested";
        if (last == 6) {
            store_intro_move(st, &sys, id, from, "declined", NULL, "Introducer (by link)", "Not my area.", &e2);
            continue;
        }
        for (int s = 1; s <= (last == 7 ? 2 : last); s++) {
            struct intro_outcome out = {.value_minor = 4500000 + 100000 * k, .currency = "EUR",
                                        .market = "DE", .hs = "030617"};
            if (store_intro_move(st, &sys, id, from, path[s], s == 5 ? &out : NULL, s == 1 ? "Introducer (by link)" : who[o],
                                 NULL, &e2) < 0)
                break;
            from = path[s];
        }
        if (last == 7)
            store_intro_move(st, &sys, id, from, "dropped", NULL, who[o], "The company chose another market.", &e2);
    }
    if (rc == 0 && n > 0)
        rc = demo_offers(st, &sys, org, side, ids, owner, n, err);
    free(ids);
    free(owner);
    free(shared);
    if (rc < 0 || store_commit(st, err) < 0) {
        store_rollback(st);
        return -1;
    }
    return 0;
}
