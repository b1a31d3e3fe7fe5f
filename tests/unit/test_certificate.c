/* Unit tests: the certificate reads the signed credential only, and its
 * layout keeps every block apart and inside the frame whatever the length
 * of the names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/certificate.h"

#define A4_W 595.276
#define A4_H 841.89

static json_t *credential(int with_name)
{
    json_t *vc = json_loads(
        "{\"id\":\"urn:uuid:0b7c4a52-1c1e-4d57-9d4b-6f0e7a1d2c3b\",\"validFrom\":\"2026-06-30T10:00:00Z\","
        "\"issuer\":{\"id\":\"did:web:x:issuers:2\",\"type\":[\"Profile\"],\"name\":\"Export Council\"},"
        "\"credentialSubject\":{\"type\":[\"AchievementSubject\"],"
        "\"identifier\":[{\"type\":\"IdentityObject\",\"identityHash\":\"sha256$00\",\"identityType\":\"emailAddress\","
        "\"hashed\":true,\"salt\":\"s\"}],"
        "\"achievement\":{\"name\":\"Export Trainee\",\"description\":\"Twelve months of export work.\","
        "\"creditsAvailable\":30.0,\"alignment\":[{\"type\":[\"Alignment\"],\"targetName\":\"EQF level 6\","
        "\"targetUrl\":\"http://data.europa.eu/snb/eqf/6\",\"targetType\":\"ext:EQFLevel\"}]}}}",
        0, NULL);
    assert_non_null(vc);
    if (with_name)
        json_array_append_new(json_object_get(json_object_get(vc, "credentialSubject"), "identifier"),
                              json_pack("{s:s, s:s, s:s, s:b}", "type", "IdentityObject", "identityHash",
                                        "Anna Berg", "identityType", "name", "hashed", 0));
    return vc;
}

static void reads_the_signed_document(void **state)
{
    (void)state;
    struct tb_err e;
    struct certificate c;
    json_t *vc = credential(1);
    assert_int_equal(certificate_from_credential(vc, &c, &e), 0);
    assert_string_equal(c.holder, "Anna Berg");
    assert_string_equal(c.qualification, "Export Trainee");
    assert_string_equal(c.issuer, "Export Council");
    assert_string_equal(c.issued_on, "2026-06-30");
    assert_string_equal(c.eqf_level, "6");
    assert_int_equal(c.credits, 30);
    assert_string_equal(c.credential_id, "urn:uuid:0b7c4a52-1c1e-4d57-9d4b-6f0e7a1d2c3b");
    json_decref(vc);
    /* an older credential: the hashed e-mail only, no name to print */
    vc = credential(0);
    assert_int_equal(certificate_from_credential(vc, &c, &e), 0);
    assert_null(c.holder);
    json_decref(vc);
    /* a hashed name is not printed */
    vc = credential(0);
    json_array_append_new(json_object_get(json_object_get(vc, "credentialSubject"), "identifier"),
                          json_pack("{s:s, s:s, s:b}", "identityHash", "sha256$11", "identityType", "name",
                                    "hashed", 1));
    assert_int_equal(certificate_from_credential(vc, &c, &e), 0);
    assert_null(c.holder);
    json_decref(vc);
}

static void repeat(char *out, size_t n, const char *unit, const char *sep)
{
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(out, i ? sep : "");
        strcat(out, unit);
    }
}

static void check_layout(const struct certificate *c, const char *const *expected, int may_cut)
{
    struct certificate_box b[CERTIFICATE_BOXES];
    size_t n;
    struct tb_err e;
    assert_int_equal(certificate_layout(c, b, &n, &e), 0);
    for (const char *const *w = expected; *w; w++) {
        size_t i = 0;
        while (i < n && strcmp(b[i].what, *w))
            i++;
        if (i == n)
            fail_msg("no %s block on the page", *w);
    }
    for (size_t i = 0; i < n; i++) {
        if (b[i].cut && !may_cut && strcmp(b[i].what, "description"))
            fail_msg("%s is cut short", b[i].what);   /* only the description gives way */
        if (b[i].x < CERTIFICATE_FRAME || b[i].y < CERTIFICATE_FRAME || b[i].x + b[i].w > A4_W - CERTIFICATE_FRAME ||
            b[i].y + b[i].h > A4_H - CERTIFICATE_FRAME)
            fail_msg("%s (%.1f,%.1f %.1fx%.1f) is outside the frame", b[i].what, b[i].x, b[i].y, b[i].w, b[i].h);
        for (size_t j = i + 1; j < n; j++)
            if (b[i].x < b[j].x + b[j].w && b[j].x < b[i].x + b[i].w && b[i].y < b[j].y + b[j].h &&
                b[j].y < b[i].y + b[i].h)
                fail_msg("%s (y %.1f-%.1f) overlaps %s (y %.1f-%.1f)", b[i].what, b[i].y, b[i].y + b[i].h,
                         b[j].what, b[j].y, b[j].y + b[j].h);
    }
}

static void long_names_wrap_without_overlap(void **state)
{
    (void)state;
    static char issuer[2000], qualification[2000], holder[2000], description[30000], words[2000], cjk[2000];
    repeat(issuer, 20, "Exportrådet", " ");                        /* 200+ characters in words */
    repeat(qualification, 200, "\xE6\x97\xA5", "");                /* 200 CJK, no spaces */
    repeat(holder, 20, "Åsa-Britt", " ");
    repeat(description, 1000, "export", " ");
    repeat(words, 200, "W", "");                                   /* one 200-letter word */
    repeat(cjk, 200, "\xE8\xB2\xBF", "");
    struct certificate c = {.holder = holder, .qualification = qualification, .description = description,
                            .eqf_level = "8", .credits = 400, .issuer = issuer, .issued_on = "2026-06-30",
                            .credential_id = "urn:uuid:0b7c4a52-1c1e-4d57-9d4b-6f0e7a1d2c3b",
                            .verify_url = "http://127.0.0.1:8080/verify?id=0b7c4a52-1c1e-4d57-9d4b-6f0e7a1d2c3b"};
    /* the description gets the room the names leave */
    static const char *const all[] = {"issuer", "holder", "qualification", "level", "issued", "qr", "footer",
                                      NULL};
    static const char *const with_description[] = {"issuer", "holder", "qualification", "level", "description",
                                                   "issued", "qr", "footer", NULL};
    check_layout(&c, all, 0);
    c.issuer = words;
    c.qualification = words;
    c.holder = words;
    check_layout(&c, all, 0);
    /* CJK: set smaller like the rest where a font has the glyphs; where none
     * does (Debian's fonts-dejavu-core alone), pango draws boxes of hex
     * digits that do not shrink, and the names are cut instead: never
     * overlapping either way */
    c.issuer = cjk;
    c.qualification = cjk;
    c.holder = cjk;
    check_layout(&c, all, 1);
    c.holder = NULL;   /* "not recorded" line */
    c.description = "Short.";
    c.issuer = "Export Council";
    c.qualification = "Export Trainee";
    check_layout(&c, with_description, 0);
    unsigned char *pdf;
    size_t len;
    struct tb_err e;
    assert_int_equal(certificate_pdf(&c, &pdf, &len, &e), 0);
    assert_memory_equal(pdf, "%PDF-", 5);
    free(pdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_the_signed_document),
        cmocka_unit_test(long_names_wrap_without_overlap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
