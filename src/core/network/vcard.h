/*
 * vcard.h - vCard (RFC 6350, version 4.0; 3.0 read too) for the directory:
 * reading contacts from an address book export and writing them back.
 *
 * Why not a library: Debian's vCard libraries are libbelcard (C++, would
 * bring a C++ runtime and a shim into this C17 code) and libvc / libvformat
 * (vCard 2.1/3.0, unmaintained upstream). This reader is small and strict:
 * lines unfolded (CRLF or LF followed by a space or tab), property names and
 * parameters parsed (groups "item1.EMAIL" accepted, quoted parameter values),
 * value escapes (\\n \\, \\; \\\\) decoded, UTF-8 checked, every card between
 * BEGIN:VCARD and END:VCARD with a VERSION of 3.0 or 4.0. It is fuzzed
 * (tests/fuzz/fuzz_vcard.c).
 */
#ifndef TB_NETWORK_VCARD_H
#define TB_NETWORK_VCARD_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

#define VCARD_MAX_BYTES (5L * 1024 * 1024)
#define VCARD_MAX_LINE 8192    /* an unfolded content line, in bytes */
#define VCARD_MAX_CARDS 10000

/* Every card of data as a contact's fields ({kind, name, organisation, roles,
 * email, phone, city, country, languages[], tags[]}, only those present),
 * into *cards as [{"line": n, "fields": {...}}] (n: the card's BEGIN line);
 * every problem into *errors as [{"line", "field", "message"}] (a malformed
 * card is reported and left out, the others read on). -1 (400, field
 * "file") only when the file as a whole cannot be read (not UTF-8, too large,
 * no card at all). The caller owns both arrays (also on -1, when set). */
int vcard_read(const char *data, size_t len, json_t **cards, json_t **errors, struct tb_err *err);

/* Contacts (rows of the directory) as vCard 4.0 text, lines folded at 75
 * octets (never inside a UTF-8 character), CRLF; malloc'd, *len bytes. */
char *vcard_write(const json_t *contacts, size_t *len);

#endif
