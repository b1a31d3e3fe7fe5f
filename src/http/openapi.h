/*
 * openapi.h - the OpenAPI 3.1 document of the API, generated from the route
 * table and the declared fields (openapi.c).
 */
#ifndef TB_OPENAPI_H
#define TB_OPENAPI_H

/* The document as JSON text, built once; NULL when out of memory. */
const char *openapi_text(void);

#endif
