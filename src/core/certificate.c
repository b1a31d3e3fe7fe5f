/*
 * certificate.c - renders certificate.h's PDF in memory.
 */
#include "core/certificate.h"
#include "core/arena.h"
#include "core/msg.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define A4_W 595.276
#define A4_H 841.89

#define PDF_MAX ((size_t)64 << 20)   /* bytes of one certificate; far above a real one */

/* cairo's PDF stream into a heap buffer (the program's one buffer type). */
static cairo_status_t write_sink(void *closure, const unsigned char *data, unsigned int length)
{
    return abuf_append(closure, data, length) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* ---- from the signed document -------------------------------------------------------------- */

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

int certificate_from_credential(const json_t *vc, struct certificate *c, struct tb_err *err)
{
    memset(c, 0, sizeof *c);
    c->credits = -1;
    const json_t *subject = json_object_get(vc, "credentialSubject");
    if (json_is_array(subject))
        subject = json_array_get(subject, 0);
    const json_t *ach = json_object_get(subject, "achievement");
    const json_t *issuer = json_object_get(vc, "issuer");
    const char *from = str(vc, "validFrom");
    c->qualification = str(ach, "name");
    c->credential_id = str(vc, "id");
    c->issuer = json_is_string(issuer) ? json_string_value(issuer) : str(issuer, "name") ? str(issuer, "name")
                                                                                         : str(issuer, "id");
    if (!c->qualification || !c->credential_id || !c->issuer || !from || strlen(from) < 10)
        return TB_INTERNAL(err, "the credential lacks what its certificate prints");
    memcpy(c->issued_on, from, 10);
    c->description = str(ach, "description");
    const json_t *credits = json_object_get(ach, "creditsAvailable");
    if (json_is_number(credits) && json_number_value(credits) >= 0 && json_number_value(credits) < 1e6)
        c->credits = (int)json_number_value(credits);
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(ach, "alignment"), i, v) {
        const char *type = str(v, "targetType"), *name = str(v, "targetName");
        if (type && name && !strcmp(type, "ext:EQFLevel") && !strncmp(name, "EQF level ", 10) &&
            strlen(name + 10) < sizeof c->eqf_buf) {
            snprintf(c->eqf_buf, sizeof c->eqf_buf, "%s", name + 10);
            c->eqf_level = c->eqf_buf;
        }
    }
    /* OB 3.0 IdentityObject {identityType: "name", hashed: false}; older
     * credentials carry only the hashed e-mail address. */
    json_array_foreach(json_object_get(subject, "identifier"), i, v)
        if (!c->holder && json_is_false(json_object_get(v, "hashed")) && str(v, "identityType") &&
            !strcmp(str(v, "identityType"), "name"))
            c->holder = str(v, "identityHash");
    return 0;
}

/* ---- layout ------------------------------------------------------------------------------------ */

#define QR_X 60.0
#define QR_Y 650.0
#define QR_SIZE 120.0
#define TOP 90.0

struct page {
    cairo_t *cr;
    int draw;
    struct certificate_box *boxes;
    size_t n;
    int tight;              /* index into scales */
    double room;            /* set by lay_out: the description's room (< 0: the blocks above do not fit) */
};

/* Long names are set smaller rather than cut: the page above the
 * description is laid out at the first of these scales at which it fits.
 * The smallest fits any name validation lets in (200 characters) when the
 * fonts have its glyphs; the last resort, for text drawn as boxes of hex
 * digits (no font for the script, which do not shrink), gives each name
 * only a few lines, ending in an ellipsis. */
static const double scales[] = {1.0, 0.85, 0.72, 0.6, 0.5, 0.42, 0.72};
#define NSCALES (sizeof scales / sizeof scales[0])

static const char *font(char buf[48], const char *face, double size)
{
    snprintf(buf, 48, "DejaVu %s %.1f", face, size);
    return buf;
}

/* Lays out s at (x, y) in a column of width points, wrapped at words (or
 * anywhere in a word longer than the line), at most max_lines lines or, if
 * max_lines is 0, max_height points (an ellipsis marks the cut). Draws it
 * when the page is drawn, records its box, returns its height. */
static double block(struct page *p, const char *what, const char *s, const char *font, double x, double y,
                    double width, PangoAlignment align, int max_lines, double max_height, const double rgb[3])
{
    PangoLayout *layout = pango_cairo_create_layout(p->cr);
    PangoFontDescription *desc = pango_font_description_from_string(font);
    pango_layout_set_font_description(layout, desc);
    pango_font_description_free(desc);
    pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
    pango_layout_set_alignment(layout, align);
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
    pango_layout_set_height(layout, max_lines ? -max_lines : (int)(max_height * PANGO_SCALE));
    pango_layout_set_text(layout, s, -1);
    PangoRectangle logical;
    pango_layout_get_pixel_extents(layout, NULL, &logical);
    if (p->draw) {
        cairo_set_source_rgb(p->cr, rgb[0], rgb[1], rgb[2]);
        cairo_move_to(p->cr, x, y);
        pango_cairo_show_layout(p->cr, layout);
    }
    if (p->boxes && p->n < CERTIFICATE_BOXES)
        p->boxes[p->n++] = (struct certificate_box){what, x + logical.x, y + logical.y, logical.width, logical.height,
                                                    pango_layout_is_ellipsized(layout)};
    g_object_unref(layout);
    return logical.height;
}

/* One line's height in a font. */
static double line_height(cairo_t *cr, const char *font)
{
    struct page probe = {cr, 0, NULL, 0, 0, 0};
    return block(&probe, "", "X", font, 0, 0, 100, PANGO_ALIGN_LEFT, 1, 0, (const double[3]){0, 0, 0});
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

/* A text of the certificate in its language (msg.h), malloc'd; "" when out of memory. */
static char *say(const struct certificate *c, const char *key, const char *const *vars)
{
    struct abuf b;
    abuf_init_heap(&b, 1u << 16);
    msg_append(&b, c->lang, key, vars);
    char *text = abuf_take(&b);
    return text ? text : calloc(1, 1);
}

static int lay_out(struct page *p, const struct certificate *c)
{
    static const double navy[3] = {0.09, 0.20, 0.36}, black[3] = {0, 0, 0}, grey[3] = {0.25, 0.25, 0.25},
                        dark[3] = {0.2, 0.2, 0.2}, mid[3] = {0.3, 0.3, 0.3};
    const double w = A4_W - 140, x = 70;
    const PangoAlignment centre = PANGO_ALIGN_CENTER;
    /* The bottom first: the footer and the "Issued by" line above it are
     * fixed, the description gets what the blocks above leave free. */
    const double s = scales[p->tight];
    const int last = p->tight == NSCALES - 1, names = last ? 2 : 12;
    char f[48];
    char *issued = say(c, "cert.issued", (const char *const[]){"issuer", c->issuer, "date", c->issued_on, NULL});
    char *title = say(c, "cert.title", NULL), *certifies = say(c, "cert.certifies", NULL);
    char *awarded = say(c, "cert.awarded", NULL), *no_holder = say(c, "cert.no_holder", NULL);
    struct page measure = {p->cr, 0, NULL, 0, 0, 0};
    double issued_h = block(&measure, "", issued, font(f, "Sans", 11 * s), x, 0, w, centre, names, 0, black);
    double issued_y = QR_Y - 14 - issued_h;

    const double gap = 14 * s;
    double y = TOP;
    y += block(p, "issuer", c->issuer, font(f, "Sans Bold", 14 * s), x, y, w, centre, names, 0, navy) + 40 * s;
    y += block(p, "title", title ? title : "", font(f, "Serif Bold", 30 * s), x, y, w, centre, 1, 0, navy) + 2 * gap;
    y += block(p, "certifies", certifies ? certifies : "", font(f, "Serif Italic", 13 * s), x, y, w, centre, 1, 0, grey) +
         gap;
    if (c->holder)
        y += block(p, "holder", c->holder, font(f, "Serif Bold", 24 * s), x, y, w, centre, names, 0, black) + gap;
    else
        y += block(p, "holder", no_holder ? no_holder : "", font(f, "Serif Italic", 14 * s), x, y, w, centre, 2, 0, grey) +
             gap;
    y += block(p, "awarded", awarded ? awarded : "", font(f, "Serif Italic", 13 * s), x, y, w, centre, 1, 0, grey) + gap;
    y += block(p, "qualification", c->qualification, font(f, "Serif Bold", 18 * s), x, y, w, centre, last ? 3 : 12, 0, navy) +
         gap;
    char *level = NULL, credits[16];
    snprintf(credits, sizeof credits, "%d", c->credits);
    const char *const lv[] = {"level", c->eqf_level, "credits", credits, NULL};
    if (c->eqf_level && c->credits >= 0)
        level = say(c, "cert.eqf_credits", lv);
    else if (c->eqf_level)
        level = say(c, "cert.eqf", lv);
    else if (c->credits >= 0)
        level = say(c, "cert.credits", lv);
    if (level)
        y += block(p, "level", level, font(f, "Sans", 11 * s), x, y, w, centre, 2, 0, dark) + gap;
    free(level);
    free(title);
    free(certifies);
    free(awarded);
    free(no_holder);
    double room = issued_y - 12 - y;
    p->room = room;
    if (c->description && *c->description && room >= line_height(p->cr, font(f, "Sans", 10 * s)))
        block(p, "description", c->description, f, x + 20, y, w - 40, centre, 0, room, mid);
    block(p, "issued", issued, font(f, "Sans", 11 * s), x, issued_y, w, centre, names, 0, black);
    free(issued);

    if (p->draw && draw_qr(p->cr, c->verify_url, QR_X, QR_Y, QR_SIZE) < 0)
        return -1;
    if (p->boxes && p->n < CERTIFICATE_BOXES)
        p->boxes[p->n++] = (struct certificate_box){"qr", QR_X, QR_Y, QR_SIZE, QR_SIZE, 0};
    char *foot = say(c, "cert.footer", (const char *const[]){"url", c->verify_url, "id", c->credential_id, NULL});
    double fx = QR_X + QR_SIZE + 14, fy = QR_Y;
    block(p, "footer", foot, "DejaVu Sans 8", fx, fy, A4_W - CERTIFICATE_FRAME - 12 - fx, PANGO_ALIGN_LEFT, 0,
          A4_H - CERTIFICATE_FRAME - 8 - fy, grey);
    free(foot);
    return 0;
}

/* The first scale at which the blocks above the description end above the
 * "Issued by" line. Names come first: the description gets what room is
 * left, if any. */
static int tightness_for(cairo_t *cr, const struct certificate *c)
{
    for (int t = 0; t < (int)NSCALES - 1; t++) {
        struct page probe = {cr, 0, NULL, 0, t, 0};
        if (lay_out(&probe, c) == 0 && probe.room >= 0)
            return t;
    }
    return NSCALES - 1;
}

static void frame(cairo_t *cr)
{
    cairo_set_source_rgb(cr, 0.09, 0.20, 0.36);
    cairo_set_line_width(cr, 3);
    cairo_rectangle(cr, 28, 28, A4_W - 56, A4_H - 56);
    cairo_stroke(cr);
    cairo_set_line_width(cr, 0.8);
    cairo_rectangle(cr, CERTIFICATE_FRAME, CERTIFICATE_FRAME, A4_W - 2 * CERTIFICATE_FRAME,
                    A4_H - 2 * CERTIFICATE_FRAME);
    cairo_stroke(cr);
}

int certificate_layout(const struct certificate *c, struct certificate_box boxes[CERTIFICATE_BOXES], size_t *n,
                       struct tb_err *err)
{
    cairo_surface_t *surface = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, NULL);
    cairo_t *cr = cairo_create(surface);
    struct page p = {cr, 0, boxes, 0, tightness_for(cr, c), 0};
    int rc = lay_out(&p, c);
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    *n = p.n;
    return rc < 0 ? TB_INTERNAL(err, "could not lay out the certificate") : 0;
}

int certificate_pdf(const struct certificate *c, unsigned char **pdf, size_t *len, struct tb_err *err)
{
    struct abuf s;
    abuf_init_heap(&s, PDF_MAX);
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(write_sink, &s, A4_W, A4_H);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, c->qualification);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, c->issuer);
    cairo_t *cr = cairo_create(surface);
    frame(cr);
    struct page p = {cr, 1, NULL, 0, tightness_for(cr, c), 0};
    if (lay_out(&p, c) < 0) {
        cairo_destroy(cr);
        cairo_surface_destroy(surface);
        abuf_release(&s);
        return TB_INTERNAL(err, "could not encode the QR code");
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t st = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    size_t n = s.len;
    if (st != CAIRO_STATUS_SUCCESS)
        abuf_release(&s);
    char *data = st == CAIRO_STATUS_SUCCESS ? abuf_take(&s) : NULL;
    if (!data)
        return TB_INTERNAL(err, "could not render the certificate");
    *pdf = (unsigned char *)data;
    *len = n;
    return 0;
}
