/*
 * pdf_doc.c - see pdf_doc.h.
 */
#include "core/market/pdf_doc.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

static cairo_status_t to_bytes(void *closure, const unsigned char *data, unsigned int n)
{
    g_byte_array_append(closure, data, n);
    return CAIRO_STATUS_SUCCESS;
}

void pdf_begin(struct pdf_doc *d, const char *title)
{
    d->bytes = g_byte_array_new();
    d->surface = cairo_pdf_surface_create_for_stream(to_bytes, d->bytes, A4_W, A4_H);
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title);
    d->cr = cairo_create(d->surface);
    d->y = MARGIN;
}

void pdf_need(struct pdf_doc *d, double h)
{
    if (d->y + h > A4_H - MARGIN) {
        cairo_show_page(d->cr);
        d->y = MARGIN;
    }
}

void pdf_text(struct pdf_doc *d, const char *t, const char *font, double gap)
{
    PangoLayout *l = pango_cairo_create_layout(d->cr);
    PangoFontDescription *f = pango_font_description_from_string(font);
    pango_layout_set_font_description(l, f);
    pango_layout_set_width(l, (int)((A4_W - 2 * MARGIN) * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(l, t, -1);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    pdf_need(d, (double)h / PANGO_SCALE);
    cairo_set_source_rgb(d->cr, 0.1, 0.1, 0.15);
    cairo_move_to(d->cr, MARGIN, d->y);
    pango_cairo_show_layout(d->cr, l);
    d->y += (double)h / PANGO_SCALE + gap;
    pango_font_description_free(f);
    g_object_unref(l);
}

int pdf_finish(struct pdf_doc *d, unsigned char **pdf, size_t *len, const char *what, struct tb_err *err)
{
    GByteArray *bytes = d->bytes;
    cairo_destroy(d->cr);
    cairo_surface_finish(d->surface);
    cairo_status_t st = cairo_surface_status(d->surface);
    cairo_surface_destroy(d->surface);
    if (st != CAIRO_STATUS_SUCCESS) {
        g_byte_array_free(bytes, TRUE);
        return TB_INTERNAL(err, "could not render the %s", what);
    }
    *len = bytes->len;
    *pdf = malloc(bytes->len ? bytes->len : 1);
    if (*pdf)
        memcpy(*pdf, bytes->data, bytes->len);
    g_byte_array_free(bytes, TRUE);
    return *pdf ? 0 : TB_INTERNAL(err, "out of memory");
}
