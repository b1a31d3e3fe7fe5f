/*
 * server.h - the HTTP server behind `tradebridge serve`.
 */
#ifndef TB_SERVER_H
#define TB_SERVER_H

#include "core/config.h"

/* Runs until SIGINT/SIGTERM; returns the process exit code. */
int http_serve(const struct config *cfg);

#endif
