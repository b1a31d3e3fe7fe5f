/*
 * statuslist.h - W3C Bitstring Status List v1.0: a bitstring of at least
 * 131072 entries (so one credential's bit does not stand out), gzip-compressed
 * and multibase base64url-encoded ('u' prefix) as `encodedList`, carried in a
 * BitstringStatusListCredential. Bit 0 is the most significant bit of byte 0.
 */
#ifndef TB_CRED_STATUSLIST_H
#define TB_CRED_STATUSLIST_H

#include <jansson.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/error.h"

#define STATUS_LIST_MIN_BITS 131072u
/* Largest list we inflate: refuses gzip bombs (16 Mbit = 2 MiB of bits). */
#define STATUS_LIST_MAX_BITS (16u << 20)

struct status_list {
    unsigned char *bits;
    size_t nbits;
};

/* nbits 0 = STATUS_LIST_MIN_BITS; smaller values are raised to the minimum
 * and every size is rounded up to whole bytes. */
int status_list_new(struct status_list *l, size_t nbits, struct arena *a, struct tb_err *err);
int status_list_set(struct status_list *l, size_t index, int value, struct tb_err *err);
int status_list_get(const struct status_list *l, size_t index);   /* 0/1, -1 out of range */

/* 'u' + base64url(gzip(bits)) */
int status_list_encode(const struct status_list *l, struct arena *a, char **out, struct tb_err *err);
int status_list_decode(const char *encoded, struct arena *a, struct status_list *l, struct tb_err *err);

/*
 * The unsigned BitstringStatusListCredential for a list (new reference):
 * id = list_id, credentialSubject.id = list_id + "#list". valid_from may be NULL.
 */
json_t *status_list_credential(const char *list_id, const char *issuer, const char *purpose,
                               const struct status_list *l, const char *valid_from,
                               struct arena *a, struct tb_err *err);

/* The credentialStatus entry a credential carries for entry `index` of the
 * list (new reference): id = list_id + "#" + index, statusListIndex as a string. */
json_t *status_list_entry(const char *list_id, size_t index, const char *purpose);

/*
 * Looks a credential's status entry (one BitstringStatusListEntry object)
 * up in a list credential: checks that statusListCredential names the list,
 * that the purposes match, and reads the bit. *is_set = 1 means the status
 * (revoked / suspended) applies. Does not check the list credential's proof.
 */
int status_list_check(const json_t *entry, const json_t *list_credential, struct arena *a,
                      int *is_set, struct tb_err *err);

#endif
