/*
 * cli_curriculum.c - `tradebridge curriculum import|export`: a curriculum
 * document (JSON, the same the API takes) into an operator's curricula as a
 * new version, or a version out to a file.
 */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/training_cli.h"
#include "core/auth.h"
#include "core/curriculum.h"
#include "core/embedded.h"
#include "core/msg.h"
#include "store/store_notify.h"
#include "store/store_training.h"

extern const struct embedded_file curriculum_files[];

static const char curriculum_help[] =
    "usage: tradebridge curriculum import FILE --org ORG [--db PATH]\n"
    "       tradebridge curriculum import --default --org ORG [--db PATH]\n"
    "       tradebridge curriculum export FILE --org ORG [--curriculum CODE[@N]] [--db PATH]\n\n"
    "import checks the curriculum document (JSON: code, title, description, modules; see\n"
    "docs/training.md) and adds it to operator ORG (its id or name) as a new draft\n"
    "version, or as a new curriculum when ORG has none with that code; an unchanged\n"
    "document adds nothing. --default imports the curriculum that ships with TradeBridge\n"
    "(international trade management, code ITM). export writes a version (default: the\n"
    "latest of ORG's first curriculum) as a document to FILE ('-' = standard output).\n"
    "Exit status: 0 done, 1 the document or the database refused it, 2 usage.\n";

int training_import_default(struct store *st, const struct tb_actor *a, int64_t org_id, json_t **version,
                            struct tb_err *err)
{
    const struct embedded_file *f = embedded_find(curriculum_files, "default.json");
    json_t *doc, *content;
    if (!f)
        return TB_INTERNAL(err, "the default curriculum is missing from this build");
    if (curriculum_document_parse((const char *)f->data, f->size, &doc, &content, err) < 0)
        return -1;
    int rc = store_curriculum_import(st, a, org_id, json_string_value(json_object_get(doc, "code")),
                                     json_string_value(json_object_get(content, "title")), content, version, err);
    json_decref(doc);
    json_decref(content);
    return rc;
}

/* CODE@N, CODE (its latest version) or NULL (ORG's first curriculum, latest version). */
static int export_version(struct store *st, int64_t org_id, const char *which, json_t **out, struct tb_err *err)
{
    struct tb_actor sys = actor_system();
    if (which && strchr(which, '@'))
        return store_cversion_by_ref(st, &sys, org_id, which, out, err);
    json_t *list;
    if (store_curriculum_list(st, &sys, &list, err) < 0)
        return -1;
    size_t i;
    json_t *c, *pick = NULL;
    json_array_foreach(list, i, c) {
        int own = json_integer_value(json_object_get(c, "org_id")) == org_id;
        if (own && (!which || !strcmp(which, json_string_value(json_object_get(c, "code"))))) {
            pick = c;
            break;
        }
    }
    int rc;
    if (!pick) {
        rc = TB_NOT_FOUND(err, "--curriculum: the operator has no curriculum %s", which ? which : "");
    } else {
        char ref[64];
        snprintf(ref, sizeof ref, "%s@%lld", json_string_value(json_object_get(pick, "code")),
                 (long long)json_integer_value(json_object_get(pick, "latest_version")));
        rc = store_cversion_by_ref(st, &sys, org_id, ref, out, err);
    }
    json_decref(list);
    return rc;
}

int cli_curriculum_main(int argc, char **argv)
{
    const char *org = NULL, *db = NULL, *which = NULL, *file = NULL, *verb = NULL;
    int builtin = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(curriculum_help, stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--default")) {
            builtin = 1;
        } else if ((!strcmp(a, "--org") || !strcmp(a, "--db") || !strcmp(a, "--curriculum")) && i + 1 < argc) {
            *(a[2] == 'o' ? &org : a[2] == 'd' ? &db : &which) = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            return cli_usage("curriculum", "unknown or incomplete option '%s'", a);
        } else if (!verb) {
            verb = a;
        } else if (!file) {
            file = a;
        } else {
            return cli_usage("curriculum", "unexpected argument '%s'", a);
        }
    }
    int import = verb && !strcmp(verb, "import");
    if (!verb || (!import && strcmp(verb, "export")))
        return cli_usage("curriculum", "expected import or export");
    if (!file == !(import && builtin))
        return cli_usage("curriculum", import ? "expected a FILE or --default" : "expected a FILE");
    if (!org || !*org)
        return cli_usage("curriculum", "--org is required (the operator, by id or name)");
    if (auth_init() < 0)
        return EXIT_RUNTIME;
    struct tb_err err = {0};
    size_t len = 0;
    char *data = NULL;
    if (import && file && !(data = cli_read_file(file, 1u << 20, &len))) {
        tb_error(&err, TB_E_IO_ERROR, "FILE", "cannot read %s: %s", file,
                errno == EFBIG ? "larger than 1 MiB" : strerror(errno));
        return cli_fail("curriculum", &err);
    }
    struct store *st = cli_open_store("curriculum", cli_db_path(db));
    if (!st) {
        free(data);
        return EXIT_RUNTIME;
    }
    struct tb_actor sys = actor_system();
    int64_t org_id;
    json_t *v = NULL, *doc = NULL, *content = NULL;
    int rc = cli_resolve_org(st, org, &org_id, &err);
    if (rc < 0 && err.status == 404)
        tb_error(&err, TB_E_NOT_FOUND, "org", "--org: no organization '%s'", org);
    if (rc == 0 && import && builtin)
        rc = training_import_default(st, &sys, org_id, &v, &err);
    else if (rc == 0 && import) {
        rc = curriculum_document_parse(data, len, &doc, &content, &err);
        if (rc == 0)
            rc = store_curriculum_import(st, &sys, org_id, json_string_value(json_object_get(doc, "code")),
                                         json_string_value(json_object_get(content, "title")), content, &v, &err);
    } else if (rc == 0) {
        rc = export_version(st, org_id, which, &v, &err);
    }
    store_close(st);
    free(data);
    json_decref(doc);
    json_decref(content);
    if (rc < 0)
        return cli_fail("curriculum", &err);
    if (import) {
        printf("%s: version %s (%s)\n", json_string_value(json_object_get(v, "code")),
               json_string_value(json_object_get(v, "ref")), json_string_value(json_object_get(v, "status")));
    } else {
        json_t *out = curriculum_document_of(v);
        FILE *f = strcmp(file, "-") ? fopen(file, "w") : stdout;
        int bad = !f || json_dumpf(out, f, JSON_INDENT(1)) < 0;
        if (f && f != stdout)
            bad |= fclose(f) != 0;
        json_decref(out);
        if (bad) {
            json_decref(v);
            tb_error(&err, TB_E_IO_ERROR, "FILE", "cannot write %s", file);
            return cli_fail("curriculum", &err);
        }
        if (f != stdout)
            printf("%s: wrote %s\n", json_string_value(json_object_get(v, "ref")), file);
    }
    json_decref(v);
    return EXIT_OK;
}

static const char training_help[] =
    "usage: tradebridge training remind [--days N] [--public-url URL] [--db PATH]\n"
    "       tradebridge training results --cohort ID [--db PATH] [FILE]\n\n"
    "remind: queues a due-date reminder in the mail outbox (sent by the running server) for every\n"
    "module of a signed placement that is due within N days (default 3) or late and not yet\n"
    "submitted, at most one per module a day. Run it daily (cron, a systemd timer).\n"
    "results: writes a cohort's results as CSV (to FILE, or standard output), one row per\n"
    "trainee and module: placement_id, trainee, module, state, test_state, result, late.\n"
    "Exit status: 0 done, 1 the database refused (or no such cohort), 2 usage.\n";

struct results_out {
    FILE *f;
    int header;
};

static const char results_header[] = "placement_id,trainee,module,state,test_state,result,late\n";

static int results_row(void *ctx, const struct grid_row *r)
{
    struct results_out *o = ctx;
    FILE *f = o->f;
    if (!o->header++)
        fputs(results_header, f);
    char result[16] = "";
    if (r->has_result)
        snprintf(result, sizeof result, "%d", r->result);
    const char *cells[] = {r->trainee ? r->trainee : "", r->code, r->selected ? r->state : "not_chosen", r->test_state,
                           result, r->late ? "1" : "0"};
    fprintf(f, "%lld", (long long)r->placement_id);
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        fputc(',', f);
        if (csv_fwrite(f, cells[i], strlen(cells[i])) != 0)
            return -1;
    }
    return fputc('\n', f) == EOF ? -1 : 0;
}

static int training_results(int argc, char **argv)
{
    const char *db = NULL, *file = NULL;
    long long cohort = 0;
    for (int i = 2; i < argc; i++) {
        char *end;
        if (!strcmp(argv[i], "--cohort") && i + 1 < argc) {
            cohort = strtoll(argv[++i], &end, 10);
            if (*end || cohort < 1)
                return cli_usage("training", "--cohort: a cohort id");
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            db = argv[++i];
        } else if (argv[i][0] != '-' && !file) {
            file = argv[i];
        } else {
            return cli_usage("training", "unknown or incomplete option '%s'", argv[i]);
        }
    }
    if (!cohort)
        return cli_usage("training", "results: --cohort ID is required");
    FILE *f = file ? fopen(file, "w") : stdout;
    if (!f) {
        fprintf(stderr, "training: %s: %s\n", file, strerror(errno));
        return EXIT_RUNTIME;
    }
    struct store *st = cli_open_store("training", cli_db_path(db));
    if (!st) {
        if (file)
            fclose(f);
        return EXIT_RUNTIME;
    }
    struct tb_actor sys = actor_system();
    struct tb_err err = {0};
    struct results_out o = {f, 0};
    int rc = store_progress_grid(st, &sys, cohort, results_row, &o, &err);
    if (rc == 0 && !o.header)   /* a cohort without plans: the header alone */
        fputs(results_header, f);
    store_close(st);
    if (file && fclose(f) != 0 && rc == 0)
        rc = tb_error(&err, TB_E_INTERNAL_ERROR, "", "%s: %s", file, strerror(errno));
    return rc < 0 ? cli_fail("training", &err) : EXIT_OK;
}

int cli_training_main(int argc, char **argv)
{
    const char *db = NULL, *url = getenv("TRADEBRIDGE_PUBLIC_URL");
    int days = 3;
    if (argc >= 2 && !strcmp(argv[1], "results"))
        return training_results(argc, argv);
    if (argc < 2 || strcmp(argv[1], "remind"))
        return argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
                   ? (fputs(training_help, stdout), EXIT_OK)
                   : cli_usage("training", "expected remind or results");
    for (int i = 2; i < argc; i++) {
        char *end;
        if (!strcmp(argv[i], "--help")) {
            fputs(training_help, stdout);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--days") && i + 1 < argc) {
            long d = strtol(argv[++i], &end, 10);
            if (*end || d < 0 || d > 60)
                return cli_usage("training", "--days: a number from 0 to 60");
            days = (int)d;
        } else if (!strcmp(argv[i], "--public-url") && i + 1 < argc) {
            url = argv[++i];
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            db = argv[++i];
        } else {
            return cli_usage("training", "unknown or incomplete option '%s'", argv[i]);
        }
    }
    if (!url || !*url)
        url = "http://127.0.0.1:8080";
    struct store *st = cli_open_store("training", cli_db_path(db));
    if (!st)
        return EXIT_RUNTIME;
    struct tb_actor sys = actor_system();
    struct tb_err err = {0};
    json_t *due;
    int rc = store_reminders_due(st, &sys, days, &due, &err), sent = 0;
    if (rc == 0)
        rc = store_begin(st, &err);
    size_t i;
    json_t *m;
    json_array_foreach(due, i, m) {
        if (rc < 0)
            break;
        const char *state = json_string_value(json_object_get(m, "state"));
        /* In the trainee's language (the account's setting; issue 17). */
        const char *lang = store_locale_of_graduate(st, json_integer_value(json_object_get(m, "graduate_id")));
        char link[600], *subject, *body = NULL;
        snprintf(link, sizeof link, "%s/#/plan-modules/%lld", url, (long long)json_integer_value(json_object_get(m, "id")));
        const char *const vars[] = {"name", json_string_value(json_object_get(m, "trainee")),
                                    "title", json_string_value(json_object_get(m, "title")),
                                    "date", json_string_value(json_object_get(m, "due_date")), "url", link, NULL};
        struct abuf sb, bb;
        abuf_init_heap(&sb, 4096);
        abuf_init_heap(&bb, 1u << 16);
        msg_append(&sb, lang, "mail.remind.subject", vars);
        msg_append(&bb, lang, !strcmp(state, "changes_requested") ? "mail.remind.changes" : "mail.remind.body", vars);
        abuf_printf(&bb, "\n\n%s\n", msg_text(lang, "mail.signature"));
        subject = abuf_take(&sb);
        body = abuf_take(&bb);
        if (!subject || !body) {
            free(subject);
            free(body);
            rc = tb_error(&err, TB_E_INTERNAL_ERROR, "", "out of memory");
            break;
        }
        rc = store_outbox_add(st, &sys, json_integer_value(json_object_get(m, "org_id")),
                              json_string_value(json_object_get(m, "email")), subject, body, &err);
        free(subject);
        free(body);
        if (rc == 0)
            rc = store_reminder_sent(st, &sys, json_integer_value(json_object_get(m, "id")), &err);
        sent += rc == 0;
    }
    json_decref(due);
    if (rc == 0)
        rc = store_commit(st, &err);
    else
        store_rollback(st);
    store_close(st);
    if (rc < 0)
        return cli_fail("training", &err);
    printf("training: %d reminder%s queued\n", sent, sent == 1 ? "" : "s");
    return EXIT_OK;
}
