/*
 * pdf_doc.h - an A4 PDF written top to bottom with cairo and pango: wrapped
 * paragraphs that move to a new page when the page is full, and room for a
 * drawing (export plans, impact reports).
 */
#ifndef TB_PDF_DOC_H
#define TB_PDF_DOC_H

#include <cairo.h>
#include <stddef.h>

#include "core/error.h"

#define A4_W 595.0
#define A4_H 842.0
#define MARGIN 50.0

struct pdf_doc {
    cairo_t *cr;
    double y;                    /* where the next paragraph starts */
    cairo_surface_t *surface;
    void *bytes;                 /* GByteArray the surface writes to */
};

void pdf_begin(struct pdf_doc *d, const char *title);
/* A new page unless h more points fit on this one. */
void pdf_need(struct pdf_doc *d, double h);
/* One paragraph (plain text, not markup), wrapped to the page width. */
void pdf_text(struct pdf_doc *d, const char *t, const char *font, double gap);
/* The finished file (*pdf malloc'd); `what` names it in an error. */
int pdf_finish(struct pdf_doc *d, unsigned char **pdf, size_t *len, const char *what, struct tb_err *err);

#endif
