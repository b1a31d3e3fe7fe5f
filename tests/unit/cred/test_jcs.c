/*
 * test_jcs.c - RFC 8785 (JCS): the RFC's number table (Appendix B), its
 * property-sorting example (3.2.3) and its main example (3.2.4), written down
 * from the RFC text, plus UTF-16 key-order cases and error cases.
 */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "core/cred/jcs.h"
#include "tap.h"

static double from_bits(unsigned long long b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

static void num(unsigned long long bits, const char *want)
{
    char buf[64];
    int rc = jcs_format_number(from_bits(bits), buf, sizeof buf);
    if (!want)
        tap_ok(rc != 0, "number %016llx is refused (NaN/Infinity)", bits);
    else
        tap_ok(rc == 0 && !strcmp(buf, want), "number %016llx -> %s (got %s)", bits, want,
               rc ? "error" : buf);
}

static void canon(const char *name, const char *in, const char *want)
{
    struct arena *a = arena_new(0);
    json_error_t je;
    json_t *j = json_loads(in, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    struct abuf b;
    abuf_init(&b, a, 1 << 20);
    struct tb_err err = {0};
    int rc = j ? jcs_serialize(j, &b, &err) : -1;
    const char *got = rc ? "(error)" : abuf_cstr(&b);
    tap_ok(rc == 0 && !strcmp(got, want), "%s", name);
    if (rc || strcmp(got, want))
        printf("# got  %s\n# want %s\n", got, want);
    json_decref(j);
    arena_free(a);
}

int main(void)
{
    /* RFC 8785 Appendix B: IEEE 754 bit patterns and their JSON form. */
    num(0x0000000000000000ULL, "0");
    num(0x8000000000000000ULL, "0");
    num(0x0000000000000001ULL, "5e-324");
    num(0x8000000000000001ULL, "-5e-324");
    num(0x7fefffffffffffffULL, "1.7976931348623157e+308");
    num(0xffefffffffffffffULL, "-1.7976931348623157e+308");
    num(0x4340000000000000ULL, "9007199254740992");
    num(0xc340000000000000ULL, "-9007199254740992");
    num(0x4430000000000000ULL, "295147905179352830000");
    num(0x7fffffffffffffffULL, NULL);
    num(0x7ff0000000000000ULL, NULL);
    num(0x44b52d02c7e14af5ULL, "9.999999999999997e+22");
    num(0x44b52d02c7e14af6ULL, "1e+23");
    num(0x44b52d02c7e14af7ULL, "1.0000000000000001e+23");
    num(0x444b1ae4d6e2ef4eULL, "999999999999999700000");
    num(0x444b1ae4d6e2ef4fULL, "999999999999999900000");
    num(0x444b1ae4d6e2ef50ULL, "1e+21");
    num(0x3eb0c6f7a0b5ed8cULL, "9.999999999999997e-7");
    num(0x3eb0c6f7a0b5ed8dULL, "0.000001");
    num(0x41b3de4355555553ULL, "333333333.3333332");
    num(0x41b3de4355555554ULL, "333333333.33333325");
    num(0x41b3de4355555555ULL, "333333333.3333333");
    num(0x41b3de4355555556ULL, "333333333.3333334");
    num(0x41b3de4355555557ULL, "333333333.33333343");
    num(0xbecbf647612f3696ULL, "-0.0000033333333333333333");
    num(0x43143ff3c1cb0959ULL, "1424953923781206.2");

    /* RFC 8785 3.2.4: the main example. */
    canon("RFC 8785 3.2.4 example",
          "{\"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],"
          " \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
          " \"literals\": [null, true, false]}",
          "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
          "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    /* RFC 8785 3.2.3: property sorting by UTF-16 code units. */
    canon("RFC 8785 3.2.3 sorting example",
          "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\","
          " \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", \"1\": \"One\","
          " \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\","
          " \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}",
          "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
          "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
          "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
          "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
    /* Our own UTF-16 ordering cases: byte order would put U+FFFD before U+1F600. */
    canon("supplementary key sorts before U+E000..U+FFFF",
          "{\"\\ufffd\": 1, \"\\ud83d\\ude00\": 2, \"\\ue000\": 3, \"z\": 4}",
          "{\"z\":4,\"\xf0\x9f\x98\x80\":2,\"\xee\x80\x80\":3,\"\xef\xbf\xbd\":1}");
    canon("prefix key sorts first", "{\"ab\": 1, \"a\": 2, \"\": 3}", "{\"\":3,\"a\":2,\"ab\":1}");
    canon("nested objects sorted, arrays kept",
          "{\"b\": [3, {\"y\": 1, \"x\": 2}], \"a\": {\"d\": true, \"c\": null}}",
          "{\"a\":{\"c\":null,\"d\":true},\"b\":[3,{\"x\":2,\"y\":1}]}");
    canon("control characters escaped in lower-case hex, DEL and / kept",
          "\"\\u0001\\u001f\\u007f/\\t\\b\\f\"", "\"\\u0001\\u001f\x7f/\\t\\b\\f\"");
    canon("U+0000 inside a string", "\"a\\u0000b\"", "\"a\\u0000b\"");
    canon("integers and reals", "[0, -0.0, 1.0, 100, 1e2, -1.5e-7, 123456789012]",
          "[0,0,1,100,100,-1.5e-7,123456789012]");
    canon("large integer formatted as a double", "[18014398509481985]", "[18014398509481984]");
    return tap_done();
}
