// i18n.js - every visible string is looked up by key in /i18n/<lang>.json.
// A new language is a new JSON file with the same keys; missing keys fall back to English.
let strings = {};
let fallback = {};
export let lang = 'en';
export const LANGS = ['en', 'sv'];

/** The language: the one chosen with the switcher (kept in localStorage), else the browser's first known one. */
export function pickLang() {
  const saved = localStorage.getItem('tb.lang');
  if (saved && LANGS.includes(saved)) return saved;
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const c = String(l).slice(0, 2).toLowerCase();
    if (LANGS.includes(c)) return c;
  }
  return 'en';
}

/** Keeps the choice and reloads the page in that language (the session stays). */
export function setLang(code) {
  if (!LANGS.includes(code)) return;
  localStorage.setItem('tb.lang', code);
  location.reload();
}

export async function loadStrings() {
  lang = pickLang();
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
export const tv = (prefix, value) => (value === null || value === undefined || value === '' ? '' : has(`${prefix}.${value}`) ? t(`${prefix}.${value}`) : String(value).replace(/_/g, ' '));

// Server messages are "field: problem" in English; the UI shows the field's label and the
// problem in the UI language when it is one of the validator's known phrases.
const API_PHRASES = [
  [/^is required\b.*$/, 'apiError.required'],
  [/^not a valid address$/, 'apiError.notAddress'],
  [/^expected a date as YYYY-MM-DD$/, 'apiError.date'],
  [/^expected an http\(s\) URL$/, 'apiError.url'],
  [/^must not be empty$/, 'apiError.empty'],
  [/^must be at least (?<n>\d+) characters$/, 'apiError.min'],
  [/^must be at most (?<n>\d+) characters$/, 'apiError.max'],
  [/^must be one of (?<list>.*)$/, 'apiError.oneOf'],
  [/^'(?<code>.*)' is not a known code$/, 'apiError.unknownCode'],
  [/^expected a whole number$/, 'apiError.int'],
  [/^must be between (?<min>-?\d+) and (?<max>-?\d+)$/, 'apiError.between'],
  [/^expected true or false$/, 'apiError.bool'],
  [/^expected a list$/, 'apiError.list'],
  [/^unknown field$/, 'apiError.unknownField'],
  [/^expected a string$/, 'apiError.string'],
  [/^needs at least (?<n>\d+) item\(s\)$/, 'apiError.minItems'],
  [/^at most (?<n>\d+) items$/, 'apiError.maxItems'],
  [/^control characters are not allowed$/, 'apiError.control'],
];

/** "is required" -> the phrase in the UI language (unknown phrases stay as sent). */
export function apiPhrase(text) {
  for (const [re, key] of API_PHRASES) {
    const m = re.exec(text);
    if (m) return t(key, m.groups);
  }
  return text;
}

/** Splits "languages[0].level: is required" into its path and its problem (no path -> null). */
export function splitApiMessage(msg, field) {
  const m = /^([A-Za-z_][\w.[\]]*): (.*)$/s.exec(msg || '');
  if (!m || (field && m[1] !== field && !field.endsWith(m[1]) && !m[1].endsWith(field))) return { path: null, problem: msg };
  return { path: m[1], problem: m[2] };
}

/** Labels of the fields on screen by API name (forms register theirs), for messages that name a field. */
export const fieldLabels = new Map();
export function fieldLabel(path) {
  const parts = String(path).split(/[.[\]]+/).filter((x) => x && !/^\d+$/.test(x));
  const name = parts[parts.length - 1] || '';
  const key = fieldLabels.get(name) || (parts[0] && fieldLabels.get(parts[0]));
  if (key) return t(key);
  return name.replace(/_id$/, '').replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}
