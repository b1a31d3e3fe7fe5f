/*
 * plan_pdf.c - an export plan as PDF (see plan.h): A4 pages laid out with
 * pango, the plan-vs-actual chart drawn with cairo (a target and an actual
 * bar per quarter, all markets together, in the chosen currency).
 */
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/market/pdf_doc.h"
#include "core/market/plan.h"

static const char *s(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static void money(char *out, size_t cap, json_int_t minor, const char *cur)
{
    int dgt = codes_currency_minor_units(cur);
    if (dgt < 0)
        dgt = 2;
    snprintf(out, cap, "%s %.*f", cur, dgt, (double)minor / pow(10, dgt));
}

static void markets(struct pdf_doc *d, const json_t *doc)
{
    size_t i, k;
    json_t *m, *line;
    char buf[1024], amount[64];
    json_array_foreach(json_object_get(doc, "markets"), i, m) {
        snprintf(buf, sizeof buf, "%s - product %s", s(m, "country"), s(m, "product"));
        pdf_text(d, buf, "Sans Bold 11", 2);
        snprintf(buf, sizeof buf, "Entry mode: %s. Incoterms 2020: %s %s.", s(m, "entry_mode"), s(m, "incoterm"),
                 s(m, "named_place"));
        pdf_text(d, buf, "Sans 9", 2);
        const json_t *p = json_object_get(m, "price_at_rule");
        if (p) {
            money(amount, sizeof amount, json_integer_value(json_object_get(p, "ex_works_minor")), s(p, "currency"));
            snprintf(buf, sizeof buf, "Price: ex works %s", amount);
            size_t n = strlen(buf);
            json_array_foreach(json_object_get(p, "seller_pays"), k, line) {
                money(amount, sizeof amount, json_integer_value(json_object_get(line, "amount_minor")), s(p, "currency"));
                n += (size_t)snprintf(buf + n, n < sizeof buf ? sizeof buf - n : 0, " + %s %s", s(line, "label"), amount);
            }
            money(amount, sizeof amount, json_integer_value(json_object_get(p, "price_minor")), s(p, "currency"));
            if (n < sizeof buf)
                snprintf(buf + n, sizeof buf - n, " = %s %s %s", amount, s(p, "rule"), s(p, "named_place"));
            pdf_text(d, buf, "Sans 9", 2);
        }
        const json_t *r = json_object_get(m, "ranking");
        if (r && *s(r, "unavailable")) {
            snprintf(buf, sizeof buf, "Ranking: none (%s)", s(r, "unavailable"));
            pdf_text(d, buf, "Sans Italic 9", 2);
        } else if (r) {
            snprintf(buf, sizeof buf, "Ranking%s%s%s: %s%s%s", *s(r, "taken_on") ? " of " : "", s(r, "taken_on"),
                     json_is_true(json_object_get(r, "data_changed")) ? ", trade data changed since" : "",
                     s(r, "rank_explanation"), *s(r, "explanation") ? "; " : "", s(r, "explanation"));
            pdf_text(d, buf, "Sans Italic 9", 2);
        }
        snprintf(buf, sizeof buf, "Rationale: %s", s(m, "rationale"));
        pdf_text(d, buf, "Sans 9", 2);
        char linked[900];
        plan_partner_contacts(m, linked, sizeof linked);
        if (*linked) {   /* from the network directory, then the free text */
            snprintf(buf, sizeof buf, "Channel partners (network directory): %s", linked);
            pdf_text(d, buf, "Sans 9", 2);
        }
        if (*s(m, "channel_partners")) {
            snprintf(buf, sizeof buf, "Channel partners: %s", s(m, "channel_partners"));
            pdf_text(d, buf, "Sans 9", 2);
        }
        d->y += 6;
    }
}

/* Grouped bars: per quarter the target (grey) and the actual (blue). */
static void chart(struct pdf_doc *d, const json_t *progress)
{
    const json_t *totals = json_object_get(progress, "totals");
    size_t n = json_array_size(totals);
    if (!n)
        return;
    const double h = 180, w = A4_W - 2 * MARGIN, left = MARGIN + 50, bottom_gap = 24;
    char buf[200];
    snprintf(buf, sizeof buf, "Plan against actual, all markets (%s; %s)", s(progress, "currency"),
             s(progress, "basis"));
    pdf_text(d, buf, "Sans Bold 10", 4);
    pdf_need(d, h + bottom_gap);
    double top = d->y, base = top + h, maxv = 1;
    size_t i;
    json_t *r;
    json_array_foreach(totals, i, r) {
        maxv = fmax(maxv, (double)json_integer_value(json_object_get(r, "target_minor")));
        maxv = fmax(maxv, (double)json_integer_value(json_object_get(r, "actual_minor")));
    }
    cairo_t *cr = d->cr;
    cairo_set_line_width(cr, 0.6);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_move_to(cr, left, top);
    cairo_line_to(cr, left, base);
    cairo_line_to(cr, MARGIN + w, base);
    cairo_stroke(cr);
    int dgt = codes_currency_minor_units(s(progress, "currency"));
    double scale = pow(10, dgt < 0 ? 2 : dgt);
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *f = pango_font_description_from_string("Sans 7");
    pango_layout_set_font_description(l, f);
    snprintf(buf, sizeof buf, "%.0f", maxv / scale);
    pango_layout_set_text(l, buf, -1);
    cairo_move_to(cr, MARGIN, top - 4);
    pango_cairo_show_layout(cr, l);
    double slot = (w - (left - MARGIN)) / (double)n, bw = fmin(18, slot / 3);
    json_array_foreach(totals, i, r) {
        double x = left + slot * (double)i + slot / 2 - bw;
        double t = (double)json_integer_value(json_object_get(r, "target_minor")) / maxv * h;
        cairo_set_source_rgb(cr, 0.70, 0.72, 0.76);
        cairo_rectangle(cr, x, base - t, bw, t);
        cairo_fill(cr);
        if (!json_is_null(json_object_get(r, "actual_minor"))) {
            double a = (double)json_integer_value(json_object_get(r, "actual_minor")) / maxv * h;
            cairo_set_source_rgb(cr, 0.09, 0.36, 0.65);
            cairo_rectangle(cr, x + bw, base - a, bw, a);
            cairo_fill(cr);
        }
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.15);
        pango_layout_set_text(l, s(r, "quarter"), -1);
        cairo_move_to(cr, x - 6, base + 4);
        pango_cairo_show_layout(cr, l);
    }
    pango_layout_set_text(l, "grey: target   blue: actual", -1);
    cairo_move_to(cr, left, base + 14);
    pango_cairo_show_layout(cr, l);
    pango_font_description_free(f);
    g_object_unref(l);
    d->y = base + bottom_gap + 8;
}

static void milestones(struct pdf_doc *d, const json_t *doc)
{
    size_t i;
    json_t *m;
    char buf[600];
    if (!json_array_size(json_object_get(doc, "milestones")))
        return;
    pdf_text(d, "Milestones", "Sans Bold 11", 2);
    json_array_foreach(json_object_get(doc, "milestones"), i, m) {
        snprintf(buf, sizeof buf, "%s %s - %s (%s)", json_is_true(json_object_get(m, "done")) ? "[done]" : "[open]",
                 s(m, "due"), s(m, "title"), s(m, "owner"));
        pdf_text(d, buf, "Sans 9", 1);
    }
    d->y += 6;
    json_int_t total = 0;
    json_array_foreach(json_object_get(doc, "budget"), i, m)
        total += json_integer_value(json_object_get(m, "amount_minor"));
    if (total) {
        char amount[64];
        money(amount, sizeof amount, total, s(doc, "currency"));
        snprintf(buf, sizeof buf, "Budget: %s in %zu item(s)", amount, json_array_size(json_object_get(doc, "budget")));
        pdf_text(d, buf, "Sans 9", 4);
    }
}

int plan_pdf(const json_t *plan, const json_t *progress, unsigned char **pdf, size_t *len,
             struct tb_err *err)
{
    struct pdf_doc d;
    pdf_begin(&d, s(plan, "title"));
    const json_t *doc = json_object_get(plan, "doc");
    char buf[600];
    pdf_text(&d, s(plan, "title"), "Sans Bold 16", 4);
    snprintf(buf, sizeof buf, "Export plan of %s - status %s - version %lld of %s - figures in %s", s(plan, "company_name"),
             s(plan, "status"), (long long)json_integer_value(json_object_get(plan, "version")), s(plan, "updated_at"),
             s(doc, "currency"));
    pdf_text(&d, buf, "Sans 9", 6);
    if (json_is_true(json_object_get(doc, "synthetic")))
        pdf_text(&d, "SYNTHETIC DEMONSTRATION DATA: the sales targets and actuals of this plan (and any ranking marked synthetic) are made up.", "Sans Bold 10", 6);
    if (progress)
        chart(&d, progress);
    pdf_text(&d, "Markets", "Sans Bold 12", 4);
    markets(&d, doc);
    milestones(&d, doc);
    return pdf_finish(&d, pdf, len, "export plan", err);
}
