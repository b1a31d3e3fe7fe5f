/*
 * handlers.h - every handler and body declaration, one source file per
 * resource; routes.c puts them in the single route table.
 */
#ifndef TB_HANDLERS_H
#define TB_HANDLERS_H

#include "http/http.h"

#define HANDLER(name) int name(struct request *r, struct response *res, struct tb_err *err)

/* h_auth.c */
HANDLER(h_login);
HANDLER(h_logout);
HANDLER(h_me_get);
HANDLER(h_me_update);
HANDLER(h_me_password);
HANDLER(h_accept_invitation);
HANDLER(h_password_reset);
HANDLER(h_password_reset_confirm);
/* Creates a single-use link for user_id and queues the mail carrying it. */
int queue_link_mail(struct request *r, int64_t user_id, int64_t org_id, const char *purpose,
                    const char *to, const char *subject, const char *intro, struct tb_err *err);
extern const struct field_spec login_fields[], me_update_fields[], me_password_fields[],
    accept_invitation_fields[], password_reset_fields[], password_reset_confirm_fields[];

/* h_orgs.c */
HANDLER(h_org_list);
HANDLER(h_org_get);
HANDLER(h_org_create);
HANDLER(h_org_update);
HANDLER(h_org_delete);
extern const struct field_spec org_create_fields[], org_update_fields[];

/* h_users.c */
HANDLER(h_user_list);
HANDLER(h_user_get);
HANDLER(h_user_update);
extern const struct field_spec user_update_fields[];

/* h_invitations.c */
HANDLER(h_invitation_create);
HANDLER(h_invitation_list);
HANDLER(h_invitation_get);
HANDLER(h_invitation_withdraw);
/* Accepts the invitation the body's token names (POST /auth/accept-invitation);
 * 1 when the token names none, so the caller can try an older kind of link. */
HANDLER(invitation_accept);
extern const struct field_spec invitation_fields[];

/* h_tokens.c */
HANDLER(h_token_list);
HANDLER(h_token_create);
HANDLER(h_token_revoke);
extern const struct field_spec token_fields[];

/* h_audit.c */
HANDLER(h_audit_list);

/* programme resources: h_companies.c, h_graduates.c, h_cohorts.c,
 * h_positions.c, h_applications.c, h_placements.c */
#define CRUD_HANDLERS(x) HANDLER(h_##x##_list); HANDLER(h_##x##_get); HANDLER(h_##x##_create); \
    HANDLER(h_##x##_update); HANDLER(h_##x##_delete); \
    extern const struct field_spec x##_create_fields[], x##_update_fields[];
CRUD_HANDLERS(company)
CRUD_HANDLERS(graduate)
CRUD_HANDLERS(cohort)
CRUD_HANDLERS(position)
CRUD_HANDLERS(application)
CRUD_HANDLERS(placement)
HANDLER(h_graduate_consent);
HANDLER(h_graduate_consent_withdraw);
HANDLER(h_graduate_cv_put);
HANDLER(h_graduate_cv_get);
HANDLER(h_graduate_export);
HANDLER(h_graduate_erase);
HANDLER(h_position_status);
HANDLER(h_application_stage);
HANDLER(h_placement_accept);
HANDLER(h_placement_plan_accept);
HANDLER(h_placement_status);
HANDLER(h_dashboard);

/* h_matching.c */
HANDLER(h_match_weights_get);
HANDLER(h_match_weights_put);
HANDLER(h_match_constraint_list);
HANDLER(h_match_constraint_create);
HANDLER(h_match_constraint_delete);
HANDLER(h_match_run_list);
HANDLER(h_match_run_get);
HANDLER(h_match_run_create);
HANDLER(h_match_run_approve);
HANDLER(h_match_run_discard);
HANDLER(h_position_shortlist);
extern const struct field_spec match_run_fields[], match_constraint_fields[], match_weight_fields[];
extern const struct field_spec consent_fields[], position_status_fields[], application_stage_fields[],
    placement_accept_fields[], placement_plan_accept_fields[], placement_status_fields[];

/* h_credentials.c */
CRUD_HANDLERS(achievement)
HANDLER(h_accreditation_list);
HANDLER(h_accreditation_create);
HANDLER(h_accreditation_delete);
HANDLER(h_issuer_keys_get);
HANDLER(h_issuer_keys_rotate);
HANDLER(h_status_list_public);
HANDLER(h_did_document);
HANDLER(h_credential_list);
HANDLER(h_credential_get);
HANDLER(h_credential_issue);
HANDLER(h_credential_revoke);
HANDLER(h_credential_suspend);
HANDLER(h_credential_reinstate);
HANDLER(h_public_verify);
HANDLER(h_credential_certificate);
HANDLER(h_public_credential);
extern const struct field_spec accreditation_create_fields[], credential_issue_fields[], credential_status_fields[];

/* h_import.c */
HANDLER(h_import);

/* h_system.c */
HANDLER(h_healthz);
HANDLER(h_openapi);
HANDLER(h_metrics);

/* h_codes.c */
HANDLER(h_codes_search);
extern const struct field_spec trade_weight_fields[];
HANDLER(h_trade_rank);
HANDLER(h_trade_weights_get);
HANDLER(h_trade_weights_put);
HANDLER(h_trade_tariffs_list);
HANDLER(h_trade_tariff_set);
HANDLER(h_trade_tariff_delete);
extern const struct field_spec export_plan_create_fields[], export_plan_update_fields[],
    export_plan_actuals_fields[];
HANDLER(h_export_plan_list);
HANDLER(h_export_plan_counts);
HANDLER(h_export_plan_create);
HANDLER(h_export_plan_get);
HANDLER(h_export_plan_update);
extern const struct field_spec export_plan_refresh_fields[];
HANDLER(h_export_plan_ranking_refresh);
extern const struct field_spec export_plan_submit_fields[];
HANDLER(h_export_plan_submit);
HANDLER(h_export_plan_actuals);
HANDLER(h_export_plan_actuals_csv);
HANDLER(h_export_plan_versions);
HANDLER(h_export_plan_version_get);
HANDLER(h_export_plan_diff);
HANDLER(h_export_plan_progress);
HANDLER(h_export_plan_pdf);
HANDLER(h_export_plan_xlsx);
HANDLER(h_fx);

/* training (issue 12): h_curricula.c */
HANDLER(h_curriculum_list);
HANDLER(h_curriculum_get);
HANDLER(h_curriculum_create);
HANDLER(h_curriculum_version_add);
HANDLER(h_curriculum_version_get);
HANDLER(h_curriculum_version_update);
HANDLER(h_curriculum_version_diff);
/* h_learning_plans.c */
HANDLER(h_me_training);
HANDLER(h_learning_plan_get);
HANDLER(h_learning_plan_create);
HANDLER(h_plan_module_get);
HANDLER(h_plan_module_update);
HANDLER(h_rating_put);
extern const struct field_spec plan_module_update_fields[], rating_fields[];
/* h_deliverables.c */
HANDLER(h_deliverable_submit);
HANDLER(h_deliverable_version_get);
HANDLER(h_deliverable_file_put);
HANDLER(h_deliverable_file_get);
HANDLER(h_deliverable_review);
HANDLER(h_review_link_create);
HANDLER(h_review_link_open);
HANDLER(h_review_link_review);
extern const struct field_spec deliverable_submit_fields[], review_fields[], review_link_fields[],
    review_link_open_fields[], review_link_review_fields[];
/* h_assessments.c */
HANDLER(h_attempt_start);
HANDLER(h_attempt_get);
HANDLER(h_attempt_submit);
HANDLER(h_attempt_grade);
extern const struct field_spec attempt_submit_fields[], attempt_grade_fields[];
/* h_progress.c */
HANDLER(h_cohort_progress);
HANDLER(h_training_counts);

/* h_todo.c (issue 17): to-do list, settings, calendar feed */
HANDLER(h_me_todo);
HANDLER(h_me_settings_get);
HANDLER(h_me_settings_update);
HANDLER(h_me_calendar_create);
HANDLER(h_me_calendar_revoke);
HANDLER(h_calendar_feed);
extern const struct field_spec me_settings_fields[];
/* the programme's integrity (issue 17) */
HANDLER(h_placement_allowance);
HANDLER(h_public_verify_holder);
extern const struct field_spec placement_allowance_fields[];
/* h_impact.c (issue 14) */
HANDLER(h_impact_baseline_get);
HANDLER(h_impact_baseline_put);
HANDLER(h_impact_cost_get);
HANDLER(h_impact_cost_put);
HANDLER(h_impact_survey_send);
HANDLER(h_impact_survey_list);
HANDLER(h_impact_survey_open);
HANDLER(h_impact_survey_answer);
HANDLER(h_impact_remind);
HANDLER(h_impact_comparison);
HANDLER(h_impact_comparison_csv);
HANDLER(h_impact_sales_csv);
HANDLER(h_impact_settings_get);
HANDLER(h_impact_settings_put);
HANDLER(h_impact_measures);
HANDLER(h_impact_report);
struct impact_opts;
int impact_query_opts(struct request *r, struct impact_opts *o, struct tb_err *err);
extern const struct field_spec impact_baseline_fields[], impact_cost_fields[], impact_survey_fields[],
    impact_survey_open_fields[], impact_survey_answer_fields[], impact_remind_fields[], impact_comparison_fields[],
    impact_settings_fields[];
/* the trade network (issue 15): h_contacts.c */
HANDLER(h_contact_list);
HANDLER(h_contact_facets);
HANDLER(h_contact_get);
HANDLER(h_contact_create);
HANDLER(h_contact_update);
HANDLER(h_contact_remove);
HANDLER(h_contact_alumnus);
HANDLER(h_contact_link_create);
HANDLER(h_contact_link_delete);
HANDLER(h_contact_paths);
HANDLER(h_network_paths);
extern const struct field_spec contact_alumnus_fields[], contact_link_fields[];   /* the contact's own: core/network/directory.h */
/* h_introductions.c */
HANDLER(h_introduction_create);
HANDLER(h_introduction_list);
HANDLER(h_introduction_get);
HANDLER(h_introduction_state);
HANDLER(h_introduction_send_link);
HANDLER(h_introduction_outcomes);
HANDLER(h_introduction_approval_list);
HANDLER(h_introduction_approval_decide);
HANDLER(h_introduction_link_open);
HANDLER(h_introduction_link_answer);
extern const struct field_spec introduction_fields[], introduction_state_fields[], introduction_approval_fields[],
    introduction_link_fields[];
/* The signed-in person's name (for introductions). h_introductions.c, for the
 * network's handlers; their workflows are in src/service/ (introductions_service.c). */
const char *net_my_name(struct request *r);
/* h_offers.c (fields: core/network/offers.h); the contact merge in h_contacts.c */
HANDLER(h_offer_list);
HANDLER(h_offer_get);
HANDLER(h_offer_create);
HANDLER(h_offer_update);
HANDLER(h_offer_matches);
HANDLER(h_offer_interest);
HANDLER(h_contact_merge);
extern const struct field_spec contact_merge_fields[];
/* h_offer_digest.c */
HANDLER(h_offer_digest_settings_get);
HANDLER(h_offer_digest_settings_put);
HANDLER(h_offer_digest_send);
HANDLER(h_offer_digest_unsubscribe);
extern const struct field_spec offer_digest_settings_fields[], offer_digest_send_fields[], offer_digest_unsubscribe_fields[];

#endif
