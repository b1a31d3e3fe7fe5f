/*
 * certificate.c - renders certificate.h's PDF in memory.
 */
#include "core/certificate.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define A4_W 595.276
#define A4_H 841.89

struct sink {
    unsigned char *data;
    size_t len, cap;
    int failed;
};

static cairo_status_t write_sink(void *closure, const unsigned char *data, unsigned int length)
{
    struct sink *s = closure;
    if (s->len + length > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 65536;
        while (cap < s->len + length)
            cap *= 2;
        unsigned char *d = realloc(s->data, cap);
        if (!d) {
            s->failed = 1;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        s->data = d;
        s->cap = cap;
    }
    memcpy(s->data + s->len, data, length);
    s->len += length;
    return CAIRO_STATUS_SUCCESS;
}

/* Centred text at y; returns the y below it. */
static double text(cairo_t *cr, const char *s, const char *font, double y, double width, double r, double g,
                   double b)
{
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoFontDescription *desc = pango_font_description_from_string(font);
    pango_layout_set_font_description(layout, desc);
    pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD);
    pango_layout_set_text(layout, s, -1);
    int w, h;
    pango_layout_get_pixel_size(layout, &w, &h);
    cairo_set_source_rgb(cr, r, g, b);
    cairo_move_to(cr, (A4_W - width) / 2, y);
    pango_cairo_show_layout(cr, layout);
    pango_font_description_free(desc);
    g_object_unref(layout);
    return y + h;
}

static int draw_qr(cairo_t *cr, const char *url, double x, double y, double size)
{
    QRcode *qr = QRcode_encodeString8bit(url, 0, QR_ECLEVEL_M);
    if (!qr)
        return -1;
    double cell = size / (qr->width + 8);   /* 4 modules of quiet zone each side */
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, size, size);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int row = 0; row < qr->width; row++)
        for (int col = 0; col < qr->width; col++)
            if (qr->data[row * qr->width + col] & 1)
                cairo_rectangle(cr, x + (col + 4) * cell, y + (row + 4) * cell, cell, cell);
    cairo_fill(cr);
    QRcode_free(qr);
    return 0;
}

int certificate_pdf(const struct certificate *c, unsigned char **pdf, size_t *len, struct tb_err *err)
{
    struct sink s = {0};
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(write_sink, &s, A4_W, A4_H);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, c->qualification);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, c->issuer);
    cairo_t *cr = cairo_create(surface);
    const double navy[3] = {0.09, 0.20, 0.36};
    /* frame */
    cairo_set_source_rgb(cr, navy[0], navy[1], navy[2]);
    cairo_set_line_width(cr, 3);
    cairo_rectangle(cr, 28, 28, A4_W - 56, A4_H - 56);
    cairo_stroke(cr);
    cairo_set_line_width(cr, 0.8);
    cairo_rectangle(cr, 36, 36, A4_W - 72, A4_H - 72);
    cairo_stroke(cr);

    double w = A4_W - 140, y = 90;
    y = text(cr, c->issuer, "DejaVu Sans Bold 14", y, w, navy[0], navy[1], navy[2]) + 40;
    y = text(cr, "CERTIFICATE", "DejaVu Serif Bold 30", y, w, navy[0], navy[1], navy[2]) + 30;
    y = text(cr, "This certifies that", "DejaVu Serif Italic 13", y, w, 0.25, 0.25, 0.25) + 14;
    y = text(cr, c->holder, "DejaVu Serif Bold 24", y, w, 0, 0, 0) + 14;
    y = text(cr, "has been awarded", "DejaVu Serif Italic 13", y, w, 0.25, 0.25, 0.25) + 14;
    y = text(cr, c->qualification, "DejaVu Serif Bold 18", y, w, navy[0], navy[1], navy[2]) + 16;
    char level[160] = "";
    if (c->eqf_level && c->credits >= 0)
        snprintf(level, sizeof level, "European Qualifications Framework level %s  ·  %d ECTS credits",
                 c->eqf_level, c->credits);
    else if (c->eqf_level)
        snprintf(level, sizeof level, "European Qualifications Framework level %s", c->eqf_level);
    else if (c->credits >= 0)
        snprintf(level, sizeof level, "%d ECTS credits", c->credits);
    if (level[0])
        y = text(cr, level, "DejaVu Sans 11", y, w, 0.2, 0.2, 0.2) + 14;
    if (c->description)
        y = text(cr, c->description, "DejaVu Sans 10", y, w - 40, 0.3, 0.3, 0.3) + 10;
    char issued[200];
    snprintf(issued, sizeof issued, "Issued by %s on %s", c->issuer, c->issued_on);
    text(cr, issued, "DejaVu Sans 11", 610, w, 0, 0, 0);

    if (draw_qr(cr, c->verify_url, 60, 660, 120) < 0) {
        cairo_destroy(cr);
        cairo_surface_destroy(surface);
        free(s.data);
        return TB_INTERNAL(err, "could not encode the QR code");
    }
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoFontDescription *desc = pango_font_description_from_string("DejaVu Sans 8.5");
    pango_layout_set_font_description(layout, desc);
    pango_layout_set_width(layout, (int)(340 * PANGO_SCALE));
    char foot[900];
    snprintf(foot, sizeof foot,
             "This certificate is a copy of a digitally signed Open Badges 3.0 credential.\n"
             "Scan the code or open the address below to check that it is genuine, "
             "who issued it, and that it has not been revoked.\n\n%s\n\nCredential id: %s",
             c->verify_url, c->credential_id);
    pango_layout_set_text(layout, foot, -1);
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    cairo_move_to(cr, 200, 672);
    pango_cairo_show_layout(cr, layout);
    pango_font_description_free(desc);
    g_object_unref(layout);

    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t st = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (st != CAIRO_STATUS_SUCCESS || s.failed) {
        free(s.data);
        return TB_INTERNAL(err, "could not render the certificate");
    }
    *pdf = s.data;
    *len = s.len;
    return 0;
}
