// help.js - the guide (docs/guide.md, served as /guide.md) shown in the app: a small
// Markdown reader (headings, paragraphs, lists, tables, images, links, **bold**, `code`)
// that builds elements with h(), never innerHTML. #/help?s=<section> opens at a section.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { pageHeader } from '../ui.js';

/** "Coordinators: a programme year" -> "coordinators-a-programme-year" (GitHub's anchors). */
export const slug = (s) => s.toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').trim().replace(/\s+/g, '-');

function inline(text) {
  const out = [];
  const re = /!\[([^\]]*)\]\(([^)\s]+)\)|\[([^\]]+)\]\(([^)\s]+)\)|\*\*([^*]+)\*\*|`([^`]+)`/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    out.push(text.slice(last, m.index));
    if (m[2] !== undefined) out.push(h('img', { src: m[2].replace(/^guide\//, '/guide/'), alt: m[1], class: 'guide-shot', loading: 'lazy' }));
    else if (m[4] !== undefined) {
      const href = m[4].startsWith('#') ? `#/help?s=${m[4].slice(1)}` : m[4];
      out.push(h('a', { href }, m[3]));
    } else if (m[5] !== undefined) out.push(h('strong', null, m[5]));
    else out.push(h('code', null, m[6]));
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out.filter((x) => x !== '');
}

export function renderMarkdown(md) {
  const lines = md.replace(/\r/g, '').split('\n');
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    let m;
    if (!line.trim()) { i++; continue; }
    if ((m = /^(#{1,4})\s+(.*)$/.exec(line))) {
      const level = Math.min(m[1].length + 1, 4); // the page's h1 is the title
      out.push(h(`h${level}`, { id: `guide-${slug(m[2])}`, tabindex: '-1', class: 'guide-heading' }, inline(m[2])));
      i++;
    } else if (/^\s*([-*]|\d+\.)\s+/.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items = [];
      while (i < lines.length && /^\s*([-*]|\d+\.)\s+/.test(lines[i])) {
        let item = lines[i].replace(/^\s*([-*]|\d+\.)\s+/, '');
        i++;
        while (i < lines.length && /^\s{2,}\S/.test(lines[i]) && !/^\s*([-*]|\d+\.)\s+/.test(lines[i])) item += ` ${lines[i++].trim()}`;
        items.push(h('li', null, inline(item)));
      }
      out.push(h(ordered ? 'ol' : 'ul', null, items));
    } else if (/^\|/.test(line)) {
      const rows = [];
      while (i < lines.length && /^\|/.test(lines[i])) rows.push(lines[i++]);
      const cells = (r) => r.replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
      const body = rows.slice(2).map((r) => h('tr', null, cells(r).map((c) => h('td', null, inline(c)))));
      out.push(h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact' },
        h('thead', null, h('tr', null, cells(rows[0]).map((c) => h('th', { scope: 'col' }, inline(c))))), h('tbody', null, body))));
    } else {
      const para = [];
      while (i < lines.length && lines[i].trim() && !/^(#{1,4}\s|\s*([-*]|\d+\.)\s|\|)/.test(lines[i])) para.push(lines[i++].trim());
      out.push(h('p', null, inline(para.join(' '))));
    }
  }
  return out;
}

export async function render({ query }) {
  const res = await fetch('/guide.md');
  const md = res.ok ? await res.text() : '';
  const body = renderMarkdown(md.replace(/^#\s+.*\n/, '')); // the first heading is the page title
  const view = h('div', { class: 'guide' }, pageHeader(t('help.title'), { sub: t('help.sub') }), h('article', { class: 'card guide-body' }, body));
  if (query.s) {
    // after the page is in place: go to the section and put the focus on its heading
    setTimeout(() => {
      const el = document.getElementById(`guide-${query.s}`);
      if (el) { el.scrollIntoView(); el.focus({ preventScroll: true }); }
    }, 0);
  }
  return view;
}
