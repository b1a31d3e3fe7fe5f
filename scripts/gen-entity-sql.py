#!/usr/bin/env python3
"""Writes the SQL of the programme's entities (src/store/stmts_entities.inc)
and their column lists (src/store/entity_columns.inc) from one table, so the
literal statements and the C descriptors cannot drift apart. The outputs are
committed; tests/unit/test_store.c parses the statements to check their tenant filters and
`scripts/gen-entity-sql.py --check` that the files are up to date."""
import sys

# Records only staff see: every role scope must be unset.
STAFF_ONLY = "(:scope_company IS NULL AND :scope_graduate IS NULL AND :scope_mentor IS NULL)"

ENTS = {
 'COMPANY': dict(table='companies', cols='legal_name registration_number country region city nace employees currency turnover export_turnover balance_sheet products export_markets target_markets contacts website'.split(),
   name='legal_name', extra='',
   scope="(:scope_company IS NULL OR t.id = :scope_company) AND (:scope_graduate IS NULL OR t.id IN (SELECT company_id FROM positions WHERE status = 'open')) AND (:scope_mentor IS NULL OR t.id IN (SELECT company_id FROM placements WHERE mentor_user_id = :scope_mentor))",
   q="t.legal_name LIKE '%' || :q_like || '%' ESCAPE '!' OR t.city LIKE '%' || :q_like || '%' ESCAPE '!' OR t.registration_number = :q",
   filters={'country': "t.country = :f_country", 'nace': "(t.nace = :f_nace OR t.nace LIKE :f_nace || '%')",
            'target_market': "EXISTS (SELECT 1 FROM json_each(t.target_markets) j WHERE j.value = :f_target_market)"},
   refs="(SELECT count(*) FROM positions WHERE company_id = :id) AS positions, (SELECT count(*) FROM placements WHERE company_id = :id) AS placements, (SELECT count(*) FROM memberships WHERE subject_type = 'company' AND subject_id = :id) AS company_logins"),
 'GRADUATE': dict(table='graduates', cols='user_id name email phone nationality residence eqf_level field university graduation_year languages countries skills mobility available_from consent cv_sha256 cv_size cv_name erased_at'.split(),
   name='name', extra='',
   scope="(:scope_graduate IS NULL OR t.id = :scope_graduate) AND (:scope_company IS NULL OR t.id IN (SELECT a.graduate_id FROM applications a JOIN positions p ON p.id = a.position_id WHERE p.company_id = :scope_company AND a.stage IN ('shortlisted', 'offered', 'accepted')) OR t.id IN (SELECT graduate_id FROM placements WHERE company_id = :scope_company)) AND (:scope_mentor IS NULL OR t.id IN (SELECT graduate_id FROM placements WHERE mentor_user_id = :scope_mentor))",
   q="t.name LIKE '%' || :q_like || '%' ESCAPE '!' OR t.email LIKE '%' || :q_like || '%' ESCAPE '!' OR t.university LIKE '%' || :q_like || '%' ESCAPE '!'",
   filters={'language': "EXISTS (SELECT 1 FROM json_each(t.languages) j WHERE json_extract(j.value, '$.code') = :f_language)",
            'nationality': "t.nationality = :f_nationality", 'field': "t.field LIKE :f_field || '%'", 'eqf_level': "t.eqf_level = :f_eqf_level",
            'erased': "(CASE WHEN t.erased_at IS NULL THEN 'false' ELSE 'true' END) = :f_erased"},
   refs="(SELECT count(*) FROM applications WHERE graduate_id = :id) AS applications, (SELECT count(*) FROM placements WHERE graduate_id = :id) AS placements, (SELECT count(*) FROM match_constraints WHERE graduate_id = :id) AS match_constraints, (SELECT count(*) FROM credentials WHERE graduate_id = :id) AS credentials, (SELECT count(*) FROM memberships WHERE subject_type = 'graduate' AND subject_id = :id) AS trainee_logins"),
 'COHORT': dict(table='cohorts', cols='name start_date end_date curriculum_version'.split(),
   name='name', extra=", (SELECT count(*) FROM placements pl WHERE pl.cohort_id = t.id) AS placement_count",
   scope="1",
   q="t.name LIKE '%' || :q_like || '%' ESCAPE '!'",
   filters={},
   refs="(SELECT count(*) FROM positions WHERE cohort_id = :id) AS positions, (SELECT count(*) FROM placements WHERE cohort_id = :id) AS placements, (SELECT count(*) FROM match_runs WHERE cohort_id = :id) AS match_runs, (SELECT count(*) FROM match_constraints WHERE cohort_id = :id) AS match_constraints"),
 'POSITION': dict(table='positions', cols='company_id cohort_id title description target_markets products languages fields location_country location_city start_date duration_months currency pay places status'.split(),
   name='title', extra=", (SELECT c.legal_name FROM companies c WHERE c.id = t.company_id) AS company_name",
   scope="(:scope_company IS NULL OR t.company_id = :scope_company) AND (:open_only = 0 OR t.status = 'open' OR t.id IN (SELECT position_id FROM applications WHERE graduate_id = :scope_graduate)) AND (:scope_mentor IS NULL OR t.id IN (SELECT position_id FROM placements WHERE mentor_user_id = :scope_mentor))",
   q="t.title LIKE '%' || :q_like || '%' ESCAPE '!' OR t.description LIKE '%' || :q_like || '%' ESCAPE '!' OR t.location_city LIKE '%' || :q_like || '%' ESCAPE '!'",
   filters={'status': "t.status = :f_status", 'company_id': "t.company_id = :f_company_id", 'cohort_id': "t.cohort_id = :f_cohort_id",
            'target_market': "EXISTS (SELECT 1 FROM json_each(t.target_markets) j WHERE j.value = :f_target_market)",
            'language': "EXISTS (SELECT 1 FROM json_each(t.languages) j WHERE json_extract(j.value, '$.code') = :f_language)"},
   refs="(SELECT count(*) FROM applications WHERE position_id = :id) AS applications, (SELECT count(*) FROM placements WHERE position_id = :id) AS placements, (SELECT count(*) FROM match_constraints WHERE position_id = :id) AS match_constraints"),
 'APPLICATION': dict(table='applications', cols='graduate_id position_id stage graduate_rank company_rank notes'.split(),
   name=None, extra=", (SELECT g.name FROM graduates g WHERE g.id = t.graduate_id) AS graduate_name, (SELECT p.title FROM positions p WHERE p.id = t.position_id) AS position_title, (SELECT p.company_id FROM positions p WHERE p.id = t.position_id) AS company_id, (SELECT c.legal_name FROM positions p JOIN companies c ON c.id = p.company_id WHERE p.id = t.position_id) AS company_name",
   scope="(:scope_graduate IS NULL OR t.graduate_id = :scope_graduate) AND (:scope_company IS NULL OR (t.position_id IN (SELECT id FROM positions WHERE company_id = :scope_company) AND (t.stage IN ('shortlisted', 'offered', 'accepted', 'declined') OR (t.stage IN ('rejected', 'withdrawn') AND EXISTS (SELECT 1 FROM application_events e WHERE e.application_id = t.id AND e.to_stage = 'shortlisted'))))) AND (:scope_mentor IS NULL OR (t.graduate_id IN (SELECT graduate_id FROM placements WHERE mentor_user_id = :scope_mentor) AND t.position_id IN (SELECT p.id FROM positions p JOIN placements pl ON pl.company_id = p.company_id WHERE pl.mentor_user_id = :scope_mentor)))",
   q="t.graduate_id IN (SELECT id FROM graduates WHERE name LIKE '%' || :q_like || '%' ESCAPE '!') OR t.position_id IN (SELECT id FROM positions WHERE title LIKE '%' || :q_like || '%' ESCAPE '!')",
   filters={'stage': "t.stage = :f_stage", 'position_id': "t.position_id = :f_position_id", 'graduate_id': "t.graduate_id = :f_graduate_id",
            'company_id': "t.position_id IN (SELECT id FROM positions WHERE company_id = :f_company_id)",
            'cohort_id': "t.position_id IN (SELECT id FROM positions WHERE cohort_id = :f_cohort_id)"},
   refs="0 AS unreferenced"),
 'PLACEMENT': dict(table='placements', cols='graduate_id company_id cohort_id position_id mentor_user_id start_date end_date currency stipend objectives learning_plan status agreement_hash locked_at'.split(),
   name=None, extra=", (SELECT g.name FROM graduates g WHERE g.id = t.graduate_id) AS graduate_name, (SELECT c.legal_name FROM companies c WHERE c.id = t.company_id) AS company_name, (SELECT h.name FROM cohorts h WHERE h.id = t.cohort_id) AS cohort_name, (SELECT u.name FROM users u WHERE u.id = t.mentor_user_id) AS mentor_name, (SELECT count(*) FROM agreement_acceptances x WHERE x.placement_id = t.id) AS acceptance_count",
   scope="(:scope_graduate IS NULL OR t.graduate_id = :scope_graduate) AND (:scope_company IS NULL OR t.company_id = :scope_company) AND (:scope_mentor IS NULL OR t.mentor_user_id = :scope_mentor)",
   q="t.graduate_id IN (SELECT id FROM graduates WHERE name LIKE '%' || :q_like || '%' ESCAPE '!') OR t.company_id IN (SELECT id FROM companies WHERE legal_name LIKE '%' || :q_like || '%' ESCAPE '!')",
   filters={'status': "t.status = :f_status", 'cohort_id': "t.cohort_id = :f_cohort_id", 'company_id': "t.company_id = :f_company_id", 'graduate_id': "t.graduate_id = :f_graduate_id",
            # issue forms: placements without an unrevoked credential of this achievement
            'without_credential': "NOT EXISTS (SELECT 1 FROM credentials c WHERE c.placement_id = t.id AND c.org_id = t.org_id AND c.achievement_id = :f_without_credential AND c.status <> 'revoked')"},
   refs="(SELECT count(*) FROM agreement_acceptances WHERE placement_id = :id) AS acceptances, (SELECT count(*) FROM credentials WHERE placement_id = :id) AS credentials"),
 'MATCH_RUN': dict(table='match_runs', cols='cohort_id engine options input_hash result status created_by approved_at approved_by'.split(),
   name=None, extra=", (SELECT h.name FROM cohorts h WHERE h.id = t.cohort_id) AS cohort_name, (SELECT u.name FROM users u WHERE u.id = t.created_by) AS created_by_name",
   scope=STAFF_ONLY,
   q="t.engine = :q",
   filters={'cohort_id': "t.cohort_id = :f_cohort_id", 'status': "t.status = :f_status", 'engine': "t.engine = :f_engine"},
   refs="0 AS unreferenced"),
 'MATCH_CONSTRAINT': dict(table='match_constraints', cols='cohort_id graduate_id position_id kind note created_by'.split(),
   name=None, extra=", (SELECT g.name FROM graduates g WHERE g.id = t.graduate_id) AS graduate_name, (SELECT p.title FROM positions p WHERE p.id = t.position_id) AS position_title",
   scope=STAFF_ONLY,
   q="t.note LIKE '%' || :q_like || '%' ESCAPE '!'",
   filters={'cohort_id': "t.cohort_id = :f_cohort_id", 'kind': "t.kind = :f_kind"},
   refs="0 AS unreferenced"),
    'ACHIEVEMENT': dict(table='achievements', cols='name description criteria eqf_level credits alignments image'.split(),
   name='name', extra=", (SELECT count(*) FROM credentials c WHERE c.achievement_id = t.id) AS issued_count",
   scope="1",
   q="t.name LIKE '%' || :q_like || '%' ESCAPE '!' OR t.description LIKE '%' || :q_like || '%' ESCAPE '!'",
   filters={'eqf_level': "t.eqf_level = :f_eqf_level"},
   refs="(SELECT count(*) FROM credentials WHERE achievement_id = :id) AS credentials"),
 'ACCREDITATION': dict(table='accreditations', cols='valid_from valid_until note'.split(),
   name=None, extra=", (SELECT o.name FROM orgs o WHERE o.id = t.org_id) AS org_name",
   scope="1",
   q="t.note LIKE '%' || :q_like || '%' ESCAPE '!'",
   filters={'org_id': "t.org_id = :f_org_id"},
   refs="0 AS unreferenced"),
 'CREDENTIAL': dict(table='credentials', cols='achievement_id graduate_id placement_id credential_id status_index document issued_at status status_reason override_reason'.split(),
   name=None, extra=", (SELECT g.name FROM graduates g WHERE g.id = t.graduate_id) AS graduate_name, (SELECT a.name FROM achievements a WHERE a.id = t.achievement_id) AS achievement_name",
   scope="(:scope_graduate IS NULL OR t.graduate_id = :scope_graduate) AND (:scope_company IS NULL OR t.graduate_id IN (SELECT graduate_id FROM placements WHERE company_id = :scope_company)) AND (:scope_mentor IS NULL OR t.graduate_id IN (SELECT graduate_id FROM placements WHERE mentor_user_id = :scope_mentor))",
   q="t.credential_id = :q OR t.graduate_id IN (SELECT id FROM graduates WHERE name LIKE '%' || :q_like || '%' ESCAPE '!')",
   filters={'graduate_id': "t.graduate_id = :f_graduate_id", 'achievement_id': "t.achievement_id = :f_achievement_id", 'status': "t.status = :f_status"},
   refs="0 AS unreferenced"),
}

REFS_REASON = "counts references to a row the caller has just read through its tenant-filtered GET"


def generate():
    out = ["/* generated by scripts/gen-entity-sql.py from its table of columns - do not edit */"]
    cols_out = ["/* generated by scripts/gen-entity-sql.py - do not edit */"]
    for E, d in ENTS.items():
        t, cols = d['table'], d['cols']
        sel = "t.id, t.org_id, " + ", ".join("t." + c for c in cols) + ", t.created_at, t.updated_at, t.version" + d['extra']
        filt = "".join(f" AND (:f_{k} IS NULL OR {v})" for k, v in d['filters'].items())
        where = f"(:all = 1 OR t.org_id = :tenant) AND {d['scope']} AND (:q IS NULL OR {d['q']}){filt}"
        out.append(f'[STMT_{E}_INSERT] = {{"{E}_INSERT",\n    "INSERT INTO {t} (org_id, {", ".join(cols)}, created_at, updated_at) "\n'
                   f'    "SELECT :org_id, {", ".join(":" + c for c in cols)}, :now, :now WHERE :all = 1 OR :org_id = :tenant", TENANT}},')
        out.append(f'[STMT_{E}_GET] = {{"{E}_GET",\n    "SELECT {sel} FROM {t} t WHERE t.id = :id AND (:all = 1 OR t.org_id = :tenant) AND {d["scope"]}", TENANT}},')
        out.append(f'[STMT_{E}_LIST_ID] = {{"{E}_LIST_ID",\n    "SELECT {sel} FROM {t} t WHERE t.id > :after_id AND {where} ORDER BY t.id LIMIT :limit", TENANT}},')
        if d['name']:
            n = d['name']
            out.append(f'[STMT_{E}_LIST_NAME] = {{"{E}_LIST_NAME",\n    "SELECT {sel} FROM {t} t WHERE (t.{n} > :after_key OR (t.{n} = :after_key AND t.id > :after_id)) AND {where} ORDER BY t.{n}, t.id LIMIT :limit", TENANT}},')
        else:
            out.append(f'[STMT_{E}_LIST_NAME] = {{"{E}_LIST_NAME",\n    "SELECT {sel} FROM {t} t WHERE t.id < :before_id AND {where} ORDER BY t.id DESC LIMIT :limit", TENANT}},')
        sets = ", ".join(f"{c} = :{c}" for c in cols)
        out.append(f'[STMT_{E}_UPDATE] = {{"{E}_UPDATE",\n    "UPDATE {t} SET {sets}, updated_at = :now, version = version + 1 "\n'
                   f'    "WHERE id = :id AND version = :version AND (:all = 1 OR org_id = :tenant)", TENANT}},')
        out.append(f'[STMT_{E}_DELETE] = {{"{E}_DELETE",\n    "DELETE FROM {t} WHERE id = :id AND (:all = 1 OR org_id = :tenant)", TENANT}},')
        out.append(f'[STMT_{E}_REFS] = {{"{E}_REFS",\n    "SELECT {d["refs"]}", GLOBAL("{REFS_REASON}")}},')
        group = {'POSITION': 'status', 'APPLICATION': 'stage', 'PLACEMENT': 'status'}.get(E, "'all'")
        group_expr = 't.' + group if not group.startswith("'") else group
        out.append(f'[STMT_{E}_COUNTS] = {{"{E}_COUNTS",\n    "SELECT {group_expr}, count(*) FROM {t} t WHERE (:all = 1 OR t.org_id = :tenant) AND {d["scope"]} GROUP BY 1", TENANT}},')
        low = E.lower()
        cols_out.append(f"static const char *const {low}_columns[] = {{" + ", ".join(f'"{c}"' for c in cols) + ", NULL};")
        cols_out.append(f"static const char *const {low}_filters[] = {{" + "".join(f'"{k}", ' for k in d['filters']) + "NULL};")
        name_c = '"%s"' % d['name'] if d['name'] else 'NULL'
        cols_out.append(f'static const char *const {low}_name_column = {name_c};')
    return "\n".join(out) + "\n", "\n".join(cols_out) + "\n"


if __name__ == '__main__':
    stmts, cols = generate()
    targets = {'src/store/stmts_entities.inc': stmts, 'src/store/entity_columns.inc': cols}
    if '--check' in sys.argv:
        stale = [p for p, text in targets.items() if open(p).read() != text]
        if stale:
            print('gen-entity-sql: out of date: ' + ', '.join(stale) + ' (run scripts/gen-entity-sql.py)')
            sys.exit(1)
        sys.exit(0)
    for p, text in targets.items():
        open(p, 'w').write(text)
