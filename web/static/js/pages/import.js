// import.js - CSV import of companies and graduates: choose the file, check it (dry run:
// nothing is written), read every bad cell in a table (spreadsheet row, column, problem),
// then import it (all or nothing). POST /api/v1/import/{companies|graduates}?dry_run=.
import { h, clear, replace } from '../dom.js';
import { t, apiPhrase, splitApiMessage, fieldLabel } from '../i18n.js';
import { api, get, qs, mainRole } from '../api.js';
import { pageHeader, section, notify, errorText, linkBtn } from '../ui.js';
import { fmtNumber } from '../fmt.js';
import { go } from '../app.js';

const KINDS = ['companies', 'graduates'];

export async function render({ query }) {
  const admin = mainRole() === 'admin';
  const operators = admin ? (await get('/orgs?kind=operator&limit=200')).items : [];
  const kindSel = h('select', { id: 'import-kind', class: 'input' }, KINDS.map((k) => h('option', { value: k }, t(`res.${k}`))));
  kindSel.value = KINDS.includes(query.kind) ? query.kind : 'companies';
  const orgSel = admin ? h('select', { id: 'import-org', class: 'input' }, operators.map((o) => h('option', { value: String(o.id) }, o.name))) : null;
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const file = h('input', { id: 'import-file', type: 'file', accept: `.csv,text/csv,.xlsx,${XLSX}`, class: 'input', aria: { describedby: 'import-file-hint import-file-err' } });
  const fileErr = h('p', { class: 'field-error', id: 'import-file-err', hidden: true });
  const result = h('div', { class: 'import-result', aria: { live: 'polite' } });
  const check = h('button', { type: 'submit', class: 'btn btn-primary' }, t('import.check'));
  let checked = null; // {file, kind, org} of the last clean dry run

  const send = async (dryRun) => {
    const f = file.files[0];
    const params = { dry_run: dryRun ? 'true' : 'false', org_id: orgSel ? orgSel.value : undefined };
    // An exported list comes back as CSV or XLSX (the server reads the workbook's first sheet).
    const xlsx = /\.xlsx$/i.test(f.name) || f.type === XLSX;
    return api('POST', `/import/${kindSel.value}${qs(params)}`, f, { headers: { 'Content-Type': xlsx ? XLSX : 'text/csv' } });
  };
  const showErrors = (report) => h('div', { class: 'table-wrap' }, h('table', { class: 'table import-errors' },
    h('caption', null, t('import.errorsCaption', { n: fmtNumber(report.error_count) })),
    h('thead', null, h('tr', null, ['import.col.row', 'import.col.column', 'import.col.problem'].map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', null, (report.errors || []).map((e) => {
      const { path, problem } = splitApiMessage(e.message, e.field);
      return h('tr', null, h('th', { scope: 'row', dataset: { label: t('import.col.row') } }, String(e.row)),
        h('td', { dataset: { label: t('import.col.column') } }, e.column ? h('code', null, e.column) : h('span', { class: 'muted' }, t('import.wholeFile'))),
        h('td', { dataset: { label: t('import.col.problem') } }, path ? `${fieldLabel(path)}: ${apiPhrase(problem)}` : e.message));
    }))));

  async function onCheck(ev) {
    ev.preventDefault();
    fileErr.hidden = true;
    clear(result);
    checked = null;
    if (!file.files[0]) { fileErr.hidden = false; fileErr.textContent = t('import.chooseFile'); file.focus(); return; }
    check.disabled = true;
    try {
      const report = await send(true);
      const summary = h('p', { class: report.error_count ? 'msg msg-error' : 'msg msg-success' },
        t(report.error_count ? 'import.checkBad' : 'import.checkOk', { rows: fmtNumber(report.rows), valid: fmtNumber(report.valid), invalid: fmtNumber(report.invalid) }),
        report.error_count || report.new_rows === undefined ? null
          : ` ${t('import.summary', { create: fmtNumber(report.new_rows), update: fmtNumber(report.changed_rows), same: fmtNumber(report.unchanged_rows) })}`);
      if (report.error_count) {
        replace(result, section(t('import.report'), summary, showErrors(report),
          report.errors_truncated ? h('p', { class: 'muted small' }, t('import.truncated')) : null));
      } else {
        checked = { file: file.files[0], kind: kindSel.value };
        const commit = h('button', { type: 'button', class: 'btn btn-primary', id: 'import-commit' }, t('import.commit', { n: fmtNumber(report.rows) }));
        commit.addEventListener('click', async () => {
          if (!checked || checked.file !== file.files[0] || checked.kind !== kindSel.value) { clear(result); return; }
          commit.disabled = true;
          try {
            const r = await send(false);
            notify(`${t('import.done', { n: fmtNumber(r.created), what: t(`res.${checked.kind}`) })} ${r.updated ? t('import.updated', { n: fmtNumber(r.updated) }) : ''}`.trim(), 'success');
            go(`#/${checked.kind}`);
          } catch (e) {
            commit.disabled = false;
            if (e.body && e.body.errors) replace(result, section(t('import.report'), h('p', { class: 'msg msg-error' }, errorText(e)), showErrors(e.body)));
            else notify(errorText(e), 'error');
          }
        });
        replace(result, section(t('import.report'), summary, h('p', null, commit)));
      }
    } catch (e) {
      replace(result, h('p', { class: 'msg msg-error', role: 'alert' }, errorText(e)));
    } finally { check.disabled = false; }
  }
  // a new file or kind needs a new check
  const reset = () => { checked = null; clear(result); };
  file.addEventListener('change', reset);
  kindSel.addEventListener('change', reset);

  const form = h('form', { class: 'form', novalidate: true, onsubmit: onCheck },
    h('div', { class: 'form-grid' },
      h('div', { class: 'field' }, h('label', { for: 'import-kind', class: 'label' }, t('import.kind')), kindSel),
      orgSel ? h('div', { class: 'field' }, h('label', { for: 'import-org', class: 'label' }, t('common.operator')), orgSel) : null,
      h('div', { class: 'field field-wide' }, h('label', { for: 'import-file', class: 'label' }, t('import.file')), file,
        h('p', { class: 'hint', id: 'import-file-hint' }, t('import.fileHint'), ' ', t('import.xlsxHint')), fileErr)),
    h('div', { class: 'form-actions' }, check));
  return h('div', null,
    pageHeader(t('import.title'), { sub: t('import.sub'), actions: KINDS.map((k) => linkBtn(`#/${k}`, t(`res.${k}`), 'btn btn-ghost')) }),
    h('div', { class: 'card' }, form), result);
}
