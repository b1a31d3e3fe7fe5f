/* Statement names of market selection and export plans (issue 13), included
 * inside enum stmt (stmts.h); their SQL is in stmts_market_sqlite.inc. */
    STMT_TRADE_SETTINGS_GET, STMT_TRADE_SETTINGS_PUT,
    STMT_PLAN_INSERT, STMT_PLAN_GET, STMT_PLAN_LIST, STMT_PLAN_UPDATE, STMT_PLAN_COUNTS,
    STMT_PLAN_VERSION_INSERT, STMT_PLAN_VERSIONS, STMT_PLAN_VERSION_GET,
    STMT_FX_PUT, STMT_FX_LOAD, STMT_FX_SUMMARY,
