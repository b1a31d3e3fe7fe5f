/* Statement names of market selection and export plans (issue 13), included
 * inside enum stmt (stmts.h); their SQL is in stmts_market_sqlite.inc. */
    STMT_TRADE_SETTINGS_GET, STMT_TRADE_SETTINGS_PUT,
    STMT_XPLAN_INSERT, STMT_XPLAN_GET, STMT_XPLAN_LIST, STMT_XPLAN_UPDATE, STMT_XPLAN_COUNTS,
    STMT_XPLAN_VERSION_INSERT, STMT_XPLAN_VERSIONS, STMT_XPLAN_VERSION_GET,
    STMT_FX_PUT, STMT_FX_LOAD, STMT_FX_SUMMARY,
