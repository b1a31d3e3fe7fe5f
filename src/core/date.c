/*
 * date.c - civil dates as day numbers (see date.h). Howard Hinnant's
 * days_from_civil / civil_from_days algorithms.
 */
#include "core/date.h"

#include <string.h>

int64_t tb_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void tb_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int tb_date_exists(int y, int m, int d)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

int tb_day_from_iso(const char *s, int32_t *day)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int v[3] = { 0, 0, 0 };
    for (int k = 0, part = 0; k < 10; k++) {
        if (k == 4 || k == 7) {
            part++;
            continue;
        }
        if (s[k] < '0' || s[k] > '9')
            return -1;
        v[part] = v[part] * 10 + (s[k] - '0');
    }
    if (!tb_date_exists(v[0], v[1], v[2]))
        return -1;
    *day = (int32_t)tb_days_from_civil(v[0], v[1], v[2]);
    return 0;
}

void tb_day_to_iso(int32_t day, char out[11])
{
    int y, m, d;
    tb_civil_from_days(day, &y, &m, &d);
    if (y < 0 || y > 9999)
        y = m = d = 0;     /* out of range: "0000-00-00" */
    const int parts[3] = { y, m, d };
    const int widths[3] = { 4, 2, 2 };
    int at = 0;
    for (int k = 0; k < 3; k++) {
        int v = parts[k];
        for (int t = widths[k] - 1; t >= 0; t--) {
            out[at + t] = (char)('0' + v % 10);
            v /= 10;
        }
        at += widths[k];
        if (k < 2)
            out[at++] = '-';
    }
    out[10] = '\0';
}

int tb_iso_add_months(const char *iso, int64_t n, char out[11])
{
    int32_t day;
    if (tb_day_from_iso(iso, &day) < 0 || n < -120000 || n > 120000)
        return -1;
    int y, m, d;
    tb_civil_from_days(day, &y, &m, &d);
    int64_t months = (int64_t)y * 12 + (m - 1) + n;
    if (months < 0 || months >= 10000 * 12)
        return -1;
    y = (int)(months / 12);
    m = (int)(months % 12) + 1;
    while (!tb_date_exists(y, m, d))
        d--;
    tb_day_to_iso((int32_t)tb_days_from_civil(y, m, d), out);
    return 0;
}
