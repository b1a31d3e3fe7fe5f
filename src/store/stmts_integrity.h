/* Statement names of the programme's integrity rules (issue 17), included
 * inside enum stmt (stmts.h); their SQL is in stmts_integrity.inc. */
    STMT_ALLOWANCE_PUT, STMT_ALLOWANCE_DELETE, STMT_ALLOWANCE_GET, STMT_PLACED_UNALLOWED,
