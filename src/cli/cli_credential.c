/*
 * cli_credential.c - `tradebridge credential ...`: sign, verify, canon,
 * keygen and status-list over files, fully offline. Exit codes: 0 ok, 1 failed (not verified,
 * work limit, runtime error), 2 bad usage or unreadable input; one-line
 * reasons on stderr. (issue/revoke/keys over the store are added later.)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/error.h"
#include "core/cred/dataint.h"
#include "core/cred/hash.h"
#include "core/cred/jcs.h"
#include "core/cred/jsonld.h"
#include "core/cred/keys.h"
#include "core/cred/nquads.h"
#include "core/cred/rdfc.h"
#include "core/cred/statuslist.h"
#include "core/cred/verify.h"

#define CRED_MAX_INPUT ((size_t)64 << 20)
#define MAX_MULTI 16

static const char USAGE[] =
    "usage: tradebridge credential COMMAND [ARGS]\n\n"
    "commands:\n"
    "  sign     add a Data Integrity proof (eddsa-rdfc-2022 or eddsa-jcs-2022)\n"
    "  verify   verify a credential's proof, issuer, status and dates\n"
    "  canon    print the canonical form (RDFC-1.0 N-Quads or JCS)\n"
    "  keygen   print a new Ed25519 Multikey key pair (KEY.json)\n"
    "  status-list  create a Bitstring Status List credential, set/clear/read its bits\n"
    "  issue, revoke, suspend, reinstate, show, keys\n"
    "           the credentials stored in the database (see 'credential issue --help')\n\n"
    "Run 'tradebridge credential COMMAND --help' for a command's options.\n";

static const char SIGN_USAGE[] =
    "usage: tradebridge credential sign --key KEY.json [--suite eddsa-rdfc-2022|eddsa-jcs-2022]\n"
    "         [--created TIME] [--verification-method ID] [--purpose PURPOSE]\n"
    "         [--proof-id ID] [--previous-proof ID]... [--context URL=FILE]... FILE\n\n"
    "Signs the VC 2.0 document in FILE ('-' for stdin) and prints it with its proof.\n"
    "KEY.json holds publicKeyMultibase and secretKeyMultibase (or privateKeyMultibase).\n"
    "The default verification method is the key's did:key. A document with proofs gets\n"
    "one more (a proof set); --previous-proof chains the new proof to existing ones by\n"
    "their ids. --context maps a context URL to a local JSON-LD file (no network).\n";

static const char VERIFY_USAGE[] =
    "usage: tradebridge credential verify FILE [--status-list FILE]... [--did-doc FILE]...\n"
    "         [--expect-issuer DID] [--no-issuer-binding] [--require-status]\n"
    "         [--context URL=FILE]... [--now TIME]\n\n"
    "Prints one JSON line {\"verified\":..,\"errors\":[..],\"checks\":{..}}.\n"
    "Exit 0 when verified, 1 when not, 2 on bad input. did:key is resolved locally;\n"
    "other DIDs (did:web) only from --did-doc files. --status-list supplies a\n"
    "BitstringStatusListCredential (its own proof is verified too). By default the\n"
    "signing key's controller must be the issuer; --no-issuer-binding lifts that.\n";

static const char CANON_USAGE[] =
    "usage: tradebridge credential canon (--rdfc | --jcs | --nquads) [--hash-algorithm SHA256|SHA384]\n"
    "         [--work-limit STEPS] [--context URL=FILE]... FILE\n\n"
    "--rdfc: RDFC-1.0 canonical N-Quads of a JSON-LD document; --jcs: RFC 8785 JSON;\n"
    "--nquads: canonicalize an N-Quads file. A graph beyond the canonicalization work\n"
    "limit (default 25000 steps) is refused with exit 1. JSON-LD input is read in\n"
    "safe mode, as when signing: a term no context defines is an error.\n";

static const char KEYGEN_USAGE[] =
    "usage: tradebridge credential keygen\n\n"
    "Prints a new Ed25519 key as JSON (Multikey: id, controller, publicKeyMultibase,\n"
    "secretKeyMultibase). Keep the secret key file private (chmod 600).\n";

static const char STATUS_USAGE[] =
    "usage: tradebridge credential status-list new --id URL --issuer DID\n"
    "         [--purpose revocation|suspension] [--size BITS] [--valid-from TIME]\n"
    "       tradebridge credential status-list set|clear LIST.json INDEX...\n"
    "       tradebridge credential status-list get LIST.json INDEX\n\n"
    "new prints an unsigned BitstringStatusListCredential (at least 131072 entries);\n"
    "set/clear print the list with those entries changed and its proof removed (sign it\n"
    "again with 'credential sign'); get prints 1 if the entry is set, else 0.\n";

static int parse_index(const char *s, size_t *out);

static int is_help(const char *s)
{
    return !strcmp(s, "--help") || !strcmp(s, "-h");
}

static int usage_err(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "tradebridge credential %s: ", cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (try --help)\n");
    return 2;
}

static json_t *read_json(const char *cmd, const char *path)
{
    size_t len;
    char *text = cli_read_file(path, CRED_MAX_INPUT, &len);
    if (!text) {
        fprintf(stderr, "tradebridge credential %s: cannot read %s: %s\n", cmd, path, strerror(errno));
        return NULL;
    }
    json_error_t je;
    /* Duplicate member names are refused (which one a verifier sees would be
     * ambiguous), and so is U+0000: C strings would cut a JSON-LD value there. */
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    free(text);
    if (!j)
        fprintf(stderr, "tradebridge credential %s: %s: not JSON (line %d: %s)\n", cmd, path, je.line,
                je.text);
    return j;
}

/* --context URL=FILE handling shared by sign/verify/canon. */
struct ctxopts {
    const char *pairs[MAX_MULTI];
    int n;
};

static int make_loader(const char *cmd, const struct ctxopts *c, struct jsonld_loader **out)
{
    *out = NULL;
    if (!c->n)
        return 0;
    struct jsonld_loader *l = jsonld_loader_new();
    if (!l) {
        fprintf(stderr, "tradebridge credential %s: out of memory\n", cmd);
        return 1;
    }
    for (int i = 0; i < c->n; i++) {
        const char *eq = strchr(c->pairs[i], '=');
        if (!eq || eq == c->pairs[i] || !eq[1]) {
            jsonld_loader_free(l);
            return usage_err(cmd, "--context wants URL=FILE, got '%s'", c->pairs[i]);
        }
        char url[2048];
        snprintf(url, sizeof url, "%.*s", (int)(eq - c->pairs[i]), c->pairs[i]);
        struct tb_err e = {0};
        if (jsonld_loader_add_file(l, url, eq + 1, &e)) {
            fprintf(stderr, "tradebridge credential %s: context %s: %s\n", cmd, eq + 1, e.message);
            jsonld_loader_free(l);
            return 2;
        }
    }
    *out = l;
    return 0;
}

/* Fetches the value of an option that takes one; NULL when missing. */
static const char *optval(int argc, char **argv, int *i)
{
    return *i + 1 < argc ? argv[++*i] : NULL;
}

static int cmd_keygen(int argc, char **argv)
{
    if (argc > 1 && is_help(argv[1])) {
        fputs(KEYGEN_USAGE, stdout);
        return 0;
    }
    if (argc > 1)
        return usage_err("keygen", "unexpected argument '%s'", argv[1]);
    struct cred_keypair k;
    cred_keypair_generate(&k);
    struct arena *a = cli_arena_new("credential", 0);
    json_t *j = a ? cred_keypair_to_json(&k, 1, a) : NULL;
    sodium_memzero(&k, sizeof k);
    int rc = 1;
    if (j) {
        char *s = json_dumps(j, JSON_INDENT(2));
        if (s) {
            printf("%s\n", s);
            sodium_memzero(s, strlen(s));
            free(s);
            rc = 0;
        }
        json_decref(j);
    }
    if (rc)
        fprintf(stderr, "tradebridge credential keygen: out of memory\n");
    arena_free(a);
    return rc;
}

static int cmd_sign_run(const char *keyfile, const char *file, struct di_options *op,
                        const struct ctxopts *cop);

static int cmd_sign(int argc, char **argv)
{
    const char *keyfile = NULL, *file = NULL;
    struct di_options o = {0};
    struct ctxopts co = {0};
    const char *prev_ids[MAX_MULTI];
    int nprev = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (is_help(a)) {
            fputs(SIGN_USAGE, stdout);
            return 0;
        }
        const char *v = NULL;
        if (!strcmp(a, "--key") || !strcmp(a, "--suite") || !strcmp(a, "--created") ||
            !strcmp(a, "--verification-method") || !strcmp(a, "--context") || !strcmp(a, "--purpose") ||
            !strcmp(a, "--proof-id") || !strcmp(a, "--previous-proof")) {
            if (!(v = optval(argc, argv, &i)))
                return usage_err("sign", "%s needs a value", a);
        }
        if (!strcmp(a, "--key")) keyfile = v;
        else if (!strcmp(a, "--proof-id")) o.proof_id = v;
        else if (!strcmp(a, "--previous-proof")) {
            if (nprev == MAX_MULTI)
                return usage_err("sign", "too many --previous-proof options%s", "");
            prev_ids[nprev++] = v;
        }
        else if (!strcmp(a, "--suite")) {
            if (!(o.suite = di_suite_parse(v)))
                return usage_err("sign", "unknown suite '%s' (eddsa-rdfc-2022 or eddsa-jcs-2022)", v);
        } else if (!strcmp(a, "--created")) {
            long long t;
            if (cred_parse_time(v, &t))
                return usage_err("sign", "--created '%s' is not a date-time like 2024-01-31T12:00:00Z", v);
            o.created = v;
        } else if (!strcmp(a, "--verification-method")) o.verification_method = v;
        else if (!strcmp(a, "--purpose")) o.proof_purpose = v;
        else if (!strcmp(a, "--context")) {
            if (co.n == MAX_MULTI)
                return usage_err("sign", "too many --context options%s", "");
            co.pairs[co.n++] = v;
        } else if (a[0] == '-' && a[1]) return usage_err("sign", "unknown option '%s'", a);
        else if (file) return usage_err("sign", "unexpected argument '%s'", a);
        else file = a;
    }
    if (!keyfile || !file)
        return usage_err("sign", "%s is required", !keyfile ? "--key KEY.json" : "FILE");
    /* one id: a string, as in the W3C vectors; several: an array */
    json_t *prev = NULL;
    if (nprev == 1) {
        prev = json_string(prev_ids[0]);
    } else if (nprev > 1) {
        prev = json_array();
        for (int i = 0; i < nprev; i++)
            json_array_append_new(prev, json_string(prev_ids[i]));
    }
    o.previous_proof = prev;
    int src = cmd_sign_run(keyfile, file, &o, &co);
    json_decref(prev);
    return src;
}

static int cmd_sign_run(const char *keyfile, const char *file, struct di_options *op,
                        const struct ctxopts *cop)
{
    struct di_options o = *op;
    struct ctxopts co = *cop;
    json_t *kj = read_json("sign", keyfile);
    if (!kj)
        return 2;
    struct cred_keypair key;
    struct tb_err e = {0};
    int krc = cred_keypair_from_json(kj, 1, &key, &e);
    json_decref(kj);
    if (krc) {
        fprintf(stderr, "tradebridge credential sign: %s: %s\n", keyfile, e.message);
        return 2;
    }
    json_t *doc = read_json("sign", file);
    if (!doc) {
        sodium_memzero(&key, sizeof key);
        return 2;
    }
    struct jsonld_loader *l;
    int rc = make_loader("sign", &co, &l);
    if (rc) {
        json_decref(doc);
        sodium_memzero(&key, sizeof key);
        return rc;
    }
    o.loader = l;
    struct arena *ar = cli_arena_new("credential", 0);
    json_t *signed_doc = NULL;
    if (!ar || di_sign(doc, &key, &o, ar, &signed_doc, NULL, &e)) {
        fprintf(stderr, "tradebridge credential sign: %s\n", ar ? e.message : "out of memory");
        rc = e.status == 400 ? 2 : 1;
    } else {
        char *s = json_dumps(signed_doc, JSON_INDENT(2));
        printf("%s\n", s ? s : "");
        free(s);
        rc = 0;
    }
    sodium_memzero(&key, sizeof key);
    json_decref(signed_doc);
    json_decref(doc);
    arena_free(ar);
    jsonld_loader_free(l);
    return rc;
}

static int cmd_verify(int argc, char **argv)
{
    const char *file = NULL;
    const char *lists[MAX_MULTI], *dids[MAX_MULTI];
    int nlists = 0, ndids = 0;
    struct verify_options o;
    memset(&o, 0, sizeof o);
    struct ctxopts co = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        if (is_help(a)) {
            fputs(VERIFY_USAGE, stdout);
            return 0;
        }
        if (!strcmp(a, "--status-list") || !strcmp(a, "--did-doc") || !strcmp(a, "--expect-issuer") ||
            !strcmp(a, "--context") || !strcmp(a, "--now")) {
            if (!(v = optval(argc, argv, &i)))
                return usage_err("verify", "%s needs a value", a);
        }
        if (!strcmp(a, "--status-list")) {
            if (nlists == MAX_MULTI)
                return usage_err("verify", "too many --status-list options%s", "");
            lists[nlists++] = v;
        } else if (!strcmp(a, "--did-doc")) {
            if (ndids == MAX_MULTI)
                return usage_err("verify", "too many --did-doc options%s", "");
            dids[ndids++] = v;
        } else if (!strcmp(a, "--expect-issuer")) o.expected_issuer = v;
        else if (!strcmp(a, "--context")) {
            if (co.n == MAX_MULTI)
                return usage_err("verify", "too many --context options%s", "");
            co.pairs[co.n++] = v;
        } else if (!strcmp(a, "--now")) {
            if (cred_parse_time(v, &o.now))
                return usage_err("verify", "--now '%s' is not a date-time like 2024-01-31T12:00:00Z", v);
            o.has_now = 1;
        } else if (!strcmp(a, "--no-issuer-binding")) o.no_issuer_binding = 1;
        else if (!strcmp(a, "--require-status")) o.require_status = 1;
        else if (a[0] == '-' && a[1]) return usage_err("verify", "unknown option '%s'", a);
        else if (file) return usage_err("verify", "unexpected argument '%s'", a);
        else file = a;
    }
    if (!file)
        return usage_err("verify", "FILE is required%s", "");
    json_t *vc = read_json("verify", file);
    if (!vc)
        return 2;
    json_t *jl = json_array(), *jd = json_array();
    int rc = 0;
    for (int i = 0; i < nlists && !rc; i++) {
        json_t *j = read_json("verify", lists[i]);
        rc = j ? json_array_append_new(jl, j), 0 : 2;
    }
    for (int i = 0; i < ndids && !rc; i++) {
        json_t *j = read_json("verify", dids[i]);
        rc = j ? json_array_append_new(jd, j), 0 : 2;
    }
    struct jsonld_loader *l = NULL;
    if (!rc)
        rc = make_loader("verify", &co, &l);
    if (!rc) {
        o.loader = l;
        o.status_lists = jl;
        o.did_documents = jd;
        struct arena *ar = cli_arena_new("credential", 0);
        struct verify_report rep;
        struct tb_err e = {0};
        if (!ar || credential_verify(vc, &o, &rep, ar, &e)) {
            fprintf(stderr, "tradebridge credential verify: %s\n", ar ? e.message : "out of memory");
            rc = 1;
        } else {
            json_t *out = verify_report_json(&rep);
            char *s = out ? json_dumps(out, JSON_COMPACT) : NULL;
            printf("%s\n", s ? s : "{\"verified\":false,\"errors\":[\"out of memory\"],\"checks\":{}}");
            free(s);
            json_decref(out);
            rc = rep.verified ? 0 : 1;
            if (!rep.verified && rep.nerrors)
                fprintf(stderr, "tradebridge credential verify: not verified: %s\n", rep.errors[0]);
        }
        arena_free(ar);
    }
    jsonld_loader_free(l);
    json_decref(jl);
    json_decref(jd);
    json_decref(vc);
    return rc;
}

static int cmd_canon(int argc, char **argv)
{
    const char *file = NULL, *mode = NULL;
    struct rdfc_options ro = {.hash = CRED_SHA256};
    struct ctxopts co = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (is_help(a)) {
            fputs(CANON_USAGE, stdout);
            return 0;
        }
        if (!strcmp(a, "--rdfc") || !strcmp(a, "--jcs") || !strcmp(a, "--nquads")) {
            if (mode && strcmp(mode, a))
                return usage_err("canon", "choose one of --rdfc, --jcs, --nquads%s", "");
            mode = a;
        } else if (!strcmp(a, "--hash-algorithm")) {
            if (!(v = optval(argc, argv, &i)))
                return usage_err("canon", "%s needs a value", a);
            if (!strcmp(v, "SHA256") || !strcmp(v, "SHA-256")) ro.hash = CRED_SHA256;
            else if (!strcmp(v, "SHA384") || !strcmp(v, "SHA-384")) ro.hash = CRED_SHA384;
            else return usage_err("canon", "unknown hash algorithm '%s' (SHA256 or SHA384)", v);
        } else if (!strcmp(a, "--work-limit")) {
            size_t w;
            if (!(v = optval(argc, argv, &i)))
                return usage_err("canon", "%s needs a value", a);
            if (parse_index(v, &w) || w == 0)
                return usage_err("canon", "--work-limit wants a positive number, got '%s'", v);
            ro.work_limit = (unsigned long)w;
        } else if (!strcmp(a, "--context")) {
            if (!(v = optval(argc, argv, &i)))
                return usage_err("canon", "%s needs a value", a);
            if (co.n == MAX_MULTI)
                return usage_err("canon", "too many --context options%s", "");
            co.pairs[co.n++] = v;
        } else if (a[0] == '-' && a[1]) return usage_err("canon", "unknown option '%s'", a);
        else if (file) return usage_err("canon", "unexpected argument '%s'", a);
        else file = a;
    }
    if (!mode)
        return usage_err("canon", "one of --rdfc, --jcs or --nquads is required%s", "");
    if (!file)
        return usage_err("canon", "FILE is required%s", "");
    struct arena *ar = cli_arena_new("credential", 0);
    if (!ar)
        return 1;
    struct tb_err e = {0};
    int rc = 0;
    struct rdf_dataset ds;
    rdf_dataset_init(&ds, ar);
    struct rdfc_result res;
    if (!strcmp(mode, "--nquads")) {
        size_t len;
        char *text = cli_read_file(file, CRED_MAX_INPUT, &len);
        if (!text) {
            fprintf(stderr, "tradebridge credential canon: cannot read %s: %s\n", file, strerror(errno));
            rc = 2;
        } else if (nquads_parse(text, len, &ds, &e)) {
            fprintf(stderr, "tradebridge credential canon: %s: %s\n", file, e.message);
            rc = 2;
        }
        free(text);
    } else {
        json_t *doc = read_json("canon", file);
        struct jsonld_loader *l = NULL;
        if (!doc) {
            rc = 2;
        } else if (!strcmp(mode, "--jcs")) {
            struct abuf b;
            abuf_init(&b, ar, CRED_MAX_INPUT * 2);
            if (jcs_serialize(doc, &b, &e)) {
                fprintf(stderr, "tradebridge credential canon: %s\n", e.message);
                rc = 1;
            } else {
                fwrite(abuf_cstr(&b), 1, b.len, stdout);
                rc = -1;   /* done, nothing more to print */
            }
        } else if ((rc = make_loader("canon", &co, &l)) == 0 &&
                   /* safe mode, as when signing: show exactly what would be signed */
                   jsonld_to_rdf_opts(doc, l ? l : jsonld_loader_default(),
                                      &(struct jsonld_opts){.safe = 1}, &ds, &e)) {
            fprintf(stderr, "tradebridge credential canon: %s: %s\n", file, e.message);
            rc = 1;
        }
        jsonld_loader_free(l);
        json_decref(doc);
    }
    if (rc == 0) {
        if (rdfc_canonicalize(&ds, &ro, ar, &res, &e)) {
            fprintf(stderr, "tradebridge credential canon: %s\n", e.message);
            rc = 1;
        } else {
            fwrite(res.nquads, 1, res.len, stdout);
        }
    }
    arena_free(ar);
    return rc < 0 ? 0 : rc;
}

static int parse_index(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-')
        return -1;
    *out = (size_t)v;
    return 0;
}

static int print_json(const json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2));
    if (!s)
        return 1;
    printf("%s\n", s);
    free(s);
    return 0;
}

static int cmd_status_list(int argc, char **argv)
{
    if (argc < 2 || is_help(argv[1])) {
        fputs(STATUS_USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *op = argv[1];
    struct arena *ar = cli_arena_new("credential", 0);
    struct tb_err e = {0};
    int rc = 2;
    if (!ar)
        return 1;
    if (!strcmp(op, "new")) {
        const char *id = NULL, *issuer = NULL, *purpose = "revocation", *from = NULL;
        size_t size = 0;
        for (int i = 2; i < argc; i++) {
            const char *a = argv[i], *v = optval(argc, argv, &i);
            if (is_help(a)) {
                fputs(STATUS_USAGE, stdout);
                arena_free(ar);
                return 0;
            }
            if (!v) { rc = usage_err("status-list", "%s needs a value", a); goto out; }
            if (!strcmp(a, "--id")) id = v;
            else if (!strcmp(a, "--issuer")) issuer = v;
            else if (!strcmp(a, "--purpose")) purpose = v;
            else if (!strcmp(a, "--valid-from")) from = v;
            else if (!strcmp(a, "--size")) {
                if (parse_index(v, &size)) { rc = usage_err("status-list", "bad --size '%s'", v); goto out; }
            } else { rc = usage_err("status-list", "unknown option '%s'", a); goto out; }
        }
        long long t;
        if (!id || !issuer) { rc = usage_err("status-list", "new needs --id and --issuer%s", ""); goto out; }
        if (from && cred_parse_time(from, &t)) { rc = usage_err("status-list", "bad --valid-from '%s'", from); goto out; }
        struct status_list l;
        json_t *c = NULL;
        if (status_list_new(&l, size, ar, &e) ||
            !(c = status_list_credential(id, issuer, purpose, &l, from, ar, &e))) {
            fprintf(stderr, "tradebridge credential status-list: %s\n", e.message);
            rc = e.status == 400 ? 2 : 1;
            goto out;
        }
        rc = print_json(c);
        json_decref(c);
    } else if (!strcmp(op, "set") || !strcmp(op, "clear") || !strcmp(op, "get")) {
        if (argc < 4 || (!strcmp(op, "get") && argc != 4)) {
            rc = usage_err("status-list", "%s needs LIST.json and INDEX", op);
            goto out;
        }
        json_t *c = read_json("status-list", argv[2]);
        if (!c)
            goto out;
        json_t *subj = json_object_get(c, "credentialSubject");
        struct status_list l;
        if (status_list_decode(json_string_value(json_object_get(subj, "encodedList")), ar, &l, &e)) {
            fprintf(stderr, "tradebridge credential status-list: %s: %s\n", argv[2], e.message);
            json_decref(c);
            goto out;
        }
        rc = 0;
        for (int i = 3; i < argc && !rc; i++) {
            size_t idx;
            if (parse_index(argv[i], &idx) || idx >= l.nbits) {
                fprintf(stderr, "tradebridge credential status-list: index '%s' is not in 0..%zu\n",
                        argv[i], l.nbits - 1);
                rc = 2;
            } else if (!strcmp(op, "get")) {
                printf("%d\n", status_list_get(&l, idx));
            } else {
                status_list_set(&l, idx, !strcmp(op, "set"), &e);
            }
        }
        if (!rc && strcmp(op, "get")) {
            char *enc;
            if (status_list_encode(&l, ar, &enc, &e)) {
                fprintf(stderr, "tradebridge credential status-list: %s\n", e.message);
                rc = 1;
            } else {
                json_object_set_new(subj, "encodedList", json_string(enc));
                json_object_del(c, "proof");   /* the old proof no longer matches */
                rc = print_json(c);
            }
        }
        json_decref(c);
    } else {
        rc = usage_err("status-list", "unknown operation '%s' (new, set, clear, get)", op);
    }
out:
    arena_free(ar);
    return rc;
}

int cli_credential_stored(int argc, char **argv);

int cli_credential_main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(USAGE, stderr);
        return 2;
    }
    const char *c = argv[1];
    if (is_help(c) || !strcmp(c, "help")) {
        fputs(USAGE, stdout);
        return 0;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "tradebridge credential: libsodium failed to initialise\n");
        return 1;
    }
    if (!strcmp(c, "sign"))
        return cmd_sign(argc - 1, argv + 1);
    if (!strcmp(c, "verify"))
        return cmd_verify(argc - 1, argv + 1);
    if (!strcmp(c, "canon"))
        return cmd_canon(argc - 1, argv + 1);
    if (!strcmp(c, "keygen"))
        return cmd_keygen(argc - 1, argv + 1);
    if (!strcmp(c, "status-list"))
        return cmd_status_list(argc - 1, argv + 1);
    if (!strcmp(c, "issue") || !strcmp(c, "revoke") || !strcmp(c, "suspend") || !strcmp(c, "reinstate") ||
        !strcmp(c, "show") || !strcmp(c, "keys"))
        return cli_credential_stored(argc - 1, argv + 1);
    fprintf(stderr, "tradebridge credential: unknown command '%s' (try --help)\n", c);
    return 2;
}
