/*
 * regions.h - periphery vs metropolitan regions (issue 14): Eurostat's
 * metropolitan regions typology at NUTS 3 (data/regions/metro-regions.csv,
 * compiled in; data/regions/SOURCES.md says where it comes from).
 */
#ifndef TB_IMPACT_REGIONS_H
#define TB_IMPACT_REGIONS_H

/* The typology of a company's region, matched to the NUTS 3 code or name
 * (case and accents ignored) within its country (ISO 3166-1 alpha-2):
 * "capital", "second_tier", "smaller", "non_metro"; NULL when the region is
 * not in the table. Thread-safe (the table is built once). */
const char *impact_region_type(const char *country, const char *region);

/* "metropolitan" (any metro type), "periphery" (non_metro) or NULL. */
const char *impact_region_class(const char *country, const char *region);

#endif
