/*
 * stmts_sqlite.c - the closed set of SQL statements (SQLite dialect).
 *
 * Each statement declares its scope (store.h, enum stmt_scope):
 *   TENANT  one operator's rows. The statement filters every tenant-owned
 *           table by :tenant (with ":all = 1 OR" for an elevated actor); the
 *           executor binds both from the actor and refuses to run it for an
 *           actor without a tenant.
 *   USER    people's accounts (users, sessions, their API tokens), seen
 *           through ACCOUNT_VISIBLE: themself, staff of an operator they hold
 *           a role in, or the foundation.
 *   GLOBAL("why"), SYSTEM("why")  across tenants by design, and why.
 * tests/unit/test_store.c parses every statement and checks that each
 * reference to a tenant-owned table is constrained by the tenant (or
 * correlated to a row that is); the executor (store_stmt.c) checks at run
 * time that every parameter is bound and none is named wrongly.
 */
#include "store/store.h"
#include "store/stmts.h"

#define TENANT SCOPE_TENANT, NULL
#define USER SCOPE_USER, NULL
#define GLOBAL(why) SCOPE_GLOBAL, why
#define SYSTEM(why) SCOPE_SYSTEM, why

/* Visibility of an account: the admin sees all, a person sees themself, staff
 * (:staff, bound from the actor's roles) see people who hold a role in their
 * operator; nobody else sees other people's accounts. */
#define ACCOUNT_VISIBLE(id) \
    "(:all = 1 OR " id " = :self OR (:staff = 1 AND EXISTS (SELECT 1 FROM memberships m " \
    "WHERE m.user_id = " id " AND m.org_id = :tenant)))"
#define USER_VISIBLE(u) ACCOUNT_VISIBLE(u ".id")
#define USER_COLUMNS "u.id, u.email, u.name, u.status, u.created_at, u.updated_at, u.version"
#define USER_FILTERS \
    " AND (:q IS NULL OR u.email LIKE '%' || :q_like || '%' ESCAPE '!' OR u.name LIKE '%' || :q_like || '%' ESCAPE '!')" \
    " AND (:role IS NULL OR EXISTS (SELECT 1 FROM memberships m2 WHERE m2.user_id = u.id" \
    " AND m2.role = :role AND (:all = 1 OR m2.org_id = :tenant)))" \
    " AND (:status IS NULL OR u.status = :status)"
#define ORG_COLUMNS "id, kind, name, country, parent_id, created_at, updated_at, version"
#define ORG_FILTERS " AND (:all = 1 OR id = :tenant) AND (:kind IS NULL OR kind = :kind)" \
    " AND (:q IS NULL OR name LIKE '%' || :q_like || '%' ESCAPE '!')"
#define AUDIT_COLUMNS "a.id, a.org_id, a.user_id, u.email AS user_email, a.action, a.entity, " \
    "a.entity_id, a.changes, a.at, a.client_addr"
#define AUDIT_FILTERS " AND (:all = 1 OR a.org_id = :tenant)" \
    " AND (:entity IS NULL OR a.entity = :entity) AND (:action IS NULL OR a.action = :action)" \
    " AND (:user_id IS NULL OR a.user_id = :user_id) AND (:entity_id IS NULL OR a.entity_id = :entity_id)"

static const struct store_stmt_info stmts[STMT__MAX] = {
    [STMT_HEALTH] = {"HEALTH", "SELECT count(*) FROM schema_migrations", SYSTEM("reads no tenant data")},
    [STMT_MIGRATIONS_LIST] = {"MIGRATIONS_LIST",
        "SELECT version FROM schema_migrations ORDER BY version", SYSTEM("schema bookkeeping")},
    [STMT_MIGRATION_INSERT] = {"MIGRATION_INSERT",
        "INSERT INTO schema_migrations (version, applied_at) VALUES (:version, :now)", SYSTEM("schema bookkeeping")},

    [STMT_ORG_INSERT] = {"ORG_INSERT",
        "INSERT INTO orgs (kind, name, country, parent_id, created_at, updated_at) "
        "SELECT :kind, :name, :country, :parent_id, :now, :now WHERE :all = 1", TENANT},
    [STMT_ORG_GET] = {"ORG_GET",
        "SELECT " ORG_COLUMNS " FROM orgs WHERE id = :id AND (:all = 1 OR id = :tenant)", TENANT},
    [STMT_ORG_LIST_ID] = {"ORG_LIST_ID",
        "SELECT " ORG_COLUMNS " FROM orgs WHERE id > :after_id" ORG_FILTERS
        " ORDER BY id LIMIT :limit", TENANT},
    [STMT_ORG_LIST_NAME] = {"ORG_LIST_NAME",
        "SELECT " ORG_COLUMNS " FROM orgs WHERE (name > :after_key OR (name = :after_key AND id > :after_id))"
        ORG_FILTERS " ORDER BY name, id LIMIT :limit", TENANT},
    [STMT_ORG_UPDATE] = {"ORG_UPDATE",
        "UPDATE orgs SET name = :name, country = :country, updated_at = :now, version = version + 1 "
        "WHERE id = :id AND version = :version AND (:all = 1 OR id = :tenant)", TENANT},
    [STMT_ORG_DELETE] = {"ORG_DELETE",
        "DELETE FROM orgs WHERE id = :id AND :all = 1", TENANT},
    [STMT_ORG_REFS] = {"ORG_REFS",
        "SELECT (SELECT count(*) FROM memberships WHERE org_id = :id), "
        "(SELECT count(*) FROM orgs WHERE parent_id = :id), "
        "(SELECT count(*) FROM api_tokens WHERE org_id = :id), "
        "(SELECT count(*) FROM companies WHERE org_id = :id) + (SELECT count(*) FROM graduates WHERE org_id = :id) "
        "+ (SELECT count(*) FROM cohorts WHERE org_id = :id) + (SELECT count(*) FROM credentials WHERE org_id = :id) "
        "WHERE :all = 1", TENANT},   /* the foundation's: it alone deletes organizations */
    [STMT_ORG_CATALOGUE_DELETE] = {"ORG_CATALOGUE_DELETE",
        "DELETE FROM achievements WHERE org_id = :id AND :all = 1 "
        "AND id NOT IN (SELECT achievement_id FROM credentials)", TENANT},
    [STMT_ORG_FOUNDATION] = {"ORG_FOUNDATION",
        "SELECT id FROM orgs WHERE kind = 'foundation' ORDER BY id LIMIT 1",
        GLOBAL("the foundation is the umbrella over all tenants; its id is public")},
    [STMT_ORG_BY_NAME] = {"ORG_BY_NAME", "SELECT id FROM orgs WHERE name = :name",
        GLOBAL("used by the CLI, which the server's operator runs across tenants")},

    [STMT_USER_INSERT] = {"USER_INSERT",
        "INSERT INTO users (email, name, password_hash, status, created_at, updated_at) "
        "SELECT :email, :name, :password_hash, :status, :now, :now WHERE :all = 1 OR :staff = 1", TENANT},
    [STMT_USER_AUTH_BY_EMAIL] = {"USER_AUTH_BY_EMAIL",
        "SELECT id, email, name, password_hash, status FROM users WHERE email = :email",
        GLOBAL("sign-in: finds the account by its address before anyone is known")},
    [STMT_USER_AUTH_BY_ID] = {"USER_AUTH_BY_ID",
        "SELECT id, email, name, password_hash, status FROM users WHERE id = :id",
        GLOBAL("authentication: the account behind a session, token or link just checked")},
    [STMT_USER_GET] = {"USER_GET",
        "SELECT " USER_COLUMNS " FROM users u WHERE u.id = :id AND " USER_VISIBLE("u"), USER},
    [STMT_USER_LIST_ID] = {"USER_LIST_ID",
        "SELECT " USER_COLUMNS " FROM users u WHERE u.id > :after_id AND " USER_VISIBLE("u")
        USER_FILTERS " ORDER BY u.id LIMIT :limit", USER},
    [STMT_USER_LIST_EMAIL] = {"USER_LIST_EMAIL",
        "SELECT " USER_COLUMNS " FROM users u WHERE (u.email > :after_key OR (u.email = :after_key AND u.id > :after_id)) AND "
        USER_VISIBLE("u") USER_FILTERS " ORDER BY u.email, u.id LIMIT :limit", USER},
    [STMT_USER_UPDATE] = {"USER_UPDATE",
        "UPDATE users SET name = :name, status = :status, updated_at = :now, version = version + 1 "
        "WHERE id = :id AND version = :version AND " USER_VISIBLE("users"), USER},
    [STMT_USER_SET_PASSWORD] = {"USER_SET_PASSWORD",
        "UPDATE users SET password_hash = :password_hash, "
        "status = CASE status WHEN 'invited' THEN 'active' ELSE status END, updated_at = :now, "
        "version = version + 1 WHERE id = :id AND " USER_VISIBLE("users"), USER},

    [STMT_MEMBERSHIP_INSERT] = {"MEMBERSHIP_INSERT",
        "INSERT INTO memberships (user_id, org_id, role, subject_type, subject_id, created_at) "
        "SELECT :user_id, :org_id, :role, :subject_type, :subject_id, :now "
        "WHERE :all = 1 OR :org_id = :tenant", TENANT},
    [STMT_MEMBERSHIPS_OF_USER] = {"MEMBERSHIPS_OF_USER",
        "SELECT m.org_id, o.name AS org_name, o.kind AS org_kind, m.role, m.subject_type, m.subject_id "
        "FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = :user_id "
        "ORDER BY CASE m.role WHEN 'admin' THEN 0 WHEN 'coordinator' THEN 1 ELSE 2 END, m.id",
        GLOBAL("builds the signed-in user's own actor before any tenant is known")},
    [STMT_MEMBERSHIPS_OF_USER_SCOPED] = {"MEMBERSHIPS_OF_USER_SCOPED",
        "SELECT m.id, m.org_id, o.name AS org_name, m.role, m.subject_type, m.subject_id "
        "FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = :user_id "
        "AND (:all = 1 OR m.org_id = :tenant) ORDER BY m.id", TENANT},

    [STMT_SESSION_INSERT] = {"SESSION_INSERT",
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, client_addr) "
        "VALUES (:token_hash, :user_id, :csrf, :now, :now, :client_addr)", GLOBAL("sign-in: the session of the account whose password was just checked")},
    [STMT_SESSION_GET] = {"SESSION_GET",
        "SELECT user_id, csrf_token, created_at, last_seen_at FROM sessions WHERE token_hash = :token_hash", GLOBAL("authentication: the unguessable cookie names the row")},
    [STMT_SESSION_TOUCH] = {"SESSION_TOUCH",
        "UPDATE sessions SET last_seen_at = :now WHERE token_hash = :token_hash", GLOBAL("authentication bookkeeping on the session just looked up")},
    [STMT_SESSION_DELETE] = {"SESSION_DELETE", "DELETE FROM sessions WHERE token_hash = :token_hash", GLOBAL("sign-out: the unguessable cookie names the row")},
    [STMT_SESSION_DELETE_USER] = {"SESSION_DELETE_USER", 
        "DELETE FROM sessions WHERE user_id = :user_id AND " ACCOUNT_VISIBLE(":user_id"), USER},
    [STMT_SESSION_PURGE] = {"SESSION_PURGE",
        "DELETE FROM sessions WHERE last_seen_at < :idle_before OR created_at < :created_before", SYSTEM("expiry of every session, by age")},

    [STMT_TOKEN_INSERT] = {"TOKEN_INSERT",
        "INSERT INTO api_tokens (org_id, user_id, name, token_hash, prefix, scope, created_at, expires_at) "
        "VALUES (:tenant, :self, :name, :token_hash, :prefix, :scope, :now, :expires_at)", TENANT},
    [STMT_TOKEN_LIST] = {"TOKEN_LIST",
        "SELECT id, name, prefix, scope, created_at, expires_at, last_used_at, revoked_at FROM api_tokens "
        "WHERE org_id = :tenant AND user_id = :self AND id > :after_id ORDER BY id LIMIT :limit", TENANT},
    [STMT_TOKEN_REVOKE] = {"TOKEN_REVOKE",
        "UPDATE api_tokens SET revoked_at = :now WHERE id = :id AND org_id = :tenant "
        "AND user_id = :self AND revoked_at IS NULL", TENANT},
    [STMT_TOKEN_LOOKUP] = {"TOKEN_LOOKUP",
        "SELECT t.id, t.user_id, t.scope, t.last_used_at, u.status, m.org_id, o.kind AS org_kind, m.role, "
        "m.subject_id FROM api_tokens t JOIN users u ON u.id = t.user_id "
        "LEFT JOIN memberships m ON m.user_id = t.user_id LEFT JOIN orgs o ON o.id = m.org_id "
        "WHERE t.token_hash = :token_hash AND t.revoked_at IS NULL AND t.expires_at > :now "
        "ORDER BY CASE m.role WHEN 'admin' THEN 0 WHEN 'coordinator' THEN 1 ELSE 2 END, m.id",
        GLOBAL("authentication: finds whose token this is, and the roles it acts with, before any tenant is known")},
    [STMT_TOKEN_TOUCH] = {"TOKEN_TOUCH",
        "UPDATE api_tokens SET last_used_at = :now WHERE id = :id",
        GLOBAL("authentication bookkeeping on the token just looked up")},
    [STMT_TOKENS_REVOKE_USER] = {"TOKENS_REVOKE_USER",
        "UPDATE api_tokens SET revoked_at = :now WHERE user_id = :user_id AND revoked_at IS NULL",
        GLOBAL("a new password ends every credential of the account, in every organization; run only "
               "after USER_SET_PASSWORD changed an account the actor sees")},

#define INVITATION_COLUMNS "id, org_id, email, name, role, subject_type, subject_id, invited_by, created_at, " \
    "strftime('%Y-%m-%dT%H:%M:%SZ', expires_at, 'unixepoch') AS expires_at, accepted_at, withdrawn_at, " \
    "CASE WHEN accepted_at IS NOT NULL THEN 'accepted' WHEN withdrawn_at IS NOT NULL THEN 'withdrawn' " \
    "WHEN expires_at <= :now_unix THEN 'expired' ELSE 'pending' END AS status"
    [STMT_INVITATION_INSERT] = {"INVITATION_INSERT",
        "INSERT INTO invitations (org_id, email, name, role, subject_type, subject_id, invited_by, token_hash, "
        "created_at, expires_at) SELECT :org_id, :email, :name, :role, :subject_type, :subject_id, NULLIF(:self, 0), "
        ":token_hash, :now, :expires_at WHERE :all = 1 OR :org_id = :tenant", TENANT},
    [STMT_INVITATION_GET] = {"INVITATION_GET",
        "SELECT " INVITATION_COLUMNS " FROM invitations WHERE id = :id AND (:all = 1 OR org_id = :tenant)", TENANT},
    [STMT_INVITATION_LIST] = {"INVITATION_LIST",
        "SELECT " INVITATION_COLUMNS " FROM invitations WHERE id < :before_id AND (:all = 1 OR org_id = :tenant) "
        "ORDER BY id DESC LIMIT :limit", TENANT},
    [STMT_INVITATION_WITHDRAW] = {"INVITATION_WITHDRAW",
        "UPDATE invitations SET withdrawn_at = :now WHERE id = :id AND (:all = 1 OR org_id = :tenant) "
        "AND accepted_at IS NULL AND withdrawn_at IS NULL AND expires_at > :now_unix", TENANT},
    [STMT_INVITATION_CLAIM] = {"INVITATION_CLAIM",
        "UPDATE invitations SET accepted_at = :now WHERE token_hash = :token_hash AND accepted_at IS NULL "
        "AND withdrawn_at IS NULL AND expires_at > :now_unix "
        "RETURNING id, org_id, email, name, role, subject_type, subject_id",
        GLOBAL("the invited person accepts before any tenant is known; the unguessable link names the row")},

    [STMT_USER_TOKEN_INSERT] = {"USER_TOKEN_INSERT",
        "INSERT INTO user_tokens (token_hash, user_id, purpose, expires_at) "
        "VALUES (:token_hash, :user_id, :purpose, :expires_at)", GLOBAL("a link is made for an address before anyone is signed in; it is mailed only there")},
    [STMT_USER_TOKEN_CONSUME] = {"USER_TOKEN_CONSUME",
        "UPDATE user_tokens SET used_at = :now WHERE token_hash = :token_hash AND purpose = :purpose "
        "AND used_at IS NULL AND expires_at > :now RETURNING user_id", GLOBAL("the unguessable link names the row")},

    [STMT_USER_TOKENS_DELETE_USER] = {"USER_TOKENS_DELETE_USER",
        "DELETE FROM user_tokens WHERE user_id = :user_id AND " ACCOUNT_VISIBLE(":user_id"), USER},
    [STMT_USER_TOKEN_PEEK] = {"USER_TOKEN_PEEK",
        "SELECT user_id FROM user_tokens WHERE token_hash = :token_hash AND purpose = :purpose "
        "AND used_at IS NULL AND expires_at > :now", GLOBAL("the unguessable link names the row")},
    [STMT_USER_TOKENS_REVOKE_OTHERS] = {"USER_TOKENS_REVOKE_OTHERS",
        "DELETE FROM user_tokens WHERE user_id = :user_id AND used_at IS NULL AND token_hash <> :keep",
        GLOBAL("a person has one live link: the link just made or used, which the caller holds, retires the "
               "person's other unused links")},
    [STMT_OUTBOX_INSERT] = {"OUTBOX_INSERT",
        "INSERT INTO outbox (org_id, to_addr, subject, body, created_at) "
        "SELECT :org_id, :to_addr, :subject, :body, :now_text WHERE :all = 1 OR :org_id = :tenant", TENANT},
    [STMT_OUTBOX_CLAIM] = {"OUTBOX_CLAIM",
        "UPDATE outbox SET claimed_by = :owner, claimed_until = :now + :lease "
        "WHERE id = (SELECT id FROM outbox WHERE sent_at IS NULL AND attempts < 20 AND next_attempt_at <= :now "
        "AND (claimed_until IS NULL OR claimed_until <= :now) ORDER BY id LIMIT 1) "
        "AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until <= :now) "
        "RETURNING id, to_addr, subject, body, attempts",
        SYSTEM("the delivery thread sends every operator's mail")},
    [STMT_OUTBOX_SENT] = {"OUTBOX_SENT",
        "UPDATE outbox SET sent_at = :now_text, attempts = attempts + 1, last_error = NULL, "
        "claimed_by = NULL, claimed_until = NULL WHERE id = :id AND claimed_by = :owner",
        SYSTEM("the delivery thread sends every operator's mail")},
    [STMT_OUTBOX_FAILED] = {"OUTBOX_FAILED",
        "UPDATE outbox SET attempts = attempts + 1, last_error = :error, next_attempt_at = :retry_at, "
        "claimed_by = NULL, claimed_until = NULL WHERE id = :id AND claimed_by = :owner",
        SYSTEM("the delivery thread sends every operator's mail")},

    [STMT_AUDIT_INSERT] = {"AUDIT_INSERT",
        "INSERT INTO audit_log (org_id, user_id, action, entity, entity_id, changes, at, client_addr) "
        "SELECT :org_id, NULLIF(:self, 0), :action, :entity, :entity_id, :changes, :now, :client_addr "
        "WHERE :all = 1 OR :org_id = :tenant", TENANT},
    [STMT_AUDIT_LIST_DESC] = {"AUDIT_LIST_DESC",
        "SELECT " AUDIT_COLUMNS " FROM audit_log a LEFT JOIN users u ON u.id = a.user_id "
        "WHERE a.id < :before_id" AUDIT_FILTERS " ORDER BY a.id DESC LIMIT :limit", TENANT},
    [STMT_AUDIT_LIST_ASC] = {"AUDIT_LIST_ASC",
        "SELECT " AUDIT_COLUMNS " FROM audit_log a LEFT JOIN users u ON u.id = a.user_id "
        "WHERE a.id > :after_id" AUDIT_FILTERS " ORDER BY a.id LIMIT :limit", TENANT},

#include "store/stmts_entities.inc"
#include "store/stmts_training.inc"

    [STMT_APP_EVENT_INSERT] = {"APP_EVENT_INSERT",
        "INSERT INTO application_events (org_id, application_id, from_stage, to_stage, user_id, note, at) "
        "SELECT :org_id, :application_id, :from_stage, :to_stage, NULLIF(:self, 0), :note, :now "
        "WHERE :all = 1 OR :org_id = :tenant", TENANT},
    [STMT_APP_EVENTS_LIST] = {"APP_EVENTS_LIST",
        "SELECT e.id, e.from_stage, e.to_stage, e.user_id, u.name AS user_name, e.note, e.at "
        "FROM application_events e LEFT JOIN users u ON u.id = e.user_id "
        "WHERE e.application_id = :id AND (:all = 1 OR e.org_id = :tenant) ORDER BY e.id", TENANT},
    [STMT_AGREEMENT_INSERT] = {"AGREEMENT_INSERT",
        "INSERT INTO agreement_acceptances (org_id, placement_id, party, user_id, terms_hash, at, client_addr) "
        "SELECT :org_id, :placement_id, :party, :self, :terms_hash, :now, :client_addr "
        "WHERE :all = 1 OR :org_id = :tenant", TENANT},
    [STMT_AGREEMENT_LIST] = {"AGREEMENT_LIST",
        "SELECT x.party, x.user_id, u.name AS user_name, x.terms_hash, x.at, x.client_addr "
        "FROM agreement_acceptances x LEFT JOIN users u ON u.id = x.user_id "
        "WHERE x.placement_id = :id AND (:all = 1 OR x.org_id = :tenant) ORDER BY x.id", TENANT},
    [STMT_AGREEMENT_CLEAR] = {"AGREEMENT_CLEAR",
        "DELETE FROM agreement_acceptances WHERE placement_id = :id AND (:all = 1 OR org_id = :tenant)", TENANT},
    [STMT_CV_PUT] = {"CV_PUT",
        "INSERT INTO cv_files (graduate_id, org_id, content, sha256, uploaded_at) "
        "SELECT :graduate_id, :org_id, :content, :sha256, :now WHERE :all = 1 OR :org_id = :tenant "
        "ON CONFLICT (graduate_id) DO UPDATE SET content = excluded.content, sha256 = excluded.sha256, "
        "uploaded_at = excluded.uploaded_at", TENANT},
    [STMT_CV_GET] = {"CV_GET",
        "SELECT content, sha256 FROM cv_files WHERE graduate_id = :graduate_id AND (:all = 1 OR org_id = :tenant)", TENANT},
    [STMT_MATCH_SETTINGS_GET] = {"MATCH_SETTINGS_GET",
        "SELECT weights, updated_at FROM match_settings WHERE org_id = :org_id AND (:all = 1 OR org_id = :tenant)", TENANT},
    [STMT_MATCH_SETTINGS_PUT] = {"MATCH_SETTINGS_PUT",
        "INSERT INTO match_settings (org_id, weights, updated_at) SELECT :org_id, :weights, :now "
        "WHERE :all = 1 OR :org_id = :tenant "
        "ON CONFLICT (org_id) DO UPDATE SET weights = excluded.weights, updated_at = excluded.updated_at", TENANT},
    [STMT_ISSUER_KEY_INSERT] = {"ISSUER_KEY_INSERT",
        "INSERT INTO issuer_keys (org_id, public_key, sealed_secret, created_at) "
        "SELECT :org_id, :public_key, :sealed_secret, :now WHERE :all = 1 OR :org_id = :tenant", TENANT},
    [STMT_ISSUER_KEYS_PUBLIC] = {"ISSUER_KEYS_PUBLIC",
        "SELECT id, public_key, created_at, retired_at FROM issuer_keys WHERE org_id = :org_id ORDER BY id",
        GLOBAL("public keys of issuers are published in their DID documents")},
    [STMT_ISSUER_KEY_CURRENT] = {"ISSUER_KEY_CURRENT",
        "SELECT id, public_key, sealed_secret FROM issuer_keys WHERE org_id = :org_id "
        "AND (:all = 1 OR org_id = :tenant) AND retired_at IS NULL ORDER BY id DESC LIMIT 1", TENANT},
    [STMT_ISSUER_KEY_RETIRE] = {"ISSUER_KEY_RETIRE",
        "UPDATE issuer_keys SET retired_at = :now WHERE org_id = :org_id AND (:all = 1 OR org_id = :tenant) "
        "AND retired_at IS NULL", TENANT},
    [STMT_STATUS_LIST_GET] = {"STATUS_LIST_GET",
        "SELECT encoded, credential FROM status_lists WHERE org_id = :org_id AND purpose = :purpose "
        "AND (:all = 1 OR org_id = :tenant)", TENANT},
    [STMT_STATUS_LIST_PUT] = {"STATUS_LIST_PUT",
        "INSERT INTO status_lists (org_id, purpose, encoded, credential, updated_at) "
        "SELECT :org_id, :purpose, :encoded, :credential, :now WHERE :all = 1 OR :org_id = :tenant "
        "ON CONFLICT (org_id, purpose) DO UPDATE SET encoded = excluded.encoded, "
        "credential = excluded.credential, updated_at = excluded.updated_at", TENANT},
    [STMT_STATUS_LIST_PUBLIC] = {"STATUS_LIST_PUBLIC",
        "SELECT credential FROM status_lists WHERE org_id = :org_id AND purpose = :purpose",
        GLOBAL("status lists are public by design: anyone checks revocation")},
    [STMT_CREDENTIAL_NEXT_INDEX] = {"CREDENTIAL_NEXT_INDEX",
        "SELECT COALESCE(MAX(status_index) + 1, 0) FROM credentials WHERE org_id = :org_id "
        "AND (:all = 1 OR org_id = :tenant)", TENANT},
    [STMT_ACCREDITED_ON] = {"ACCREDITED_ON",
        "SELECT count(*) FROM accreditations WHERE org_id = :org_id AND valid_from <= :date "
        "AND (valid_until IS NULL OR valid_until >= :date)",
        GLOBAL("the trust registry is public: verifiers check any issuer's accreditation")},
    [STMT_CREDENTIAL_SET_STATUS] = {"CREDENTIAL_SET_STATUS",
        "UPDATE credentials SET status = :status, status_reason = :reason, updated_at = :now, "
        "version = version + 1 WHERE id = :id AND (:all = 1 OR org_id = :tenant)", TENANT},
    [STMT_CREDENTIAL_PUBLIC] = {"CREDENTIAL_PUBLIC",
        "SELECT document, status, org_id FROM credentials WHERE credential_id = :credential_id",
        GLOBAL("holders share the unguessable credential id; the document names its holder (as the printed "
        "certificate does) and holds their e-mail address only as a salted hash")},
    [STMT_GRADUATE_ERASE] = {"GRADUATE_ERASE",
        "UPDATE graduates SET name = 'Erased graduate ' || id, email = NULL, phone = NULL, residence = NULL, "
        "university = NULL, countries = '[]', skills = '[]', mobility = '[]', available_from = NULL, "
        "consent = NULL, cv_sha256 = NULL, cv_size = NULL, cv_name = NULL, user_id = NULL, erased_at = :now, "
        "updated_at = :now, version = version + 1 WHERE id = :id AND (:all = 1 OR org_id = :tenant)", TENANT},
    [STMT_USER_ERASE] = {"USER_ERASE",
        "UPDATE users SET email = 'erased-' || id || '@erased.invalid', name = 'Erased user', "
        "password_hash = NULL, status = 'disabled', updated_at = :now, version = version + 1 "
        "WHERE id = :id AND (:all = 1 OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id "
        "AND m.org_id = :tenant))", TENANT},
    [STMT_AUDIT_SCRUB] = {"AUDIT_SCRUB",
        "UPDATE audit_log SET changes = '{\"erased\":true}' WHERE entity = :entity AND entity_id = :id "
        "AND (:all = 1 OR org_id = :tenant)", TENANT},
    [STMT_AUDIT_SCRUB_APPLICATIONS] = {"AUDIT_SCRUB_APPLICATIONS",
        "UPDATE audit_log SET changes = '{\"erased\":true}' WHERE entity = 'application' AND entity_id IN "
        "(SELECT id FROM applications WHERE graduate_id = :id) AND (:all = 1 OR org_id = :tenant)", TENANT},
    [STMT_APP_NOTES_SCRUB] = {"APP_NOTES_SCRUB",
        "UPDATE applications SET notes = NULL WHERE graduate_id = :id AND (:all = 1 OR org_id = :tenant)", TENANT},
    [STMT_APP_EVENT_NOTES_SCRUB] = {"APP_EVENT_NOTES_SCRUB",
        "UPDATE application_events SET note = NULL WHERE application_id IN "
        "(SELECT id FROM applications WHERE graduate_id = :id) AND (:all = 1 OR org_id = :tenant)", TENANT},
    /* Invitations about an erased graduate (bound to the record, or to its address). */
#define INVITATIONS_OF_GRADUATE "((subject_type = 'graduate' AND subject_id = :id) OR email = " \
    "(SELECT g.email FROM graduates g WHERE g.id = :id AND (:all = 1 OR g.org_id = :tenant)))"
    [STMT_AUDIT_SCRUB_INVITATIONS] = {"AUDIT_SCRUB_INVITATIONS",
        "UPDATE audit_log SET changes = '{\"erased\":true}' WHERE entity = 'invitation' AND entity_id IN "
        "(SELECT id FROM invitations WHERE " INVITATIONS_OF_GRADUATE ") AND (:all = 1 OR org_id = :tenant)", TENANT},
    [STMT_INVITATIONS_ERASE] = {"INVITATIONS_ERASE",
        "UPDATE invitations SET email = 'erased-' || id || '@erased.invalid', name = 'Erased invitee', "
        "withdrawn_at = CASE WHEN accepted_at IS NULL THEN COALESCE(withdrawn_at, :now) ELSE withdrawn_at END "
        "WHERE " INVITATIONS_OF_GRADUATE " AND (:all = 1 OR org_id = :tenant)", TENANT},
    [STMT_CV_DELETE] = {"CV_DELETE",
        "DELETE FROM cv_files WHERE graduate_id = :graduate_id AND (:all = 1 OR org_id = :tenant)", TENANT},
#include "store/stmts_market_sqlite.inc"
#include "store/stmts_notify_sqlite.inc"
#include "store/stmts_integrity.inc"
#include "store/stmts_impact_sqlite.inc"
#include "store/stmts_impact_evidence_sqlite.inc"
#include "store/stmts_network_sqlite.inc"
#include "store/stmts_cluster_sqlite.inc"
};

const struct store_stmt_info *store_statements(int *count)
{
    *count = STMT__MAX;
    return stmts;
}
