/*
 * cli_man.c - the tradebridge(1) man page, written from the same tables as
 * `tradebridge --help` and `tradebridge serve --help`. The build runs
 * `tradebridge man` and installs the result (meson install).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/config.h"

/* roff treats a leading '.' or '\'' as a request and '\' as an escape. */
static void roff_text(FILE *f, const char *s)
{
    if (*s == '.' || *s == '\'')
        fputs("\\&", f);
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", f);
        else if (*s == '-')
            fputs("\\-", f);
        else
            fputc(*s, f);
    }
}

void cli_print_man(FILE *f, const struct cli_subcommand *cmds, size_t n, const char *version)
{
    fprintf(f, ".TH TRADEBRIDGE 1 \"\" \"tradebridge %s\" \"User Commands\"\n", version);
    fputs(".SH NAME\ntradebridge \\- run export trainee programmes: recruit, match, train, certify, "
          "measure\n.SH SYNOPSIS\n.B tradebridge\n.I COMMAND\n.RI [ ARGS ]\n"
          ".SH DESCRIPTION\nOne binary with subcommands: a multi-tenant HTTP server (JSON API under\n"
          ".B /api/v1\nand a web UI) and a command line over the same core. Storage is an SQLite file.\n"
          "Run\n.B tradebridge\n.I COMMAND\n.B \\-\\-help\nfor the options of each command.\n"
          ".SH COMMANDS\n", f);
    for (size_t i = 0; i < n; i++) {
        fputs(".TP\n.B ", f);
        roff_text(f, cmds[i].name);
        fputc('\n', f);
        roff_text(f, cmds[i].summary);
        fputc('\n', f);
    }
    fputs(".SH SERVER OPTIONS\nEvery option of\n.B serve\nis a flag and an environment variable; "
          "flags win over the environment, the environment over the default.\n", f);
    for (size_t i = 0; config_options[i].env; i++) {
        const struct config_option *o = &config_options[i];
        fputs(".TP\n", f);
        if (o->flag) {
            fputs(".BI \"", f);
            roff_text(f, o->flag);
            fputs(" \" ", f);
            roff_text(f, o->meta);
            fputc('\n', f);
        } else {
            fputs(".B ", f);
            roff_text(f, o->env);
            fputs("\n(environment only)\n.br\n", f);
        }
        roff_text(f, o->help);
        fputs(".\n.br\nEnvironment: ", f);
        roff_text(f, o->env);
        fputs("; default: ", f);
        roff_text(f, *o->deflt ? o->deflt : "(empty)");
        fputs(".\n", f);
    }
    fputs(".SH EXIT STATUS\n0 success, 1 runtime error, 2 usage error; errors are one line on standard error.\n"
          ".SH FILES\n.TP\n.I /var/lib/tradebridge/tradebridge.db\nthe database under the shipped systemd unit "
          "(its StateDirectory).\n"
          ".SH SIGNALS\nSIGTERM or SIGINT stops accepting connections, lets requests in flight finish, "
          "closes the database and exits 0.\n"
          ".SH SEE ALSO\nThe README and docs/ folder, installed under /usr/share/doc/tradebridge; "
          "the systemd unit tradebridge.service.\n", f);
}
