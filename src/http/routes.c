/*
 * routes.c - the one route table: method, path, handler, roles allowed,
 * declared body. A new resource is one h_*.c file plus its rows here.
 * Roles are a set (ROLE_BIT mask): roles are kinds of people, not ranks.
 */
#include "core/network/directory.h"
#include "http/handlers.h"

#define STAFF ROLES_STAFF
#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define ANY ROLES_ANY
#define PUBLIC ROLES_PUBLIC
#define COMPANY ROLE_BIT(ROLE_COMPANY)
#define TRAINEE ROLE_BIT(ROLE_TRAINEE)
#define MENTOR ROLE_BIT(ROLE_MENTOR)

const struct route routes[] = {
    /* operations */
    {"GET", "/healthz", h_healthz, PUBLIC, NULL, 0, 0},
    {"GET", "/metrics", h_metrics, PUBLIC, NULL, 0, 0},

    /* sessions and the signed-in user */
    {"POST", "/api/v1/auth/login", h_login, PUBLIC, login_fields, ROUTE_NO_CSRF, 0},
    {"POST", "/api/v1/auth/logout", h_logout, ANY, NULL, 0, 0},
    {"POST", "/api/v1/auth/accept-invitation", h_accept_invitation, PUBLIC, accept_invitation_fields, ROUTE_NO_CSRF, 0},
    {"POST", "/api/v1/auth/password-reset", h_password_reset, PUBLIC, password_reset_fields, ROUTE_NO_CSRF, 0},
    {"POST", "/api/v1/auth/password-reset/confirm", h_password_reset_confirm, PUBLIC, password_reset_confirm_fields, ROUTE_NO_CSRF, 0},
    {"GET", "/api/v1/me", h_me_get, ANY, NULL, 0, 0},
    {"PATCH", "/api/v1/me", h_me_update, ANY, me_update_fields, 0, 0},
    {"POST", "/api/v1/me/password", h_me_password, ANY, me_password_fields, 0, 0},

    /* organizations */
    {"GET", "/api/v1/orgs", h_org_list, ANY, NULL, 0, 0},
    {"POST", "/api/v1/orgs", h_org_create, ADMIN, org_create_fields, 0, 0},
    {"GET", "/api/v1/orgs/{id}", h_org_get, ANY, NULL, 0, 0},
    {"PATCH", "/api/v1/orgs/{id}", h_org_update, STAFF, org_update_fields, ROUTE_PARTIAL, 0},
    {"DELETE", "/api/v1/orgs/{id}", h_org_delete, ADMIN, NULL, 0, 0},

    /* people */
    {"GET", "/api/v1/users", h_user_list, STAFF, NULL, 0, 0},
    {"GET", "/api/v1/users/{id}", h_user_get, ANY, NULL, 0, 0},
    {"PATCH", "/api/v1/users/{id}", h_user_update, STAFF, user_update_fields, ROUTE_PARTIAL, 0},
    {"GET", "/api/v1/invitations", h_invitation_list, STAFF, NULL, 0, 0},
    {"POST", "/api/v1/invitations", h_invitation_create, STAFF, invitation_fields, 0, 0},
    {"GET", "/api/v1/invitations/{id}", h_invitation_get, STAFF, NULL, 0, 0},
    {"DELETE", "/api/v1/invitations/{id}", h_invitation_withdraw, STAFF, NULL, 0, 0},

    /* API tokens */
    {"GET", "/api/v1/tokens", h_token_list, ANY, NULL, 0, 0},
    {"POST", "/api/v1/tokens", h_token_create, ANY, token_fields, 0, 0},
    {"DELETE", "/api/v1/tokens/{id}", h_token_revoke, ANY, NULL, 0, 0},

    /* audit */
    {"GET", "/api/v1/audit", h_audit_list, STAFF, NULL, 0, 0},

    /* the programme (issue: companies, graduates, positions, applications, cohorts, placements) */
    {"GET", "/api/v1/dashboard", h_dashboard, ANY, NULL, 0, 0},
    {"GET", "/api/v1/companies", h_company_list, STAFF | COMPANY | MENTOR, NULL, 0, 0},
    {"POST", "/api/v1/companies", h_company_create, STAFF, company_create_fields, 0, 0},
    {"GET", "/api/v1/companies/{id}", h_company_get, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"PATCH", "/api/v1/companies/{id}", h_company_update, STAFF | COMPANY, company_update_fields, ROUTE_PARTIAL, 0},
    {"DELETE", "/api/v1/companies/{id}", h_company_delete, STAFF, NULL, 0, 0},

    {"GET", "/api/v1/graduates", h_graduate_list, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"POST", "/api/v1/graduates", h_graduate_create, STAFF, graduate_create_fields, 0, 0},
    {"GET", "/api/v1/graduates/{id}", h_graduate_get, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"PATCH", "/api/v1/graduates/{id}", h_graduate_update, STAFF | TRAINEE, graduate_update_fields, ROUTE_PARTIAL, 0},
    {"DELETE", "/api/v1/graduates/{id}", h_graduate_delete, STAFF, NULL, 0, 0},
    {"POST", "/api/v1/graduates/{id}/consent", h_graduate_consent, STAFF | TRAINEE, consent_fields, 0, 0},
    {"DELETE", "/api/v1/graduates/{id}/consent", h_graduate_consent_withdraw, STAFF | TRAINEE, NULL, 0, 0},
    {"PUT", "/api/v1/graduates/{id}/cv", h_graduate_cv_put, STAFF | TRAINEE, NULL, ROUTE_RAW, 5L * 1024 * 1024},
    {"GET", "/api/v1/graduates/{id}/cv", h_graduate_cv_get, STAFF | COMPANY | TRAINEE, NULL, 0, 0},
    {"GET", "/api/v1/graduates/{id}/export", h_graduate_export, STAFF | TRAINEE, NULL, 0, 0},
    {"POST", "/api/v1/graduates/{id}/erase", h_graduate_erase, STAFF, NULL, 0, 0},
    {"POST", "/api/v1/import/{kind}", h_import, STAFF, NULL, ROUTE_RAW, 5L * 1024 * 1024},

    {"GET", "/api/v1/cohorts", h_cohort_list, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"POST", "/api/v1/cohorts", h_cohort_create, STAFF, cohort_create_fields, 0, 0},
    {"GET", "/api/v1/cohorts/{id}", h_cohort_get, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"PATCH", "/api/v1/cohorts/{id}", h_cohort_update, STAFF, cohort_update_fields, ROUTE_PARTIAL, 0},
    {"DELETE", "/api/v1/cohorts/{id}", h_cohort_delete, STAFF, NULL, 0, 0},

    {"GET", "/api/v1/positions", h_position_list, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"POST", "/api/v1/positions", h_position_create, STAFF | COMPANY, position_create_fields, 0, 0},
    {"GET", "/api/v1/positions/{id}", h_position_get, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"PATCH", "/api/v1/positions/{id}", h_position_update, STAFF | COMPANY, position_update_fields, ROUTE_PARTIAL, 0},
    {"DELETE", "/api/v1/positions/{id}", h_position_delete, STAFF | COMPANY, NULL, 0, 0},
    {"POST", "/api/v1/positions/{id}/status", h_position_status, STAFF | COMPANY, position_status_fields, 0, 0},

    {"GET", "/api/v1/applications", h_application_list, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"POST", "/api/v1/applications", h_application_create, STAFF | TRAINEE, application_create_fields, 0, 0},
    {"GET", "/api/v1/applications/{id}", h_application_get, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"PATCH", "/api/v1/applications/{id}", h_application_update, STAFF | COMPANY | TRAINEE, application_update_fields, ROUTE_PARTIAL, 0},
    {"DELETE", "/api/v1/applications/{id}", h_application_delete, STAFF, NULL, 0, 0},
    {"POST", "/api/v1/applications/{id}/stage", h_application_stage, STAFF | COMPANY | TRAINEE, application_stage_fields, 0, 0},

    {"GET", "/api/v1/placements", h_placement_list, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"POST", "/api/v1/placements", h_placement_create, STAFF, placement_create_fields, 0, 0},
    {"GET", "/api/v1/placements/{id}", h_placement_get, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"PATCH", "/api/v1/placements/{id}", h_placement_update, STAFF, placement_update_fields, ROUTE_PARTIAL, 0},
    {"DELETE", "/api/v1/placements/{id}", h_placement_delete, STAFF, NULL, 0, 0},
    {"POST", "/api/v1/placements/{id}/accept", h_placement_accept, STAFF | COMPANY | TRAINEE, placement_accept_fields, 0, 0},
    {"POST", "/api/v1/placements/{id}/status", h_placement_status, STAFF, placement_status_fields, 0, 0},

    /* matching (issue: matching graduates to SMEs) */
    {"GET", "/api/v1/match-weights", h_match_weights_get, STAFF, NULL, 0, 0},
    {"PUT", "/api/v1/match-weights", h_match_weights_put, STAFF, match_weight_fields, 0, 0},
    {"GET", "/api/v1/match-constraints", h_match_constraint_list, STAFF, NULL, 0, 0},
    {"POST", "/api/v1/match-constraints", h_match_constraint_create, STAFF, match_constraint_fields, 0, 0},
    {"DELETE", "/api/v1/match-constraints/{id}", h_match_constraint_delete, STAFF, NULL, 0, 0},
    {"GET", "/api/v1/match-runs", h_match_run_list, STAFF, NULL, 0, 0},
    {"POST", "/api/v1/match-runs", h_match_run_create, STAFF, match_run_fields, 0, 0},
    {"GET", "/api/v1/match-runs/{id}", h_match_run_get, STAFF, NULL, 0, 0},
    {"POST", "/api/v1/match-runs/{id}/approve", h_match_run_approve, STAFF, NULL, 0, 0},
    {"POST", "/api/v1/match-runs/{id}/discard", h_match_run_discard, STAFF, NULL, 0, 0},
    {"GET", "/api/v1/positions/{id}/shortlist", h_position_shortlist, STAFF | COMPANY, NULL, 0, 0},

    /* the qualification (issue: Open Badges 3.0 credentials) */
    {"GET", "/api/v1/achievements", h_achievement_list, ANY, NULL, 0, 0},
    {"POST", "/api/v1/achievements", h_achievement_create, STAFF, achievement_create_fields, 0, 0},
    {"GET", "/api/v1/achievements/{id}", h_achievement_get, ANY, NULL, 0, 0},
    {"PATCH", "/api/v1/achievements/{id}", h_achievement_update, STAFF, achievement_update_fields, ROUTE_PARTIAL, 0},
    {"DELETE", "/api/v1/achievements/{id}", h_achievement_delete, STAFF, NULL, 0, 0},
    {"GET", "/api/v1/accreditations", h_accreditation_list, STAFF, NULL, 0, 0},
    {"POST", "/api/v1/accreditations", h_accreditation_create, ADMIN, accreditation_create_fields, 0, 0},
    {"DELETE", "/api/v1/accreditations/{id}", h_accreditation_delete, ADMIN, NULL, 0, 0},
    {"GET", "/api/v1/issuer-keys", h_issuer_keys_get, STAFF, NULL, 0, 0},
    {"POST", "/api/v1/issuer-keys/rotate", h_issuer_keys_rotate, STAFF, NULL, 0, 0},
    {"GET", "/api/v1/credentials", h_credential_list, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"POST", "/api/v1/credentials", h_credential_issue, STAFF, credential_issue_fields, 0, 0},
    {"GET", "/api/v1/credentials/{id}", h_credential_get, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"POST", "/api/v1/credentials/{id}/revoke", h_credential_revoke, STAFF, credential_status_fields, 0, 0},
    {"POST", "/api/v1/credentials/{id}/suspend", h_credential_suspend, STAFF, credential_status_fields, 0, 0},
    {"POST", "/api/v1/credentials/{id}/reinstate", h_credential_reinstate, STAFF, credential_status_fields, 0, 0},
    {"GET", "/api/v1/credentials/{id}/certificate.pdf", h_credential_certificate, STAFF | TRAINEE, NULL, 0, 0},
    {"GET", "/api/v1/public/credentials/{uuid}", h_public_credential, PUBLIC, NULL, 0, 0},
    {"POST", "/api/v1/public/verify", h_public_verify, PUBLIC, NULL, ROUTE_RAW | ROUTE_NO_CSRF, 1L << 20},
    {"GET", "/issuers/{id}/did.json", h_did_document, PUBLIC, NULL, 0, 0},
    {"GET", "/status/{id}/{purpose}", h_status_list_public, PUBLIC, NULL, 0, 0},

    /* training (issue 12): curricula */
    {"GET", "/api/v1/curricula", h_curriculum_list, ANY, NULL, 0, 0},
    {"POST", "/api/v1/curricula", h_curriculum_create, STAFF, NULL, ROUTE_RAW, 1L << 20},
    {"GET", "/api/v1/curricula/{id}", h_curriculum_get, ANY, NULL, 0, 0},
    {"POST", "/api/v1/curricula/{id}/versions", h_curriculum_version_add, STAFF, NULL, ROUTE_RAW, 1L << 20},
    {"GET", "/api/v1/curriculum-versions/{id}", h_curriculum_version_get, ANY, NULL, 0, 0},
    {"PATCH", "/api/v1/curriculum-versions/{id}", h_curriculum_version_update, STAFF, NULL, ROUTE_RAW, 1L << 20},
    {"GET", "/api/v1/curriculum-versions/{id}/diff", h_curriculum_version_diff, ANY, NULL, 0, 0},

    /* training (issue 12): learning plans, deliverables and reviews, tests */
    {"GET", "/api/v1/me/training", h_me_training, ANY, NULL, 0, 0},
    {"GET", "/api/v1/placements/{id}/learning-plan", h_learning_plan_get, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"POST", "/api/v1/placements/{id}/learning-plan", h_learning_plan_create, STAFF, NULL, 0, 0},
    {"PUT", "/api/v1/placements/{id}/competency-ratings", h_rating_put, STAFF | MENTOR | TRAINEE, rating_fields, 0, 0},
    {"GET", "/api/v1/plan-modules/{id}", h_plan_module_get, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"PATCH", "/api/v1/plan-modules/{id}", h_plan_module_update, STAFF | COMPANY, plan_module_update_fields, ROUTE_PARTIAL, 0},
    {"POST", "/api/v1/plan-modules/{id}/deliverable-versions", h_deliverable_submit, STAFF | TRAINEE, deliverable_submit_fields, 0, 0},
    {"POST", "/api/v1/plan-modules/{id}/attempts", h_attempt_start, TRAINEE, NULL, 0, 0},
    {"GET", "/api/v1/deliverable-versions/{id}", h_deliverable_version_get, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"PUT", "/api/v1/deliverable-versions/{id}/files", h_deliverable_file_put, STAFF | TRAINEE, NULL, ROUTE_RAW, 50L << 20},
    {"POST", "/api/v1/deliverable-versions/{id}/reviews", h_deliverable_review, STAFF | MENTOR, review_fields, 0, 0},
    {"POST", "/api/v1/deliverable-versions/{id}/review-links", h_review_link_create, STAFF | TRAINEE, review_link_fields, 0, 0},
    {"GET", "/api/v1/deliverable-files/{id}", h_deliverable_file_get, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"POST", "/api/v1/review-links/open", h_review_link_open, PUBLIC, review_link_open_fields, ROUTE_NO_CSRF, 0},
    {"POST", "/api/v1/review-links/review", h_review_link_review, PUBLIC, review_link_review_fields, ROUTE_NO_CSRF, 0},
    {"GET", "/api/v1/test-attempts/{id}", h_attempt_get, STAFF | COMPANY | MENTOR | TRAINEE, NULL, 0, 0},
    {"POST", "/api/v1/test-attempts/{id}/submit", h_attempt_submit, TRAINEE, attempt_submit_fields, 0, 0},
    {"POST", "/api/v1/test-attempts/{id}/grade", h_attempt_grade, STAFF, attempt_grade_fields, 0, 0},
    {"GET", "/api/v1/cohorts/{id}/progress", h_cohort_progress, STAFF, NULL, 0, 0},
    {"GET", "/api/v1/training/counts", h_training_counts, STAFF | ROLE_BIT(ROLE_VIEWER), NULL, 0, 0},

    /* code lists */
    {"GET", "/api/v1/codes/{list}", h_codes_search, PUBLIC, NULL, 0, 0},
    /* market selection (issue 13) */
    {"GET", "/api/v1/trade/rank", h_trade_rank, ANY, NULL, 0, 0},
    {"GET", "/api/v1/trade/weights", h_trade_weights_get, STAFF, NULL, 0, 0},
    {"PUT", "/api/v1/trade/weights", h_trade_weights_put, STAFF, trade_weight_fields, 0, 0},
    {"GET", "/api/v1/fx", h_fx, ANY, NULL, 0, 0},
    {"GET", "/api/v1/export-plan-counts", h_export_plan_counts, ANY, NULL, 0, 0},
    {"GET", "/api/v1/export-plans", h_export_plan_list, STAFF | COMPANY | TRAINEE | MENTOR, NULL, 0, 0},
    {"POST", "/api/v1/export-plans", h_export_plan_create, STAFF | TRAINEE, export_plan_create_fields, 0, 0},
    {"GET", "/api/v1/export-plans/{id}", h_export_plan_get, STAFF | COMPANY | TRAINEE | MENTOR, NULL, 0, 0},
    {"PUT", "/api/v1/export-plans/{id}", h_export_plan_update, STAFF | TRAINEE, export_plan_update_fields, 0, 0},
    {"POST", "/api/v1/export-plans/{id}/actuals", h_export_plan_actuals, STAFF | COMPANY | TRAINEE, export_plan_actuals_fields, 0, 0},
    {"POST", "/api/v1/export-plans/{id}/actuals.csv", h_export_plan_actuals_csv, STAFF | COMPANY | TRAINEE, NULL, ROUTE_RAW, 1L << 20},
    {"GET", "/api/v1/export-plans/{id}/versions", h_export_plan_versions, STAFF | COMPANY | TRAINEE | MENTOR, NULL, 0, 0},
    {"GET", "/api/v1/export-plans/{id}/versions/{id}", h_export_plan_version_get, STAFF | COMPANY | TRAINEE | MENTOR, NULL, 0, 0},
    {"GET", "/api/v1/export-plans/{id}/diff", h_export_plan_diff, STAFF | COMPANY | TRAINEE | MENTOR, NULL, 0, 0},
    {"GET", "/api/v1/export-plans/{id}/progress", h_export_plan_progress, STAFF | COMPANY | TRAINEE | MENTOR, NULL, 0, 0},
    {"GET", "/api/v1/export-plans/{id}/plan.pdf", h_export_plan_pdf, STAFF | COMPANY | TRAINEE | MENTOR, NULL, 0, 0},
    {"GET", "/api/v1/export-plans/{id}/plan.xlsx", h_export_plan_xlsx, STAFF | COMPANY | TRAINEE | MENTOR, NULL, 0, 0},
    /* the trade network (issue 15): directory, paths, introductions */
    {"GET", "/api/v1/contacts", h_contact_list, STAFF | COMPANY | TRAINEE, NULL, 0, 0},
    {"POST", "/api/v1/contacts", h_contact_create, STAFF | COMPANY | TRAINEE, contact_create_fields, 0, 0},
    {"GET", "/api/v1/contacts/facets", h_contact_facets, STAFF | COMPANY | TRAINEE, NULL, 0, 0},
    {"POST", "/api/v1/contacts/alumni", h_contact_alumnus, STAFF | TRAINEE, contact_alumnus_fields, 0, 0},
    {"GET", "/api/v1/contacts/{id}", h_contact_get, STAFF | COMPANY | TRAINEE, NULL, 0, 0},
    {"PUT", "/api/v1/contacts/{id}", h_contact_update, STAFF, contact_update_fields, 0, 0},
    {"POST", "/api/v1/contacts/{id}/remove", h_contact_remove, STAFF, NULL, 0, 0},
    {"POST", "/api/v1/contacts/{id}/links", h_contact_link_create, STAFF | COMPANY | TRAINEE, contact_link_fields, 0, 0},
    {"GET", "/api/v1/contacts/{id}/paths", h_contact_paths, STAFF | COMPANY | TRAINEE, NULL, 0, 0},
    {"DELETE", "/api/v1/contact-links/{id}", h_contact_link_delete, STAFF, NULL, 0, 0},
    {"GET", "/api/v1/network/paths", h_network_paths, STAFF | COMPANY | TRAINEE, NULL, 0, 0},
    {"GET", "/api/v1/introductions", h_introduction_list, STAFF | COMPANY | TRAINEE, NULL, 0, 0},
    {"POST", "/api/v1/introductions", h_introduction_create, STAFF | COMPANY | TRAINEE, introduction_fields, 0, 0},
    {"GET", "/api/v1/introductions/{id}", h_introduction_get, STAFF | COMPANY | TRAINEE, NULL, 0, 0},
    {"POST", "/api/v1/introductions/{id}/state", h_introduction_state, STAFF | COMPANY | TRAINEE, introduction_state_fields, 0, 0},
    {"POST", "/api/v1/introductions/{id}/send-link", h_introduction_send_link, STAFF | COMPANY | TRAINEE, NULL, 0, 0},
    {"GET", "/api/v1/introduction-outcomes", h_introduction_outcomes, STAFF | ROLE_BIT(ROLE_VIEWER), NULL, 0, 0},
    {"GET", "/api/v1/introduction-approvals", h_introduction_approval_list, STAFF, NULL, 0, 0},
    {"POST", "/api/v1/introduction-approvals/{id}", h_introduction_approval_decide, STAFF, introduction_approval_fields, 0, 0},
    {"POST", "/api/v1/introduction-links/open", h_introduction_link_open, PUBLIC, introduction_link_fields, ROUTE_NO_CSRF, 0},
    {"POST", "/api/v1/introduction-links/answer", h_introduction_link_answer, PUBLIC, introduction_link_fields, ROUTE_NO_CSRF, 0},
};

const int routes_count = (int)(sizeof routes / sizeof routes[0]);
