/*
 * import_service.h - CSV import of companies and graduates into the store, shared by
 * POST /api/v1/import/{kind} (h_import.c) and `tradebridge import` (CLI).
 */
#ifndef TB_IMPORT_SERVICE_H
#define TB_IMPORT_SERVICE_H

#include <jansson.h>
#include <stdint.h>

#include "core/csv_import.h"
#include "store/store.h"

/*
 * Parses and validates data (csv_import.c, with the API's create fields),
 * then tries every valid row inside one transaction so the database's own
 * rules (one graduate per e-mail and operator) are checked too. The
 * transaction is committed only when dry_run is 0 and no row has an error;
 * otherwise it is rolled back and nothing is written. Each created record is
 * audited like an API create (store_entity_create).
 *
 * org_id: the operator the records belong to; required for an actor across
 * tenants (the foundation admin, the CLI), else 0 or the actor's own.
 * Returns 0 with *report ({rows, valid, invalid, error_count, errors...},
 * new reference) and *ids (the created ids, new reference, empty unless
 * committed); -1 with err when the file or the request as a whole is wrong.
 */
int import_run(struct store *st, const struct tb_actor *a, enum csv_import_kind kind,
               const char *data, size_t len, int64_t org_id, int dry_run, json_t **report,
               json_t **ids, struct tb_err *err);

/* POST /api/v1/import/{companies|graduates}?dry_run=true|false[&org_id=N]
 * (h_import.c; also to be declared in handlers.h beside the others). */
#endif
