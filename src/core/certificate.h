/*
 * certificate.h - the printable certificate of a credential: an A4 PDF
 * (cairo + pango, DejaVu fonts) with the holder, the qualification, its EQF
 * level and credits, the issuer, the date, the credential id and a QR code
 * (libqrencode) that opens the public verification page.
 *
 * Every printed value is read from the signed credential, never from the
 * records as they are today: a certificate is a copy of what was signed.
 */
#ifndef TB_CERTIFICATE_H
#define TB_CERTIFICATE_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

struct certificate {
    const char *holder;          /* the holder's name; NULL when the credential does not record it */
    const char *qualification;   /* achievement name */
    const char *description;     /* may be NULL */
    const char *eqf_level;       /* may be NULL */
    int credits;                 /* ECTS; < 0 when not given */
    const char *issuer;          /* issuer profile's name (its id when it has none) */
    char issued_on[11];          /* YYYY-MM-DD */
    const char *credential_id;   /* urn:uuid:... */
    const char *verify_url;      /* encoded in the QR code; set by the caller */
    const char *lang;            /* "en" (also when NULL) or "sv": the printed words (core/msg.h) */
    char eqf_buf[8];
};

/* What is printed in place of the name when the credential has none (older
 * credentials identify the holder by a hashed e-mail address only), in
 * English; data/i18n/server.<lang>.json "cert.no_holder" has every language. */
#define CERTIFICATE_NO_HOLDER "Holder's name not recorded in this credential"

/* Fills c from a signed OpenBadgeCredential; the strings point into vc,
 * which must outlive c. verify_url is left NULL. */
int certificate_from_credential(const json_t *vc, struct certificate *c, struct tb_err *err);

/* *pdf is malloc'd; the caller frees it. */
int certificate_pdf(const struct certificate *c, unsigned char **pdf, size_t *len, struct tb_err *err);

/* The page's text blocks and the QR code as laid out (points, origin top
 * left), for tests: none overlap and all sit inside the frame. */
struct certificate_box {
    const char *what;
    double x, y, w, h;
    int cut;   /* the text did not fit its lines and ends in an ellipsis */
};
#define CERTIFICATE_BOXES 16
#define CERTIFICATE_FRAME 36.0   /* inner frame, points from each edge */
int certificate_layout(const struct certificate *c, struct certificate_box boxes[CERTIFICATE_BOXES], size_t *n,
                       struct tb_err *err);

#endif
