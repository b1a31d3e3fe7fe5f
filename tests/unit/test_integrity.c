/* The programme's integrity (issue 17): the holder's e-mail against the
 * credential's salted hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/issuing.h"

static json_t *credential_for(const char *email, const char *salt, const char *name)
{
    json_t *ach = json_pack("{s:s, s:s, s:s}", "name", "Export Trainee", "description", "d", "criteria", "c");
    struct ob3_input in = {
        .credential_id = "urn:uuid:00000000-0000-4000-8000-000000000000",
        .issuer_did = "did:web:test.local:issuers:2", .issuer_name = "ITM Sweden",
        .achievement_url = "https://test.local/achievements/1", .achievement = ach,
        .email = email, .salt = salt, .holder_name = name, .valid_from = "2026-12-01T00:00:00Z",
        .status = json_array(),
    };
    json_t *vc = ob3_credential(&in);
    json_decref(ach);
    return vc;
}

static void holder_email_matches_as_typed_and_in_any_case(void **state)
{
    (void)state;
    json_t *vc = credential_for("Pia.Placed@example.org", "0123456789abcdef0123456789abcdef", "Pia Placed");
    assert_non_null(vc);
    assert_int_equal(ob3_holder_email_check(vc, "Pia.Placed@example.org"), OB3_HOLDER_MATCH);
    assert_int_equal(ob3_holder_email_check(vc, "  Pia.Placed@example.org \n"), OB3_HOLDER_MATCH);
    /* stored in mixed case: lower case typed does not hash to it, as typed does */
    assert_int_equal(ob3_holder_email_check(vc, "pia.placed@example.org"), OB3_HOLDER_NO_MATCH);
    assert_int_equal(ob3_holder_email_check(vc, "other@example.org"), OB3_HOLDER_NO_MATCH);
    assert_int_equal(ob3_holder_email_check(vc, ""), OB3_HOLDER_NO_MATCH);
    json_decref(vc);
    vc = credential_for("pia@example.org", "0123456789abcdef0123456789abcdef", NULL);
    assert_int_equal(ob3_holder_email_check(vc, "PIA@Example.org"), OB3_HOLDER_MATCH);
    /* the salt is part of the hash: another salt, another hash */
    json_t *ids = json_object_get(json_object_get(vc, "credentialSubject"), "identifier");
    json_object_set_new(json_array_get(ids, 0), "salt", json_string("ffff"));
    assert_int_equal(ob3_holder_email_check(vc, "pia@example.org"), OB3_HOLDER_NO_MATCH);
    json_decref(vc);
}

static void holder_email_not_recorded(void **state)
{
    (void)state;
    json_t *vc = credential_for(NULL, "00", "Pia Placed");
    assert_int_equal(ob3_holder_email_check(vc, "pia@example.org"), OB3_HOLDER_NOT_RECORDED);
    json_decref(vc);
    json_t *odd = json_pack("{s:[{s:{s:s, s:s, s:b}}]}", "credentialSubject", "identifier", "identityType",
                            "emailAddress", "identityHash", "x", "hashed", 0);
    assert_int_equal(ob3_holder_email_check(odd, "pia@example.org"), OB3_HOLDER_NOT_RECORDED);
    json_decref(odd);
    assert_int_equal(ob3_holder_email_check(NULL, "pia@example.org"), OB3_HOLDER_NOT_RECORDED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(holder_email_matches_as_typed_and_in_any_case),
        cmocka_unit_test(holder_email_not_recorded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
