/*
 * test_cred_unit.c - unit checks of the credential engine's building blocks:
 * SHA-384 (FIPS 180-4 examples), base58btc / base64url, N-Quads parse errors,
 * date parsing, and Bitstring Status Lists (encode, decode, set, check).
 */
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "core/cred/dataint.h"
#include "core/cred/hash.h"
#include "core/cred/jsonld.h"
#include "core/cred/keys.h"
#include "core/cred/nquads.h"
#include "core/cred/rdfc.h"
#include "core/cred/statuslist.h"
#include "tap.h"

static void sha384(const char *name, const void *p, size_t n, const char *want)
{
    unsigned char d[48];
    char hex[97];
    cred_hash_buf(CRED_SHA384, p, n, d);
    cred_hex(d, 48, hex);
    tap_ok(!strcmp(hex, want), "SHA-384 %s", name);
}

static void parse_err(const char *text, const char *want_msg)
{
    struct arena *a = arena_new(0);
    struct rdf_dataset ds;
    rdf_dataset_init(&ds, a);
    struct tb_err e = {0};
    int rc = nquads_parse(text, strlen(text), &ds, &e);
    tap_ok(rc == -1 && strstr(e.message, want_msg), "N-Quads error '%s' (got '%s')", want_msg,
           rc ? e.message : "accepted");
    arena_free(a);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    struct arena *a = arena_new(0);
    struct tb_err e = {0};

    /* FIPS 180-4 / NIST example vectors. */
    sha384("\"abc\"", "abc", 3,
           "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
    const char *two = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                      "klmnopqrlmnopqrsmnopqrstnopqrstu";
    sha384("two-block message", two, strlen(two),
           "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039");
    sha384("empty string", "", 0,
           "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b");
    {
        struct cred_hash h;
        cred_hash_init(&h, CRED_SHA384);
        char blk[1000];
        memset(blk, 'a', sizeof blk);
        for (int i = 0; i < 1000; i++)
            cred_hash_update(&h, blk, sizeof blk);
        unsigned char d[48];
        char hex[97];
        cred_hash_final(&h, d);
        cred_hex(d, 48, hex);
        tap_ok(!strcmp(hex, "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b"
                            "07b8b3dc38ecc4ebae97ddd87f3d8985"),
               "SHA-384 one million 'a' (streamed in 1000-byte pieces)");
    }
    {
        /* Split points across the 128-byte block boundary give the same digest. */
        unsigned char ref[48], d[48];
        char msg[300];
        for (int i = 0; i < 300; i++)
            msg[i] = (char)i;
        cred_hash_buf(CRED_SHA384, msg, sizeof msg, ref);
        int ok = 1;
        for (size_t cut = 0; cut <= sizeof msg; cut += 7) {
            struct cred_hash h;
            cred_hash_init(&h, CRED_SHA384);
            cred_hash_update(&h, msg, cut);
            cred_hash_update(&h, msg + cut, sizeof msg - cut);
            cred_hash_final(&h, d);
            ok &= !memcmp(d, ref, 48);
        }
        tap_ok(ok, "SHA-384 streaming equals one-shot at every split");
    }

    /* SHA-256 (libcrypto) against libsodium's, whole and streamed in two pieces */
    {
        unsigned char buf[4200], a1[32], b1[32], c1[32];
        randombytes_buf(buf, sizeof buf);
        int bad = 0;
        for (size_t n = 0; n <= sizeof buf; n += n < 300 ? 1 : 37) {
            struct cred_hash h;
            crypto_hash_sha256(a1, buf, n);
            bad += cred_hash_buf(CRED_SHA256, buf, n, c1) != 0 || memcmp(a1, c1, 32) != 0;
            bad += cred_hash_init(&h, CRED_SHA256) != 0;
            cred_hash_update(&h, buf, n / 3);
            cred_hash_update(&h, buf + n / 3, n - n / 3);
            bad += cred_hash_final(&h, b1) != 0 || memcmp(a1, b1, 32) != 0;
        }
        tap_ok(bad == 0, "SHA-256 equals libsodium's for 0..4200 bytes, whole and split");
    }

    /* base58btc / base64url */
    {
        unsigned char in[40], out[64];
        int ok = 1;
        for (int n = 0; n <= 40; n++) {
            randombytes_buf(in, sizeof in);
            if (n > 2)
                in[0] = in[1] = 0;   /* leading zero bytes are '1's */
            char *s = base58_encode(a, in, (size_t)n);
            ok &= base58_decode(s, out, sizeof out) == n && !memcmp(in, out, (size_t)n);
            char *u = base64url_encode(a, in, (size_t)n);
            ok &= base64url_decode(u, strlen(u), out, sizeof out) == n && !memcmp(in, out, (size_t)n);
        }
        tap_ok(ok, "base58btc and base64url round-trip 0..40 bytes");
        tap_ok(!strcmp(base58_encode(a, (const unsigned char *)"Hello World!", 12), "2NEpo7TZRRrLZSi2U"),
               "base58btc of 'Hello World!'");
        tap_ok(base58_decode("0OIl", out, sizeof out) < 0, "base58btc refuses 0 O I l");
    }
    {
        /* The encoder works on 4-byte words and 5-digit limbs: check it against
         * the textbook digit-at-a-time conversion for every length and
         * alignment up to 100 bytes, with zero and 0xff runs. */
        static const char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        int bad = 0;
        for (int round = 0; round < 3; round++) {
            for (size_t n = 0; n <= 100; n++) {
                unsigned char in[100], digits[160];
                randombytes_buf(in, n);
                for (size_t i = 0; i < n; i++)
                    if ((i + (size_t)round) % 7 == 0)
                        in[i] = round == 1 ? 0xff : 0;
                size_t zeros = 0, len = 0;
                while (zeros < n && !in[zeros])
                    zeros++;
                for (size_t i = zeros; i < n; i++) {
                    unsigned c = in[i];
                    for (size_t j = 0; j < len; j++) {
                        c += digits[j] * 256u;
                        digits[j] = (unsigned char)(c % 58);
                        c /= 58;
                    }
                    for (; c; c /= 58)
                        digits[len++] = (unsigned char)(c % 58);
                }
                char want[200];
                size_t o = 0;
                for (size_t i = 0; i < zeros; i++)
                    want[o++] = '1';
                while (len)
                    want[o++] = alphabet[digits[--len]];
                want[o] = 0;
                const char *got = base58_encode(a, in, n), *mb = multibase_base58btc(a, in, n);
                bad += strcmp(got, want) != 0 || mb[0] != 'z' || strcmp(mb + 1, want) != 0;
            }
        }
        tap_ok(bad == 0, "base58btc and multibase equal the digit-at-a-time conversion, 0..100 bytes (%d bad)", bad);
    }
    {
        unsigned char pk[32];
        tap_ok(multikey_decode_public("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", pk, &e) == 0,
               "Multikey public key decodes");
        tap_ok(multikey_decode_public("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq", pk, &e) < 0,
               "a secret key is not accepted as a public key (header 0x8026)");
        tap_ok(did_key_resolve("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6Mkother", pk, &e) < 0,
               "did:key with a foreign fragment is refused");
        struct cred_keypair k1, k2;
        cred_keypair_generate(&k1);
        json_t *j = cred_keypair_to_json(&k1, 1, a);
        int rc = cred_keypair_from_json(j, 1, &k2, &e);
        tap_ok(rc == 0 && !memcmp(k1.pk, k2.pk, 32) && !memcmp(k1.seed, k2.seed, 32),
               "keygen JSON reads back");
        cred_keypair_generate(&k2);
        json_object_set_new(j, "publicKeyMultibase", json_string(multikey_encode_public(a, k2.pk)));
        tap_ok(cred_keypair_from_json(j, 1, &k2, &e) < 0, "mismatched public and secret key refused");
        json_decref(j);
    }

    /* N-Quads */
    parse_err("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> \"x .\n", "line 2: unterminated literal");
    parse_err("<urn:a> <urn:b> <urn:c>\n", "line 1: expected '.'");
    parse_err("# c\n\n<urn:a> <urn:b> \"\xff\" .\n", "line 3: invalid UTF-8");
    parse_err("<urn:a> <urn:b> \"\\ud800\" .\n", "line 1: escape is not a Unicode scalar value");
    parse_err("<urn:a> <urn:b> \"\\q\" .\n", "line 1: invalid escape");
    parse_err("<urn:a> <urn b> <urn:c> .\n", "line 1: invalid character in IRI");
    parse_err("<a> <urn:b> <urn:c> .\n", "line 1: IRI is not absolute");
    parse_err("\"lit\" <urn:b> <urn:c> .\n", "line 1: unexpected character");
    parse_err("<urn:a> <urn:b> <urn:c> . junk\n", "line 1: text after '.'");
    {
        const char *t = "_:x <urn:p> \"v\"@en-GB <urn:g> .\r\n_:x <urn:p> \"1\"^^<http://www.w3.org/2001/XMLSchema#string> .\n"
                        "_:x <urn:p> \"1\" .\n";
        struct rdf_dataset ds;
        rdf_dataset_init(&ds, a);
        int rc = nquads_parse(t, strlen(t), &ds, &e);
        tap_ok(rc == 0 && ds.len == 2 && !strcmp(ds.quads[0].object.language, "en-GB"),
               "language tags, CRLF, xsd:string == simple literal (deduplicated)");
        struct rdfc_result r;
        rc = rc ? rc : rdfc_canonicalize(&ds, NULL, a, &r, &e);
        tap_ok(rc == 0 && !strcmp(r.nquads, "_:c14n0 <urn:p> \"1\" .\n_:c14n0 <urn:p> \"v\"@en-GB <urn:g> .\n"),
               "canonical form of a small dataset");
    }

    /* dates */
    {
        long long t;
        tap_ok(cred_parse_time("1970-01-01T00:00:00Z", &t) == 0 && t == 0, "epoch parses");
        tap_ok(cred_parse_time("2024-02-29T12:00:00.123+02:00", &t) == 0 && t == 1709200800,
               "fraction and offset");
        tap_ok(cred_parse_time("2024-02-30T12:00:00Z", &t) < 0 && cred_parse_time("2024-01-01T00:00:00", &t) < 0 &&
               cred_parse_time("2024-01-01", &t) < 0, "bad dates refused (day 30 Feb, no offset, no time)");
        tap_ok(cred_parse_time(" 024-01-01T00:00:00Z", &t) < 0 && cred_parse_time("+024-01-01T00:00:00Z", &t) < 0 &&
                   cred_parse_time("2024-1-01T00:00:00Z", &t) < 0 && cred_parse_time("2024-01-01T00:00:00+1:00", &t) < 0 &&
                   cred_parse_time("2024-01-01T00:00:00+01", &t) < 0 && cred_parse_time("2024-01-01T00:00:00+15:00", &t) < 0 &&
                   cred_parse_time("2024-01-01T00:00:00.Z", &t) < 0,
               "digits exactly where dateTime has them (no signs, spaces or short fields)");
        tap_ok(cred_parse_time("2024-01-01T00:00:00-05:30", &t) == 0 && t == 1704087000, "negative offset");
        char buf[32];
        cred_format_time(1709208000, buf, sizeof buf);
        tap_ok(!strcmp(buf, "2024-02-29T12:00:00Z"), "format time");
    }

    /* Bitstring Status List */
    {
        struct status_list l, d;
        tap_ok(status_list_new(&l, 10, a, &e) == 0 && l.nbits == STATUS_LIST_MIN_BITS,
               "lists are at least 131072 entries");
        status_list_set(&l, 0, 1, &e);
        status_list_set(&l, 94567, 1, &e);
        status_list_set(&l, 131071, 1, &e);
        status_list_set(&l, 131071, 0, &e);
        tap_ok(l.bits[0] == 0x80, "index 0 is the most significant bit of the first byte");
        tap_ok(status_list_set(&l, 131072, 1, &e) < 0, "index past the end refused");
        char *enc = NULL;
        int rc = status_list_encode(&l, a, &enc, &e);
        tap_ok(rc == 0 && enc[0] == 'u' && strlen(enc) < 400, "encodedList is 'u' + base64url(gzip), small");
        rc = rc ? rc : status_list_decode(enc, a, &d, &e);
        tap_ok(rc == 0 && d.nbits == l.nbits && status_list_get(&d, 0) == 1 &&
               status_list_get(&d, 94567) == 1 && status_list_get(&d, 94566) == 0 &&
               status_list_get(&d, 131071) == 0, "decode gives the same bits");
        /* The W3C spec's example list (all zero, 16 KiB) decodes. */
        tap_ok(status_list_decode("uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", a, &d, &e) == 0 &&
               d.nbits == 131072 && status_list_get(&d, 5) == 0, "spec example encodedList decodes");
        tap_ok(status_list_decode("zabc", a, &d, &e) < 0 && status_list_decode("u!!!", a, &d, &e) < 0,
               "non-base64url lists refused");
        struct status_list big;
        big.nbits = STATUS_LIST_MAX_BITS + 8 * 1024 * 1024;
        big.bits = arena_calloc(a, big.nbits / 8, 1);
        char *bomb = NULL;
        status_list_encode(&big, a, &bomb, &e);
        tap_ok(bomb && status_list_decode(bomb, a, &d, &e) < 0, "an oversized (gzip bomb) list is refused");

        json_t *lc = status_list_credential("https://example.com/status/3", "did:example:issuer",
                                            "revocation", &l, "2024-01-01T00:00:00Z", a, &e);
        json_t *entry = status_list_entry("https://example.com/status/3", 94567, "revocation");
        tap_ok(entry && !strcmp(json_string_value(json_object_get(entry, "id")), "https://example.com/status/3#94567") &&
               !strcmp(json_string_value(json_object_get(entry, "statusListIndex")), "94567"),
               "status_list_entry builds the credentialStatus entry");
        int set = -1;
        rc = status_list_check(entry, lc, a, &set, &e);
        tap_ok(rc == 0 && set == 1, "entry 94567 is revoked");
        json_object_set_new(entry, "statusListIndex", json_string("94568"));
        rc = status_list_check(entry, lc, a, &set, &e);
        tap_ok(rc == 0 && set == 0, "entry 94568 is not");
        json_object_set_new(entry, "statusPurpose", json_string("suspension"));
        tap_ok(status_list_check(entry, lc, a, &set, &e) < 0, "purpose mismatch refused");
        json_object_set_new(entry, "statusPurpose", json_string("revocation"));
        json_object_set_new(entry, "statusListCredential", json_string("https://example.com/status/4"));
        tap_ok(status_list_check(entry, lc, a, &set, &e) < 0, "list id mismatch refused");
        json_object_set_new(entry, "statusListCredential", json_string("https://example.com/status/3"));
        json_object_set_new(entry, "statusListIndex", json_string("999999999"));
        tap_ok(status_list_check(entry, lc, a, &set, &e) < 0, "index out of range refused");
        json_object_set_new(entry, "statusListIndex", json_string("-1"));
        tap_ok(status_list_check(entry, lc, a, &set, &e) < 0, "negative index refused");
        json_decref(entry);
        json_decref(lc);
    }
    /* JSON-LD safe mode (jsonld_to_rdf_opts .safe, used by dataint.c): data no context defines is refused for
     * eddsa-rdfc-2022; legitimate JSON-LD features are not. */
    {
        static const char *ok_docs[] = {
            "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\",{\"ex\":\"https://ex.example/#\","
            "\"label\":{\"@id\":\"ex:label\",\"@container\":\"@language\"},"
            "\"data\":{\"@id\":\"ex:data\",\"@type\":\"@json\"},"
            "\"ref\":{\"@id\":\"ex:ref\",\"@type\":\"@id\"},"
            "\"seq\":{\"@id\":\"ex:seq\",\"@container\":\"@list\"},"
            "\"byIdx\":{\"@id\":\"ex:byIdx\",\"@container\":\"@index\"},"
            "\"n\":\"ex:n\",\"note\":{\"@id\":\"ex:note\",\"@language\":\"en\"}}],"
            "\"id\":\"urn:x:1\",\"type\":[\"VerifiableCredential\"],\"issuer\":\"did:example:i\","
            "\"label\":{\"en\":\"Hello\",\"fr\":\"Bonjour\"},\"data\":{\"a\":[1,2,{\"b\":null}]},"
            "\"ref\":\"https://ex.example/r\",\"seq\":[3,\"x\",true],\"byIdx\":{\"i1\":\"one\"},"
            "\"n\":[1.5,{\"@value\":\"2\",\"@type\":\"ex:t\"},{\"@value\":\"hi\",\"@language\":\"de\"}],"
            "\"note\":\"plain\",\"name\":null,"
            "\"credentialSubject\":{\"@context\":{\"inner\":\"ex:inner\"},\"inner\":\"v\"}}",
        };
        struct arena *sa = arena_new(0);
        for (size_t i = 0; i < sizeof ok_docs / sizeof *ok_docs; i++) {
            json_t *d = json_loads(ok_docs[i], 0, NULL);
            const char *out;
            size_t len;
            int rc = d ? di_canonicalize(d, DI_EDDSA_RDFC_2022, NULL, NULL, sa, &out, &len, &e) : -1;
            tap_ok(rc == 0, "safe mode accepts language/index/list/@json/@id containers, typed values, "
                   "scoped contexts, nulls%s%s", rc ? ": " : "", rc ? e.message : "");
            /* the same document with one undefined key nested two levels down */
            json_object_set_new(json_object_get(d, "credentialSubject"), "undefinedKey",
                                json_pack("{s:s}", "deeper", "value"));
            rc = di_canonicalize(d, DI_EDDSA_RDFC_2022, NULL, NULL, sa, &out, &len, &e);
            tap_ok(rc < 0 && !strcmp(e.code, "safe mode validation error") &&
                   strstr(e.message, "'undefinedKey'"),
                   "safe mode refuses an undefined key and names it (%s)", rc ? e.message : "accepted");
            json_decref(d);
        }
        arena_free(sa);
    }

    /* A ring of 3000 look-alike blank nodes: deep N-degree recursion must be
     * refused by the limits, not overflow the stack. */
    {
        struct arena *ra = arena_new(0);
        struct abuf b;
        abuf_init(&b, ra, 1 << 22);
        for (int i = 0; i < 3000; i++)
            abuf_printf(&b, "_:n%d <urn:p> _:n%d .\n", i, (i + 1) % 3000);
        struct rdf_dataset ds;
        rdf_dataset_init(&ds, ra);
        struct rdfc_result res;
        int rc = nquads_parse(b.data, b.len, &ds, &e);
        rc = rc ? rc : rdfc_canonicalize(&ds, NULL, ra, &res, &e);
        tap_ok(rc < 0 && !strcmp(e.code, "canon_work_limit"), "3000-node blank ring refused by the work/depth limit");
        arena_free(ra);
    }

    /* Robustness: mutated N-Quads must parse or fail cleanly (ASan watches). */
    {
        const char *seed_doc = "<urn:a> <urn:p> \"x\\u0041\\n\"@en .\n_:b0 <urn:p> _:b1 <urn:g> .\n"
                               "_:b1 <urn:p> \"1\"^^<urn:t> _:b0 .\n_:b1 <urn:q> _:b0 .\n";
        size_t n = strlen(seed_doc);
        char buf[256];
        int parsed = 0, refused = 0;
        unsigned r = 12345;
        for (int i = 0; i < 3000; i++) {
            memcpy(buf, seed_doc, n);
            for (int k = 0; k < 1 + i % 4; k++) {
                r = r * 1103515245u + 12345u;
                size_t at = (r >> 8) % n;
                r = r * 1103515245u + 12345u;
                buf[at] = "<>\"_:.@^\\ \nu0#\x80\xff"[(r >> 8) % 17];
            }
            struct arena *fa = arena_new(1 << 20);
            struct rdf_dataset ds;
            rdf_dataset_init(&ds, fa);
            struct rdfc_result res;
            if (nquads_parse(buf, n, &ds, &e) == 0) {
                parsed++;
                if (rdfc_canonicalize(&ds, NULL, fa, &res, &e) == 0) {
                    struct rdf_dataset again;
                    rdf_dataset_init(&again, fa);
                    /* canonical output parses back to the same number of quads */
                    if (nquads_parse(res.nquads, res.len, &again, &e) || again.len != ds.len)
                        refused += 100000;
                }
            } else {
                refused++;
            }
            arena_free(fa);
        }
        tap_ok(parsed > 0 && refused > 0 && refused < 100000,
               "3000 mutated N-Quads documents: %d parsed and round-tripped, %d refused cleanly", parsed, refused);
    }
    arena_free(a);
    return tap_done();
}
