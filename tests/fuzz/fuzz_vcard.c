/*
 * fuzz_vcard.c - the vCard reader (POST /api/v1/import/contacts as
 * text/vcard) and writer: whatever the bytes, vcard_read() returns cleanly;
 * every card it accepts has a name and a line inside the file; writing the
 * accepted cards gives lines of at most 75 octets that read back to as many
 * cards with the same names.
 */
#include <string.h>

#include "core/network/vcard.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *cards = NULL, *errors = NULL;
    struct tb_err err = {0};
    long lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    if (vcard_read((const char *)data, size, &cards, &errors, &err) == 0) {
        json_t *fields = json_array();
        size_t i;
        json_t *c;
        json_array_foreach(cards, i, c) {
            long at = (long)json_integer_value(json_object_get(c, "line"));
            FUZZ_ASSERT(at >= 1 && at <= lines);
            FUZZ_ASSERT(json_is_string(json_object_get(json_object_get(c, "fields"), "name")));
            json_array_append(fields, json_object_get(c, "fields"));
        }
        size_t len;
        char *text = vcard_write(fields, &len);
        FUZZ_ASSERT(text && strlen(text) == len);
        for (char *l = text, *e; (e = strstr(l, "\r\n")); l = e + 2)
            FUZZ_ASSERT(e - l <= 75);
        json_t *again = NULL, *again_errors = NULL;
        if (json_array_size(fields)) {
            FUZZ_ASSERT(vcard_read(text, len, &again, &again_errors, &err) == 0);
            FUZZ_ASSERT(json_array_size(again) == json_array_size(fields));
            json_array_foreach(again, i, c) {
                json_t *name = json_object_get(json_object_get(c, "fields"), "name");
                json_t *was = json_object_get(json_array_get(fields, i), "name");
                /* a name made only of blanks and line breaks reads back shorter */
                FUZZ_ASSERT(json_equal(name, was) || strpbrk(json_string_value(was), "\r\n"));
            }
        }
        json_decref(again);
        json_decref(again_errors);
        free(text);
        json_decref(fields);
    }
    json_decref(cards);
    json_decref(errors);
    return 0;
}
