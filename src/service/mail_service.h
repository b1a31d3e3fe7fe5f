/*
 * mailer.h - the thread that delivers the outbox through an SMTP relay
 * (libcurl) and purges expired sessions.
 */
#ifndef TB_MAIL_SERVICE_H
#define TB_MAIL_SERVICE_H

#include "core/config.h"
#include "store/store.h"

int mailer_start(const struct config *cfg);
void mailer_wake(void);
void mailer_stop(void);

/* Delivers every message due now, once; returns how many were sent.
 * Used by the thread and by `tradebridge mail flush`. */
int mailer_deliver_due(const struct config *cfg, struct store *st);

#endif
