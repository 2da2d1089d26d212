import { API_MESSAGES } from './api-messages.ts';
import { RECORD_MESSAGES } from './record-messages.ts';
import { ADMIN_MESSAGES } from './admin-messages.ts';
import { CLOSED_YEAR_MESSAGES } from './closed-year-messages.ts';
import { PROJECTION_MESSAGES } from './projection-messages.ts';
import { HOTSPOT_MESSAGES } from './hotspot-messages.ts';

/**
 * The one message catalogue of the server's words for people: API errors, rejected records, import
 * errors. Domain code never builds a sentence; it names a `Message` (a stable, language-free `code` and
 * its `params`), and the edges render it in the reader's language: the HTTP error handler, the ingest
 * response, the import report and the console's reads of stored rejections (rendered when read, so the
 * language follows the reader, not the writer). Operators' words (CLI output, logs, connectors) stay English.
 */

/** The languages of the catalogue: Chinese first (the default), English on request. */
export const MESSAGE_LANGUAGES = ['zh-CN', 'en'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];
export const DEFAULT_MESSAGE_LANGUAGE: MessageLanguage = 'zh-CN';

/** One entry: the same sentence in each language; `{name}` placeholders take the message's params. */
export interface CatalogueEntry {
  'zh-CN': string;
  en: string;
}

export const MESSAGES = {
  ...RECORD_MESSAGES,
  ...API_MESSAGES,
  ...ADMIN_MESSAGES,
  ...CLOSED_YEAR_MESSAGES,
  ...PROJECTION_MESSAGES,
  ...HOTSPOT_MESSAGES,
} as const satisfies Record<string, CatalogueEntry>;
export type MessageCode = keyof typeof MESSAGES;

/**
 * A param is text or a number shown as is, a message of its own (a word like "a list", rendered in the same
 * language), or a text already said in both languages (a validator library's own words).
 */
export type MessageParam = string | number | Message | CatalogueEntry;

/**
 * Something to say, not yet said. With params `field` and `label` (the field's English name and 中文列名)
 * it is about one field of a record, and renders as `label（field）：…` / `field (label): …`.
 */
export interface Message {
  code: MessageCode;
  params?: Record<string, MessageParam>;
}

export function msg(code: MessageCode, params?: Record<string, MessageParam>): Message {
  return params === undefined ? { code } : { code, params };
}

export function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as Message).code === 'string' && (value as Message).code in MESSAGES;
}

/** `{name}` placeholders of a template, for the catalogue's own test. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

/** Renders a message in `lang`; an unknown code (a message stored by a newer version) shows its code. */
export function renderMessage(message: Message, lang: MessageLanguage): string {
  const entry = (MESSAGES as Record<string, CatalogueEntry>)[message.code];
  if (!entry) return message.code;
  const params = message.params ?? {};
  const text = entry[lang].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    if (typeof value !== 'object') return String(value);
    return 'code' in value ? renderMessage(value, lang) : value[lang];
  });
  const { field, label } = params;
  if (typeof field !== 'string') return text;
  if (lang === 'en') return `${label ? `${field} (${String(label)})` : field}: ${text}`;
  return `${label ? `${String(label)}（${field}）` : field}：${text}`;
}

/**
 * The language an `Accept-Language` header prefers among the catalogue's: ranges by q-value (1 when
 * absent, 0 excluded), ties in the header's order; `zh…` is Chinese, `en…` English, `*` or nothing known
 * the default (Chinese).
 */
export function negotiateLanguage(header: string | undefined | null): MessageLanguage {
  if (!header) return DEFAULT_MESSAGE_LANGUAGE;
  const ranges = header
    .split(',')
    .map((part, order) => {
      const [range = '', ...attrs] = part.trim().split(';');
      const qAttr = attrs.map((a) => a.trim()).find((a) => /^q=/i.test(a));
      const q = qAttr === undefined ? 1 : Number(qAttr.slice(2));
      return { range: range.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((r) => r.range !== '' && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { range } of ranges) {
    if (range === '*') return DEFAULT_MESSAGE_LANGUAGE;
    const primary = range.split('-')[0];
    if (primary === 'zh') return 'zh-CN';
    if (primary === 'en') return 'en';
  }
  return DEFAULT_MESSAGE_LANGUAGE;
}

/** `value` with every message in it (at any depth of arrays and plain objects) rendered in `lang`. */
export function renderDeep(value: unknown, lang: MessageLanguage): unknown {
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, lang));
  if (isMessage(value)) return renderMessage(value, lang);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, lang)]));
}

/** Why a record or row is refused, for the wire: `errors` (rendered in `lang`) and `reasons` (codes and fields). */
export function renderReasons(
  messages: readonly Message[],
  lang: MessageLanguage,
): { errors: string[]; reasons: { code: string; field?: string }[] } {
  return {
    errors: messages.map((m) => renderMessage(m, lang)),
    reasons: messages.map((m) => (typeof m.params?.field === 'string' ? { code: m.code, field: m.params.field } : { code: m.code })),
  };
}
