/*
 * trade_files.h - where trade data lives: a directory next to the SQLite
 * database (DB.trade/) holding one compact columnar file per (HS revision,
 * year) - HS12_2018.tbt - plus geo.tbg (GeoDist) and wdi.tbw (World Bank).
 * A file is written to a temporary name, flushed and renamed over the old
 * one, so a year is replaced atomically and a failed import leaves the stored
 * data as it was. Files are mapped read-only for ranking.
 */
#ifndef TB_STORE_TRADE_FILES_H
#define TB_STORE_TRADE_FILES_H

#include <stddef.h>

#include "core/error.h"
#include "core/trade/trade.h"

/* "DB.trade" for the database path DB; created when `create`. */
int trade_dir(char *out, size_t n, const char *db_path, int create, struct tb_err *err);

struct trade_stored {
    int revision, year;
};
/* Years stored in dir, ascending by year; returns how many (up to max), -1 on error. */
int trade_list(const char *dir, struct trade_stored *out, int max, struct tb_err *err);

/* Which import the data in dir comes from: `stamp` changes with every
 * import (16 hex digits), `latest` the newest file's time (ISO 8601 UTC);
 * -1 when nothing is stored. */
int trade_data_stamp(const char *dir, char *stamp, size_t n, char *latest, size_t ln);

int trade_write_year(const char *dir, const struct trade_year *y, struct tb_err *err);

struct trade_mapped {
    struct trade_year y;
    void *map;
    size_t len;
};
int trade_open_year(const char *dir, int revision, int year, struct trade_mapped *m,
                    struct tb_err *err);
void trade_close_year(struct trade_mapped *m);

/* The stored years within [y1, y2] (with GeoDist and World Bank tables when
 * `extras`), mapped; 404 when there is none. */
#define TRADE_MAX_YEARS 64
struct trade_set {
    int n;
    struct trade_mapped m[TRADE_MAX_YEARS];
    const struct trade_year *y[TRADE_MAX_YEARS];
    struct trade_geo geo;
    struct trade_wdi wdi;
};
int trade_set_open(const char *dir, int y1, int y2, int extras, struct trade_set *s,
                   struct tb_err *err);
void trade_set_close(struct trade_set *s);

int trade_write_geo(const char *dir, const struct trade_geo *g, struct tb_err *err);
/* 0 and an empty table when none was imported. */
int trade_read_geo(const char *dir, struct trade_geo *g, struct tb_err *err);
int trade_write_wdi(const char *dir, const struct trade_wdi *w, struct tb_err *err);
int trade_read_wdi(const char *dir, struct trade_wdi *w, struct tb_err *err);

#endif
