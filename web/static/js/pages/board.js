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
  let dragged = null;

  async function move(a, to) {
    try {
      await post(`/applications/${a.id}/stage`, { stage: to });
      status.textContent = t('board.movedTo', { name: a.graduate_name, stage: tv('stage', to) });
      notify(status.textContent, 'success');
      focusAfter = a.id;
    } catch (ex) { notify(errorText(ex), 'error'); }
    load();
  }

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
      const col = h('section', { class: 'board-col', role: 'listitem', aria: { labelledby: hid }, dataset: { stage } },
        h('h2', { class: 'board-col-title', id: hid }, tv('stage', stage), h('span', { class: 'count' }, String(cards.length))),
        cards.length ? h('ul', { class: 'board-cards' }, cards.map((a) => card(a))) : h('p', { class: 'muted small board-empty' }, t('board.empty')));
      // Drag and drop (optional; the buttons do the same): a drop is the allowed move to this stage.
      col.addEventListener('dragover', (e) => { if (dragged && dragged.moves.some((m) => m.to === stage)) { e.preventDefault(); col.classList.add('drop-ok'); } });
      col.addEventListener('dragleave', () => col.classList.remove('drop-ok'));
      col.addEventListener('drop', (e) => {
        e.preventDefault();
        col.classList.remove('drop-ok');
        const d = dragged;
        dragged = null;
        if (d && d.moves.some((m) => m.to === stage)) move(d.app, stage);
      });
      boardEl.append(col);
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
    const li = h('li', { class: 'board-card', dataset: { app: String(a.id) }, draggable: moves.length ? 'true' : null,
      ondragstart: (e) => { dragged = { app: a, moves }; e.dataTransfer.effectAllowed = 'move'; e.dataTransfer.setData('text/plain', String(a.id)); },
      ondragend: () => { dragged = null; } },
      h('h3', { class: 'card-title' }, h('a', { href: `#/applications/${a.id}` }, a.graduate_name || `#${a.graduate_id}`)),
      h('p', { class: 'small' }, a.position_title, h('br'), h('span', { class: 'muted' }, a.company_name)),
      moves.length ? h('div', { class: 'card-actions' }, moves.map((m) => h('button', {
        type: 'button', class: m.kind === 'forward' ? 'btn btn-small btn-primary' : m.kind === 'back' ? 'btn btn-small' : 'btn btn-small btn-danger-ghost',
        aria: { label: `${moveLabel(m)}: ${a.graduate_name}` },
        onclick: (e) => { e.currentTarget.disabled = true; move(a, m.to); },
      }, m.kind === 'back' ? `← ${tv('stage', m.to)}` : m.kind === 'forward' ? `${moveLabel(m)} →` : moveLabel(m)))) : null);
    return li;
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
