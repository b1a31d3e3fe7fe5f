/* Statement names of market selection and export plans (issue 13), included
 * inside enum stmt (stmts.h); their SQL is in stmts_market_sqlite.inc. */
    STMT_TRADE_SETTINGS_GET, STMT_TRADE_SETTINGS_PUT,
