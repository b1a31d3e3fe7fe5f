/*
 * impact_report.c - see impact_report.h. The PDF is laid out with the
 * export plans' page helpers (core/market/pdf_doc.h); the XLSX is one row
 * per group and measure through the list exporter's writer
 * (service/export_service.h), each row with its definition and IRIS+ id.
 */
#include "service/impact_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/market/pdf_doc.h"
#include "service/export_service.h"

/* measure key, label, IRIS+ id, definition */
static const char *const measures[][4] = {
    {"export_change", "Change in export sales", "",
     "follow-up exports minus the baseline year's exports, per company, in the report currency"},
    {"attributable_change", "Attributable change in export sales", "",
     "the change times the share the company attributes to the trainee (survey, 0-100%)"},
    {"exports_followup", "Export sales at follow-up", "PI5920", "exports in the follow-up year, per company"},
    {"jobs_created", "Jobs created (FTE)", "PI3687", "new jobs since the baseline, full-time equivalents"},
    {"jobs_maintained", "Jobs maintained (FTE)", "PI5691", "jobs kept that would otherwise be lost, FTE"},
    {"learning", "Learning (level 2): self-assessed gain", "",
     "per trainee, the mean of post minus pre self-assessed competency levels (1-4) over the competencies rated both "
     "times (training records)"},
    {"behaviour", "Behaviour (level 3): mentor's rating", "",
     "per trainee, the mean of the mentor's ratings of on-the-job competency (levels 1-4, training records)"},
};

/* The unit a measure is shown in. */
static const char *unit_of(const char *key, const char *cur)
{
    return strstr(key, "change") || strstr(key, "exports") ? cur : strstr(key, "jobs") ? "FTE" : "levels";
}

static double num(const json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *str(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* Money figures are in minor units; shown in major units of the currency. */
static double money_scale(const char *cur)
{
    int digits = codes_currency_minor_units(cur);
    return pow(10, digits < 0 ? 2 : digits);
}

static int is_money(const char *key)
{
    return strstr(key, "change") || strstr(key, "exports");
}

static void fig_text(char *buf, size_t n, const char *label, const json_t *f, int money, const char *cur)
{
    double scale = money ? money_scale(cur) : 1;
    if (!f || !json_integer_value(json_object_get(f, "n"))) {
        snprintf(buf, n, "%s: no answers (N = 0)", label);
        return;
    }
    snprintf(buf, n, "%s: mean %.1f %s (95%% CI %.1f to %.1f), median %.1f, N = %lld", label, num(f, "mean") / scale,
             money ? cur : "", num(f, "ci_low") / scale, num(f, "ci_high") / scale, num(f, "median") / scale,
             (long long)json_integer_value(json_object_get(f, "n")));
}

/* Bars of each group's mean with its interval as a whisker; suppressed or
 * empty groups leave a gap with their label. */
static void chart(struct pdf_doc *d, const json_t *groups, const char *key)
{
    size_t n = json_array_size(groups);
    if (!n)
        return;
    double h = 150, w = A4_W - 2 * MARGIN, lo = 0, hi = 0;
    pdf_need(d, h + 30);
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g) {
        const json_t *f = json_object_get(g, key);
        double a = num(f, "ci_low"), b = num(f, "ci_high"), m = num(f, "mean");
        if (!isnan(m)) {
            lo = fmin(lo, fmin(m, isnan(a) ? m : a));
            hi = fmax(hi, fmax(m, isnan(b) ? m : b));
        }
    }
    if (hi - lo <= 0)
        hi = lo + 1;
    cairo_t *cr = d->cr;
    double top = d->y, y0 = top + h * hi / (hi - lo), slot = w / (double)n;
    cairo_set_line_width(cr, 0.6);
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_move_to(cr, MARGIN, y0);
    cairo_line_to(cr, MARGIN + w, y0);
    cairo_stroke(cr);
    json_array_foreach(groups, i, g) {
        const json_t *f = json_object_get(g, key);
        double m = num(f, "mean"), x = MARGIN + slot * (double)i + slot * 0.2, bw = slot * 0.6;
        if (!isnan(m)) {
            double y = top + h * (hi - m) / (hi - lo);
            cairo_set_source_rgb(cr, 0.16, 0.40, 0.65);
            cairo_rectangle(cr, x, fmin(y, y0), bw, fabs(y0 - y));
            cairo_fill(cr);
            double a = num(f, "ci_low"), b = num(f, "ci_high");
            if (!isnan(a) && !isnan(b)) {
                cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
                double xa = x + bw / 2, ya = top + h * (hi - a) / (hi - lo), yb = top + h * (hi - b) / (hi - lo);
                cairo_move_to(cr, xa, ya);
                cairo_line_to(cr, xa, yb);
                cairo_move_to(cr, xa - 4, ya);
                cairo_line_to(cr, xa + 4, ya);
                cairo_move_to(cr, xa - 4, yb);
                cairo_line_to(cr, xa + 4, yb);
                cairo_stroke(cr);
            }
        }
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.15);
        cairo_move_to(cr, x, top + h + 12);
        cairo_set_font_size(cr, 7);
        cairo_show_text(cr, str(g, "key"));
    }
    d->y = top + h + 22;
}

/* "1234 SEK", or "-" for a missing figure (never "nan"). */
static const char *amount(char *buf, size_t n, double v, double scale, const char *unit, const char *fmt)
{
    if (isnan(v))
        return "-";
    snprintf(buf, n, fmt, v / scale, unit);
    return buf;
}

/* Mean exports of participants and of firms that applied but were never
 * placed, by year relative to each firm's base year: two lines, so a reader
 * can judge whether the trends ran parallel before the programme. */
static void trends(struct pdf_doc *d, const json_t *t, const char *cur)
{
    size_t n = json_array_size(t);
    if (n < 3)
        return;
    pdf_need(d, 200);   /* the title stays with its chart */
    pdf_text(d, "Pre-period trends: mean export sales by year around the base year (0)", "Sans Bold 11", 2);
    double h = 120, w = A4_W - 2 * MARGIN, hi = 0, scale = money_scale(cur);
    size_t i;
    json_t *y;
    json_array_foreach(t, i, y)
        hi = fmax(hi, fmax(isnan(num(y, "treated_mean")) ? 0 : num(y, "treated_mean"),
                           isnan(num(y, "comparison_mean")) ? 0 : num(y, "comparison_mean")));
    if (hi <= 0)
        hi = 1;
    pdf_need(d, h + 40);
    cairo_t *cr = d->cr;
    double top = d->y + 12, step = w / (double)(n - 1 ? n - 1 : 1);
    static const char *const series[2] = {"treated_mean", "comparison_mean"};
    static const double rgb[2][3] = {{0.16, 0.40, 0.65}, {0.80, 0.45, 0.10}};
    cairo_set_line_width(cr, 1.2);
    for (int s = 0; s < 2; s++) {
        int pen = 0;
        cairo_set_source_rgb(cr, rgb[s][0], rgb[s][1], rgb[s][2]);
        json_array_foreach(t, i, y) {
            double v = num(y, series[s]), x = MARGIN + step * (double)i, yy = top + h * (1 - v / hi);
            if (isnan(v)) {
                pen = 0;
                continue;
            }
            if (pen)
                cairo_line_to(cr, x, yy);
            else
                cairo_move_to(cr, x, yy);
            pen = 1;
        }
        cairo_stroke(cr);
    }
    /* The axis from zero, and the top's value. */
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, MARGIN, top + h);
    cairo_line_to(cr, MARGIN + w, top + h);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.15);
    cairo_set_font_size(cr, 7);
    char top_label[64];
    snprintf(top_label, sizeof top_label, "%.0f %s", hi / scale, cur);
    cairo_move_to(cr, MARGIN, top - 3);
    cairo_show_text(cr, top_label);
    json_array_foreach(t, i, y) {
        char label[16];
        snprintf(label, sizeof label, "%+lld", (long long)json_integer_value(json_object_get(y, "year")));
        cairo_move_to(cr, MARGIN + step * (double)i - 4, top + h + 12);
        cairo_show_text(cr, label);
    }
    d->y = top + h + 20;
    pdf_text(d, "Blue: participants; orange: firms that applied but were never placed.", "Sans Italic 8", 1);
    json_array_foreach(t, i, y) {
        char buf[240], a[64], b[64];
        snprintf(buf, sizeof buf, "year %+lld: participants %s (N = %lld), comparison %s (N = %lld)",
                 (long long)json_integer_value(json_object_get(y, "year")),
                 amount(a, sizeof a, num(y, "treated_mean"), scale, cur, "%.0f %s"),
                 (long long)json_integer_value(json_object_get(y, "treated_n")),
                 amount(b, sizeof b, num(y, "comparison_mean"), scale, cur, "%.0f %s"),
                 (long long)json_integer_value(json_object_get(y, "comparison_n")));
        pdf_text(d, buf, "Sans 8", 1);
    }
    d->y += 4;
}

/* Participants who started in different years: the warning, then the
 * estimate per start year beside the pooled one. */
static void staggered(struct pdf_doc *d, const json_t *st, const char *cur)
{
    if (!st)
        return;
    pdf_text(d, str(st, "warning"), "Sans Bold 9", 2);
    size_t i;
    const json_t *y;
    double scale = money_scale(cur);
    json_array_foreach(json_object_get(st, "start_years"), i, y) {
        char buf[400];
        long long year = (long long)json_integer_value(json_object_get(y, "year"));
        if (json_object_get(y, "suppressed"))
            snprintf(buf, sizeof buf, "Started %lld: suppressed (small cell)", year);
        else if (json_is_number(json_object_get(y, "estimate")))
            snprintf(buf, sizeof buf, "Started %lld: %.0f %s (95%% CI %.0f to %.0f, p = %.3f); %lld participants "
                     "against %lld matched firms", year, num(y, "estimate") / scale, cur, num(y, "ci_low") / scale,
                     num(y, "ci_high") / scale, num(y, "p"), (long long)json_integer_value(json_object_get(y, "treated")),
                     (long long)json_integer_value(json_object_get(y, "controls")));
        else
            snprintf(buf, sizeof buf, "Started %lld: no estimate (%s); %lld participants", year, str(y, "why"),
                     (long long)json_integer_value(json_object_get(y, "treated")));
        pdf_text(d, buf, "Sans 9", 1);
    }
    d->y += 4;
}

/* Respondents against non-respondents; introductions through the network. */
static void evidence(struct pdf_doc *d, const json_t *r, const char *cur)
{
    char buf[600];
    const json_t *nr = json_object_get(r, "nonresponse");
    pdf_text(d, "Who answered: respondents against non-respondents (before the survey)", "Sans Bold 11", 2);
    static const char *const sides[2][2] = {{"respondents", "Respondents"}, {"non_respondents", "Non-respondents"}};
    for (int s = 0; s < 2; s++) {
        const json_t *g = json_object_get(nr, sides[s][0]);
        if (json_object_get(g, "suppressed")) {
            snprintf(buf, sizeof buf, "%s: suppressed (small cell)", sides[s][1]);
        } else {
            const json_t *b = json_object_get(g, "baseline_exports"), *e = json_object_get(g, "employees"),
                         *m = json_object_get(g, "metropolitan");
            char share[24] = "-";
            if (!isnan(num(m, "share")))
                snprintf(share, sizeof share, "%.0f%%", 100 * num(m, "share"));
            char ba[64], em[64];
            snprintf(buf, sizeof buf, "%s: %lld firms; baseline exports mean %s (N = %lld); employees mean %s "
                     "(N = %lld); in metropolitan regions %s (N = %lld)", sides[s][1],
                     (long long)json_integer_value(json_object_get(g, "n")),
                     amount(ba, sizeof ba, num(b, "mean"), money_scale(cur), cur, "%.0f %s"),
                     (long long)json_integer_value(json_object_get(b, "n")),
                     amount(em, sizeof em, num(e, "mean"), 1, "", "%.1f%s"),
                     (long long)json_integer_value(json_object_get(e, "n")), share,
                     (long long)json_integer_value(json_object_get(m, "n")));
        }
        pdf_text(d, buf, "Sans 9", 1);
    }
    const json_t *in = json_object_get(r, "introductions");
    pdf_text(d, "Introductions through the trade network (participating companies)", "Sans Bold 11", 2);
    if (json_object_get(in, "suppressed"))
        snprintf(buf, sizeof buf, "Suppressed (small cell).");
    else
        snprintf(buf, sizeof buf, "%lld introductions asked; %lld led to a meeting, %lld to a deal started, %lld to a "
                 "deal closed.", (long long)json_integer_value(json_object_get(in, "n")),
                 (long long)json_integer_value(json_object_get(in, "meetings")),
                 (long long)json_integer_value(json_object_get(in, "deals_started")),
                 (long long)json_integer_value(json_object_get(in, "deals_closed")));
    pdf_text(d, buf, "Sans 9", 6);
}

static int render_pdf(const json_t *r, unsigned char **pdf, size_t *len, struct tb_err *err)
{
    struct pdf_doc d;
    const char *cur = str(r, "currency");
    char buf[1200];
    pdf_begin(&d, "Impact report");
    snprintf(buf, sizeof buf, "Impact report - follow-up %s, by %s, money in %s", str(r, "wave"), str(r, "group"), cur);
    pdf_text(&d, buf, "Sans Bold 15", 6);
    pdf_text(&d, str(r, "headline"), "Sans 11", 8);
    if (json_is_true(json_object_get(r, "suppressed"))) {
        snprintf(buf, sizeof buf, "Figures describing fewer than %lld firms are suppressed, and so is a second group "
                 "wherever one could be derived from the total.", (long long)json_integer_value(json_object_get(r, "min_cell")));
        pdf_text(&d, buf, "Sans Italic 9", 6);
    }
    const json_t *groups = json_object_get(r, "groups");
    for (size_t m = 0; m < sizeof measures / sizeof measures[0]; m++) {
        snprintf(buf, sizeof buf, "%s%s%s", measures[m][1], *measures[m][2] ? " - IRIS+ " : "", measures[m][2]);
        pdf_text(&d, buf, "Sans Bold 12", 2);
        pdf_text(&d, measures[m][3], "Sans Italic 8", 4);
        chart(&d, groups, measures[m][0]);
        size_t i;
        json_t *g;
        json_array_foreach(groups, i, g) {
            if (json_object_get(g, "suppressed")) {
                snprintf(buf, sizeof buf, "%s: suppressed (small cell)", str(g, "key"));
            } else {
                char label[200];
                snprintf(label, sizeof label, "%s (%lld of %lld answered)", str(g, "key"),
                         (long long)json_integer_value(json_object_get(g, "answered")),
                         (long long)json_integer_value(json_object_get(g, "placements")));
                fig_text(buf, sizeof buf, label, json_object_get(g, measures[m][0]), is_money(measures[m][0]), cur);
            }
            pdf_text(&d, buf, "Sans 9", 1);
        }
        d.y += 6;
    }
    pdf_text(&d, "Satisfaction and recommendation (companies)", "Sans Bold 12", 3);
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g) {
        if (json_object_get(g, "suppressed"))
            continue;
        const json_t *s = json_object_get(g, "satisfaction"), *n = json_object_get(g, "nps");
        snprintf(buf, sizeof buf, "%s: exceeded %lld, met %lld, below %lld (N = %lld); NPS %.0f (N = %lld); kept on "
                 "%lld of %lld", str(g, "key"), (long long)json_integer_value(json_object_get(s, "exceeded")),
                 (long long)json_integer_value(json_object_get(s, "met")),
                 (long long)json_integer_value(json_object_get(s, "below")),
                 (long long)json_integer_value(json_object_get(s, "n")), num(n, "score"),
                 (long long)json_integer_value(json_object_get(n, "n")),
                 (long long)json_integer_value(json_object_get(json_object_get(g, "retention"), "yes")),
                 (long long)json_integer_value(json_object_get(json_object_get(g, "retention"), "n")));
        pdf_text(&d, buf, "Sans 9", 1);
    }
    const json_t *c = json_object_get(r, "comparison");
    pdf_text(&d, "Comparison group", "Sans Bold 12", 3);
    if (json_is_number(json_object_get(c, "estimate")))
        snprintf(buf, sizeof buf, "Difference-in-differences of export sales: %.0f %s (95%% CI %.0f to %.0f, p = %.3f); "
                 "%lld participants against %lld matched firms. %s.", num(c, "estimate") / money_scale(cur), cur,
                 num(c, "ci_low") / money_scale(cur), num(c, "ci_high") / money_scale(cur), num(c, "p"),
                 (long long)json_integer_value(json_object_get(c, "treated")),
                 (long long)json_integer_value(json_object_get(c, "controls")), str(c, "method"));
    else
        snprintf(buf, sizeof buf, "No estimate: %s", json_object_get(c, "suppressed") ? "too few firms to publish"
                                                                                       : str(c, "why"));
    pdf_text(&d, buf, "Sans 9", 6);
    staggered(&d, json_object_get(c, "staggered"), cur);
    trends(&d, json_object_get(c, "trend_years"), cur);
    evidence(&d, r, cur);
    snprintf(buf, sizeof buf, "Conversion: %s. Intervals: %s, %lld resamples, seed %lld (same seed, same interval). "
             "Missing answers are left out and show in N, never as zero.", str(r, "conversion"), str(r, "interval"),
             (long long)json_integer_value(json_object_get(r, "resamples")),
             (long long)json_integer_value(json_object_get(r, "seed")));
    pdf_text(&d, buf, "Sans Italic 8", 2);
    return pdf_finish(&d, pdf, len, "impact report", err);
}

static int render_xlsx(const json_t *r, char **data, size_t *len, struct tb_err *err)
{
    struct export_writer *w;
    if (export_writer_new(EXPORT_XLSX, "Impact", &w, err) < 0)
        return -1;
    json_t *rows = json_array();
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(r, "groups"), i, g) {
        for (size_t m = 0; m < sizeof measures / sizeof measures[0]; m++) {
            const json_t *f = json_object_get(g, measures[m][0]);
            double scale = is_money(measures[m][0]) ? money_scale(str(r, "currency")) : 1;
            json_t *sup = json_object_get(g, "suppressed");
            json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:O}", "group", str(g, "key"), "measure", measures[m][1],
                                    "iris_id", measures[m][2], "unit", unit_of(measures[m][0], str(r, "currency")),
                                    "suppressed", sup ? sup : json_null());
            static const char *const cols[] = {"n", "mean", "median", "ci_low", "ci_high", "total"};
            for (size_t k = 0; k < 6; k++) {
                double v = num(f, cols[k]);
                json_object_set_new(row, cols[k], isnan(v) ? json_null() : json_real(k ? v / scale : v));
            }
            json_object_set_new(row, "placements", json_incref(json_object_get(g, "placements")));
            json_object_set_new(row, "answered", json_incref(json_object_get(g, "answered")));
            json_object_set_new(row, "response_rate", json_incref(json_object_get(g, "response_rate")));
            json_object_set_new(row, "definition", json_string(measures[m][3]));
            json_array_append_new(rows, row);
        }
    }
    int rc = export_writer_rows(w, rows, err);
    json_decref(rows);
    if (rc < 0) {
        export_writer_free(w);
        return -1;
    }
    return export_writer_finish(w, data, len, err);
}

int impact_report_render(const json_t *report, enum impact_format fmt, char **data, size_t *len,
                         struct tb_err *err)
{
    if (fmt == IMPACT_PDF)
        return render_pdf(report, (unsigned char **)data, len, err);
    if (fmt == IMPACT_XLSX)
        return render_xlsx(report, data, len, err);
    *data = json_dumps(report, JSON_INDENT(2));
    if (!*data)
        return TB_INTERNAL(err, "out of memory");
    *len = strlen(*data);
    char *nl = realloc(*data, *len + 2);
    if (nl) {
        nl[(*len)++] = '\n';
        nl[*len] = 0;
        *data = nl;
    }
    return 0;
}
