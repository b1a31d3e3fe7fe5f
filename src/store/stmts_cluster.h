/* Statement names for several servers on one database (issue 18), included
 * inside enum stmt (stmts.h); their SQL is in stmts_cluster_sqlite.inc. */
    STMT_STATUS_LIST_LOCK,
    STMT_THROTTLE_CHECK, STMT_THROTTLE_HIT, STMT_THROTTLE_FORGIVE, STMT_THROTTLE_RESET, STMT_THROTTLE_PURGE,
