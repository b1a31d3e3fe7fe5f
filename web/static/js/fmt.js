// fmt.js - dates, numbers and money through Intl; money is integer minor units + ISO 4217 code.
import { get } from './api.js';
import { lang } from './i18n.js';

let minorUnits = null; // {SEK: 2, JPY: 0, ...}
let loading = null;

/** Loads the currencies' minor units once (GET /codes/currencies, `extra` = minor units). */
export function loadCurrencies() {
  if (minorUnits) return Promise.resolve(minorUnits);
  if (!loading) {
    loading = get('/codes/currencies?limit=200').then((r) => {
      minorUnits = {};
      for (const c of r.items) minorUnits[c.code] = c.extra === undefined ? 2 : Number(c.extra);
      return minorUnits;
    }).catch(() => { minorUnits = {}; return minorUnits; });
  }
  return loading;
}
export const digitsOf = (cur) => (minorUnits && cur in minorUnits ? minorUnits[cur] : 2);

export function fmtNumber(n, opts) {
  if (n === null || n === undefined || n === '') return '';
  return new Intl.NumberFormat(lang, opts).format(n);
}

/** 2500000, 'SEK' -> "25,000.00 SEK" (grouping per the UI language). */
export function fmtMoney(minor, cur) {
  if (minor === null || minor === undefined) return '';
  const d = digitsOf(cur);
  const s = new Intl.NumberFormat(lang, { minimumFractionDigits: d, maximumFractionDigits: d }).format(minor / 10 ** d);
  return cur ? `${s} ${cur}` : s;
}

/** The amount for an input box: plain digits with a dot, no grouping ("25000.00"). */
export function moneyInput(minor, cur) {
  if (minor === null || minor === undefined) return '';
  const d = digitsOf(cur);
  const neg = minor < 0;
  const a = Math.abs(minor);
  const s = d ? `${Math.floor(a / 10 ** d)}.${String(a % 10 ** d).padStart(d, '0')}` : String(a);
  return neg ? `-${s}` : s;
}

/**
 * "25 000,50" / "25,000.50" / "25000.5" -> minor units (integer) or NaN. The last dot or comma
 * followed by at most `digits` digits is the decimal mark; spaces and other marks are grouping.
 */
export function parseMoney(text, cur) {
  const d = digitsOf(cur);
  let s = String(text).trim().replace(/[\s\u00a0\u202f']/g, '');
  if (s === '') return null;
  const neg = s.startsWith('-');
  if (neg) s = s.slice(1);
  if (!/^[\d.,]+$/.test(s)) return NaN;
  let whole = s, frac = '';
  const m = s.match(/^(.*)[.,](\d*)$/);
  if (m && d > 0 && m[2].length <= d) {
    whole = m[1];
    frac = m[2];
  }
  whole = whole.replace(/[.,]/g, '');
  if (!/^\d*$/.test(whole) || frac.length > d) return NaN;
  const v = Number(whole || '0') * 10 ** d + Number((frac + '0'.repeat(d)).slice(0, d) || '0');
  return neg ? -v : v;
}

/** 'YYYY-MM-DD' -> localized date (no time zone shift). */
export function fmtDate(iso) {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])));
}

/** '2026-11-27T03:10:29Z' -> localized date and time in the browser's zone. */
export function fmtDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function fmtBytes(n) {
  if (n === null || n === undefined) return '';
  if (n < 1024) return `${fmtNumber(n)} B`;
  if (n < 1048576) return `${fmtNumber(n / 1024, { maximumFractionDigits: 1 })} KB`;
  return `${fmtNumber(n / 1048576, { maximumFractionDigits: 1 })} MB`;
}
