/*
 * date.h - civil dates as day numbers (days since 1970-01-01, proleptic
 * Gregorian), without timegm() so the core stays free of the TZ environment.
 * The one place the calendar arithmetic lives.
 */
#ifndef TB_CORE_DATE_H
#define TB_CORE_DATE_H

#include <stdint.h>

/* Day number of y-m-d (any m 1..12, d 1..31; no range check). */
int64_t tb_days_from_civil(int64_t y, int m, int d);
/* The date of a day number. */
void tb_civil_from_days(int64_t day, int *y, int *m, int *d);
/* 1 if y-m-d is a day of the calendar (month 1..12, day within the month). */
int tb_date_exists(int y, int m, int d);
/* "YYYY-MM-DD" (exactly ten characters, an existing date) to a day number; -1 otherwise. */
int tb_day_from_iso(const char *s, int32_t *day);
/* A day number to "YYYY-MM-DD"; years outside 0..9999 give "0000-00-00". */
void tb_day_to_iso(int32_t day, char out[11]);
/* "YYYY-MM-DD" moved by n calendar months, a day past the end of the shorter
 * month clamped to its last day (2026-08-31 + 6 = 2027-02-28, as PostgreSQL's
 * date + interval 'n months'); 0, or -1 on an invalid date or a year outside 0..9999. */
int tb_iso_add_months(const char *iso, int64_t n, char out[11]);

#endif
