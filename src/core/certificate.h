/*
 * certificate.h - the printable certificate of a credential: an A4 PDF
 * (cairo + pango, DejaVu fonts) with the holder, the qualification, its EQF
 * level and credits, the issuer, the date, the credential id and a QR code
 * (libqrencode) that opens the public verification page.
 */
#ifndef TB_CERTIFICATE_H
#define TB_CERTIFICATE_H

#include <stddef.h>

#include "core/error.h"

struct certificate {
    const char *holder;          /* the graduate's name */
    const char *qualification;   /* achievement name */
    const char *description;
    const char *eqf_level;       /* may be NULL */
    int credits;                 /* ECTS; < 0 when not given */
    const char *issuer;          /* operator name */
    const char *issued_on;       /* YYYY-MM-DD */
    const char *credential_id;   /* urn:uuid:... */
    const char *verify_url;      /* encoded in the QR code */
};

/* *pdf is malloc'd; the caller frees it. */
int certificate_pdf(const struct certificate *c, unsigned char **pdf, size_t *len, struct tb_err *err);

#endif
