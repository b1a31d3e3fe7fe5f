/*
 * routes.c - the one route table: method, path, handler, roles allowed,
 * declared body. A new resource is one h_*.c file plus its rows here.
 * Roles are a set (ROLE_BIT mask): roles are kinds of people, not ranks.
 */
#include "http/handlers.h"

#define STAFF ROLES_STAFF
#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define ANY ROLES_ANY
#define PUBLIC ROLES_PUBLIC

const struct route routes[] = {
    /* operations */
    {"GET", "/healthz", h_healthz, PUBLIC, NULL, 0},
    {"GET", "/metrics", h_metrics, PUBLIC, NULL, 0},

    /* sessions and the signed-in user */
    {"POST", "/api/v1/auth/login", h_login, PUBLIC, login_fields, ROUTE_NO_CSRF},
    {"POST", "/api/v1/auth/logout", h_logout, ANY, NULL, 0},
    {"POST", "/api/v1/auth/accept-invitation", h_accept_invitation, PUBLIC, accept_invitation_fields, ROUTE_NO_CSRF},
    {"POST", "/api/v1/auth/password-reset", h_password_reset, PUBLIC, password_reset_fields, ROUTE_NO_CSRF},
    {"POST", "/api/v1/auth/password-reset/confirm", h_password_reset_confirm, PUBLIC, password_reset_confirm_fields, ROUTE_NO_CSRF},
    {"GET", "/api/v1/me", h_me_get, ANY, NULL, 0},
    {"PATCH", "/api/v1/me", h_me_update, ANY, me_update_fields, 0},
    {"POST", "/api/v1/me/password", h_me_password, ANY, me_password_fields, 0},

    /* organizations */
    {"GET", "/api/v1/orgs", h_org_list, ANY, NULL, 0},
    {"POST", "/api/v1/orgs", h_org_create, ADMIN, org_create_fields, 0},
    {"GET", "/api/v1/orgs/{id}", h_org_get, ANY, NULL, 0},
    {"PATCH", "/api/v1/orgs/{id}", h_org_update, STAFF, org_update_fields, ROUTE_PARTIAL},
    {"DELETE", "/api/v1/orgs/{id}", h_org_delete, ADMIN, NULL, 0},

    /* people */
    {"GET", "/api/v1/users", h_user_list, STAFF, NULL, 0},
    {"GET", "/api/v1/users/{id}", h_user_get, ANY, NULL, 0},
    {"PATCH", "/api/v1/users/{id}", h_user_update, STAFF, user_update_fields, ROUTE_PARTIAL},
    {"POST", "/api/v1/invitations", h_invitation_create, STAFF, invitation_fields, 0},

    /* API tokens */
    {"GET", "/api/v1/tokens", h_token_list, ANY, NULL, 0},
    {"POST", "/api/v1/tokens", h_token_create, ANY, token_fields, 0},
    {"DELETE", "/api/v1/tokens/{id}", h_token_revoke, ANY, NULL, 0},

    /* audit */
    {"GET", "/api/v1/audit", h_audit_list, STAFF, NULL, 0},

    /* code lists */
    {"GET", "/api/v1/codes/{list}", h_codes_search, PUBLIC, NULL, 0},
};

const int routes_count = (int)(sizeof routes / sizeof routes[0]);
