// i18n.js - every visible string is looked up by key in /i18n/<lang>.json.
// A new language is a new JSON file with the same keys; missing keys fall back to English.
let strings = {};
let fallback = {};
export let lang = 'en';
export const LANGS = ['en'];

export async function loadStrings() {
  const wanted = (localStorage.getItem('tb.lang') || navigator.language || 'en').slice(0, 2);
  lang = LANGS.includes(wanted) ? wanted : 'en';
  fallback = await loadLang('en');
  strings = lang === 'en' ? fallback : await loadLang(lang);
  document.documentElement.lang = lang;
}

// <lang>.json, plus <lang>.extra.json when present (strings of screens added later).
async function loadLang(code) {
  const [main, extra] = await Promise.all([
    fetch(`/i18n/${code}.json`).then((r) => (r.ok ? r.json() : {})).catch(() => ({})),
    fetch(`/i18n/${code}.extra.json`).then((r) => (r.ok ? r.json() : {})).catch(() => ({})),
  ]);
  return { ...main, ...extra };
}

/** t('key.path', {name: 'x'}) -> string with {name} replaced; the key itself when unknown. */
export function t(key, vars) {
  let s = strings[key] ?? fallback[key];
  if (s === undefined) return key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined || vars[k] === null ? m : String(vars[k])));
  return s;
}

/** True when a key exists (for optional labels such as enum values). */
export const has = (key) => key in strings || key in fallback;
/** Label of an enum value: t(`${prefix}.${value}`), or the raw value when unknown. */
export const tv = (prefix, value) => (value === null || value === undefined || value === '' ? '' : has(`${prefix}.${value}`) ? t(`${prefix}.${value}`) : String(value));
