// board.js - the pipeline as a board: a column per stage, a card per application.
// Moving a card is a stage change through the API (buttons on the card; keyboard friendly).
import { h, clear } from '../dom.js';
import { t, tv } from '../i18n.js';
import { post, mainRole, qs } from '../api.js';
import { pageHeader, fetchAll, notify, errorText, badge } from '../ui.js';
import { makeField } from '../forms.js';
import { REF } from '../resources.js';
import { stageMoves, moveLabel } from './records.js';

const COLUMNS = ['applied', 'screened', 'interview', 'shortlisted', 'offered', 'accepted'];
const CLOSED = ['declined', 'rejected', 'withdrawn'];

export function render({ query }) {
  const role = mainRole();
  const state = { position_id: query.position_id, cohort_id: query.cohort_id };
  const boardEl = h('div', { class: 'board', role: 'list', aria: { label: t('board.columns') } });
  const closedEl = h('p', { class: 'muted small' });
  const status = h('p', { class: 'sr-only', aria: { live: 'polite' } });
  let focusAfter = null;

  async function load() {
    let items;
    try {
      items = await fetchAll('/applications', { ...state, sort: 'id' });
    } catch (e) {
      clear(boardEl).append(h('p', { class: 'error-text' }, errorText(e)));
      return;
    }
    clear(boardEl);
    for (const stage of COLUMNS) {
      const cards = items.filter((a) => a.stage === stage);
      const hid = `col-${stage}`;
      boardEl.append(h('section', { class: 'board-col', role: 'listitem', aria: { labelledby: hid }, dataset: { stage } },
        h('h2', { class: 'board-col-title', id: hid }, tv('stage', stage), h('span', { class: 'count' }, String(cards.length))),
        cards.length ? h('ul', { class: 'board-cards' }, cards.map((a) => card(a))) : h('p', { class: 'muted small board-empty' }, t('board.empty'))));
    }
    const closed = CLOSED.map((s) => `${tv('stage', s)}: ${items.filter((a) => a.stage === s).length}`).join(' · ');
    closedEl.textContent = `${t('board.closed')} ${closed}`;
    if (focusAfter) {
      const el = boardEl.querySelector(`[data-app="${focusAfter}"] .card-title a`);
      if (el) el.focus();
      focusAfter = null;
    }
  }

  function card(a) {
    const moves = stageMoves(a.stage, role).filter((m) => m.kind !== 'close' || m.to === 'rejected');
    return h('li', { class: 'board-card', dataset: { app: String(a.id) } },
      h('h3', { class: 'card-title' }, h('a', { href: `#/applications/${a.id}` }, a.graduate_name || `#${a.graduate_id}`)),
      h('p', { class: 'small' }, a.position_title, h('br'), h('span', { class: 'muted' }, a.company_name)),
      moves.length ? h('div', { class: 'card-actions' }, moves.map((m) => h('button', {
        type: 'button', class: m.kind === 'forward' ? 'btn btn-small btn-primary' : m.kind === 'back' ? 'btn btn-small' : 'btn btn-small btn-danger-ghost',
        aria: { label: `${moveLabel(m)}: ${a.graduate_name}` },
        onclick: async (e) => {
          e.currentTarget.disabled = true;
          try {
            await post(`/applications/${a.id}/stage`, { stage: m.to });
            status.textContent = t('board.movedTo', { name: a.graduate_name, stage: tv('stage', m.to) });
            notify(status.textContent, 'success');
            focusAfter = a.id;
          } catch (ex) { notify(errorText(ex), 'error'); }
          load();
        },
      }, m.kind === 'back' ? `← ${tv('stage', m.to)}` : m.kind === 'forward' ? `${moveLabel(m)} →` : moveLabel(m)))) : null);
  }

  const filters = [];
  const mk = (name, label, ref) => {
    const comp = makeField({ name, label, type: 'ref', ref, onChange: (v) => { state[name] = v; sync(); load(); } }, state[name] ? Number(state[name]) : null, { compact: true });
    comp.el.querySelector('input').addEventListener('change', (e) => { if (!e.target.value.trim()) { state[name] = undefined; sync(); load(); } });
    filters.push(comp.el);
  };
  const sync = () => history.replaceState(null, '', `#/board${qs(state)}`);
  mk('position_id', 'res.position', REF.position);
  mk('cohort_id', 'res.cohort', REF.cohort);
  load();
  return h('div', null,
    pageHeader(t('board.title'), { sub: t('board.sub') }),
    h('search', { class: 'toolbar', aria: { label: t('list.filters') } }, filters),
    status, boardEl, closedEl);
}
