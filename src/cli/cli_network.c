/*
 * cli_network.c - `tradebridge network search [--country C] [--sector NACE]
 * [--hs PREFIX] [--language L] [--kind K] [--limit N] [--json] WORDS...`
 * over the whole directory (the server's operator sees every operator's
 * contacts), and `tradebridge network remind [--days N] [--public-url URL]`:
 * a fresh single-use link to every introducer who has not answered (or not
 * made the introduction) for N days, through the mail outbox.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/codes.h"
#include "service/network_service.h"
#include "service/offers_service.h"

static const char network_help[] =
    "usage: tradebridge network search [--country C] [--sector NACE] [--hs PREFIX] [--language L]\n"
    "                                  [--kind K] [--limit N] [--json] [--db PATH] WORDS...\n"
    "       tradebridge network remind [--days N] [--public-url URL] [--db PATH]\n"
    "       tradebridge network digest [--min-score N] [--public-url URL] [--db PATH]\n\n"
    "search: the directory by words (prefix, accents folded) and filters, best first, with why\n"
    "each matched. remind: a new single-use answer link, by mail through the outbox, to every\n"
    "introducer who has not answered for N days (default 7), at most once in N days.\n"
    "digest: mail every company's managers the open offers on the offers board that fit the\n"
    "company with a score of at least N (default 50) and it was not told about, each offer once;\n"
    "run it from cron or a systemd timer (weekly, say).\n"
    "Exit status: 0 done, 1 the database refused, 2 usage.\n";

int cli_network_main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
        return argc < 2 ? cli_usage("network", "expected search, remind or digest") : (fputs(network_help, stdout), EXIT_OK);
    int search = !strcmp(argv[1], "search"), digest = !strcmp(argv[1], "digest");
    if (!search && !digest && strcmp(argv[1], "remind"))
        return cli_usage("network", "expected search, remind or digest");
    const char *db = NULL, *url = getenv("TRADEBRIDGE_PUBLIC_URL");
    int days = 7, limit = 20, as_json = 0, min_score = OFFERS_DIGEST_MIN_SCORE;
    char words[1024] = "";
    json_t *filters = json_object();
    static const char *const flags[][2] = {{"--country", "country"}, {"--sector", "nace"}, {"--hs", "hs"},
                                           {"--language", "language"}, {"--kind", "kind"}};
    for (int i = 2; i < argc; i++) {
        int taken = 0;
        for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++)
            if (!strcmp(argv[i], flags[k][0]) && i + 1 < argc) {
                json_object_set_new(filters, flags[k][1], json_string(argv[++i]));
                taken = 1;
            }
        char *end;
        if (taken)
            continue;
        if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            db = argv[++i];
        } else if (!strcmp(argv[i], "--public-url") && i + 1 < argc) {
            url = argv[++i];
        } else if (!strcmp(argv[i], "--json")) {
            as_json = 1;
        } else if (!strcmp(argv[i], "--min-score") && i + 1 < argc) {
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > 100)
                return json_decref(filters), cli_usage("network", "--min-score: a number from 1 to 100");
            min_score = (int)v;
        } else if ((!strcmp(argv[i], "--days") || !strcmp(argv[i], "--limit")) && i + 1 < argc) {
            int is_days = !strcmp(argv[i], "--days");
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > (is_days ? 365 : 200))
                return json_decref(filters), cli_usage("network", "%s: a number from 1 to %d", argv[i - 1],
                                                        is_days ? 365 : 200);
            *(is_days ? &days : &limit) = (int)v;
        } else if (argv[i][0] == '-' || !search) {
            json_decref(filters);
            return cli_usage("network", "unknown or incomplete option '%s'", argv[i]);
        } else {
            snprintf(words + strlen(words), sizeof words - strlen(words), "%s%s", words[0] ? " " : "", argv[i]);
        }
    }
    if (!url || !*url)
        url = "http://127.0.0.1:8080";
    if (codes_init() < 0) {
        json_decref(filters);
        return EXIT_RUNTIME;
    }
    struct store *st = cli_open_store("network", cli_db_path(db));
    if (!st) {
        json_decref(filters);
        return EXIT_RUNTIME;
    }
    struct tb_actor sys = actor_system();
    struct tb_err err = {0};
    json_t *items = NULL;
    int rc, sent = 0;
    if (search) {
        rc = network_filters_check(filters, &err);
        if (rc == 0)
            rc = network_search(st, &sys, words, filters, 0, limit, &items, &err);
        if (rc == 0 && as_json) {
            char *text = json_dumps(items, JSON_INDENT(2));
            puts(text ? text : "[]");
            free(text);
        } else if (rc == 0) {
            size_t i;
            json_t *c;
            json_array_foreach(items, i, c) {
                char *why = json_dumps(json_object_get(c, "reasons"), JSON_COMPACT);
                printf("%lld\t%s\t%s\t%s\t%s\n", (long long)json_integer_value(json_object_get(c, "id")),
                       json_string_value(json_object_get(c, "name")),
                       json_string_value(json_object_get(c, "country")) ? json_string_value(json_object_get(c, "country")) : "",
                       json_string_value(json_object_get(c, "owner_name")), why ? why : "[]");
                free(why);
            }
        }
    } else if (digest) {
        int companies = 0;
        rc = offers_digest(st, &sys, url, min_score, &companies, &sent, &err);
        if (rc == 0)
            printf("network: offers digest for %d compan%s, %d mail%s queued\n", companies, companies == 1 ? "y" : "ies",
                   sent, sent == 1 ? "" : "s");
    } else {
        rc = network_intro_remind(st, &sys, days, url, &sent, &err);
        if (rc == 0)
            printf("network: %d reminder%s queued\n", sent, sent == 1 ? "" : "s");
    }
    json_decref(items);
    json_decref(filters);
    store_close(st);
    return rc < 0 ? cli_fail("network", &err) : EXIT_OK;
}
