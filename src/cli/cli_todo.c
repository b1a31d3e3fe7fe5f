/*
 * cli_todo.c - `tradebridge todo mail`: one pass of the to-do mailer (the
 * server's mail thread runs one a minute); for cron without a server, and
 * for tests (--now sets the clock the daily digest looks at).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "service/todo_service.h"

static const char todo_help[] =
    "usage: tradebridge todo mail [--db PATH] [--public-url URL] [--now YYYY-MM-DDTHH:MM:SSZ]\n"
    "\n"
    "Queues the to-do mail in the outbox: each new item to the people who want mail at once,\n"
    "and the daily digest (from 07:00 UTC) to those who chose it. A person's first pass only\n"
    "records what is open then. The server does this every minute by itself.\n";

int cli_todo_main(int argc, char **argv)
{
    const char *db = NULL, *url = getenv("TRADEBRIDGE_PUBLIC_URL");
    time_t now = time(NULL);
    if (argc < 2 || strcmp(argv[1], "mail"))
        return argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
                   ? (fputs(todo_help, stdout), EXIT_OK)
                   : cli_usage("todo", "expected mail");
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            fputs(todo_help, stdout);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--public-url") && i + 1 < argc) {
            url = argv[++i];
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            db = argv[++i];
        } else if (!strcmp(argv[i], "--now") && i + 1 < argc) {
            struct tm tm = {0};
            const char *end = strptime(argv[++i], "%Y-%m-%dT%H:%M:%SZ", &tm);
            if (!end || *end)
                return cli_usage("todo", "--now: a UTC time such as 2026-12-08T07:30:00Z");
            now = timegm(&tm);
        } else {
            return cli_usage("todo", "unknown or incomplete option '%s'", argv[i]);
        }
    }
    if (!url || !*url)
        url = "http://127.0.0.1:8080";
    struct store *st = cli_open_store("todo", cli_db_path(db));
    if (!st)
        return EXIT_RUNTIME;
    struct tb_err err = {0};
    int queued = 0;
    int rc = todo_mail_pass(st, url, now, &queued, &err);
    store_close(st);
    if (rc < 0)
        return cli_fail("todo", &err);
    printf("todo: %d mail%s queued\n", queued, queued == 1 ? "" : "s");
    return EXIT_OK;
}
