/* Statement names of impact's evidence (issue 14: export-sales history from
 * CSV, applicants never placed, learning and behaviour, introductions),
 * included inside enum stmt (stmts.h); SQL in stmts_impact_evidence_sqlite.inc. */
    STMT_IMPACT_SALES_PUT, STMT_IMPACT_SALES_YEARS, STMT_IMPACT_TRAINING, STMT_IMPACT_INTRODUCTIONS,
