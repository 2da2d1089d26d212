import { hash } from 'node:crypto';
import { dayStartUtc, isLocalDay, parseInstant, type LocalDay } from '../../shared/time.ts';
import { DEFAULT_TIME_WINDOW, type NormalizeContext } from '../../shared/feeds/feed.ts';
import { msg, type Message, type MessageParam } from '../../shared/messages/index.ts';

/**
 * Field-level parsing shared by the feed modules: enumerations by code or Chinese label, booleans in
 * their four spellings, times with or without offset. Each parser returns the value or why it refuses it
 * (a message of shared/messages, rendered in the reader's language at the edge).
 */

export type Parsed<T> = { value: T } | { error: Message };

/** Renames Chinese column names (and keeps English ones) using a feed's alias table. */
export function renameFields(raw: Record<string, unknown>, aliases: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const name = aliases[key.trim()];
    if (name === undefined) continue; // unknown columns are ignored (FEEDS.md)
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) continue;
    out[name] = typeof value === 'string' ? value.trim() : value;
  }
  return out;
}

/** What a value that should be text is, when it is not (`["signed"]` is refused, never read as "signed"). */
const kindOf = (value: unknown): Message => {
  if (Array.isArray(value)) return msg('kind.list');
  if (value === null) return msg('kind.null');
  const kind = typeof value;
  return msg(kind === 'number' || kind === 'boolean' || kind === 'string' ? `kind.${kind}` : 'kind.object');
};

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Every text field goes through here, on every path (HTTP JSON and NDJSON, file imports, connectors),
 * so the ledger, the aggregates and rebuild/verify hold the same string: trimmed, in Unicode NFC, with
 * tabs and line breaks as one space each run. Refused, with the position: a lone UTF-16 surrogate
 * (no UTF-8 spelling: Redis would store U+FFFD in field names while the ledger's JSON kept the
 * surrogate) and any other control character (NUL, ESC, DEL, C1).
 */
export function cleanText(value: string): Parsed<string> {
  // Printable ASCII (most ids, codes and times) holds nothing to replace, refuse or normalise.
  if (PRINTABLE_ASCII.test(value)) return { value: value.trim() };
  const text = value.replace(/[\t\n\r]+/g, ' ').trim();
  const bad = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(text);
  if (bad) {
    const code = `U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    return {
      error: msg(bad[0] >= '\ud800' ? 'record.lone_surrogate' : 'record.control_character', { char: code, position: bad.index + 1 }),
    };
  }
  return { value: text.normalize('NFC') };
}

/** Each enumeration's codes by code and by label. */
const enumCodes = new WeakMap<object, Map<string, string>>();

/** An enumeration given by English code or Chinese label. */
export function parseEnum<C extends string>(value: unknown, labels: Readonly<Record<C, string>>): Parsed<C> {
  if (typeof value !== 'string') return { error: msg('record.expected_text', { kind: kindOf(value) }) };
  const cleaned = cleanText(value);
  if ('error' in cleaned) return cleaned;
  const text = cleaned.value;
  let codes = enumCodes.get(labels);
  if (!codes) {
    codes = new Map();
    for (const [code, label] of Object.entries(labels) as [C, string][]) {
      for (const name of [code, label]) if (!codes.has(name)) codes.set(name, code); // the first entry named wins
    }
    enumCodes.set(labels, codes);
  }
  const code = codes.get(text) as C | undefined;
  if (code !== undefined) return { value: code };
  const allowed = (Object.entries(labels) as [C, string][]).map(([c, l]) => `${c}/${l}`).join(', ');
  return { error: msg('record.not_in_list', { value: text, allowed }) };
}

const TRUE_WORDS = new Set(['true', '1', '是', 'y', 'yes']);
const FALSE_WORDS = new Set(['false', '0', '否', 'n', 'no']);

/** true/false, 1/0, 是/否, Y/N. */
export function parseBoolean(value: unknown): Parsed<boolean> {
  if (typeof value === 'boolean') return { value };
  if (typeof value !== 'string' && typeof value !== 'number') return { error: msg('record.expected_boolean', { kind: kindOf(value) }) };
  const text = String(value).trim().toLowerCase();
  if (TRUE_WORDS.has(text)) return { value: true };
  if (FALSE_WORDS.has(text)) return { value: false };
  return { error: msg('record.not_boolean', { value: String(value) }) };
}

const HOUR_MS = 3_600_000;

/**
 * Refuses a time outside the plausible window: before the earliest day (local midnight in the report's
 * time zone) or more than the window's hours ahead of the server's clock, plus `extraAheadMs` (a
 * deadline lies in the future by nature). Settings INGEST_EARLIEST_DAY, INGEST_MAX_AHEAD_HOURS.
 */
export function checkWindow(ms: number, ctx: NormalizeContext, value: MessageParam, extraAheadMs = 0): Parsed<number> {
  const window = ctx.timeWindow ?? DEFAULT_TIME_WINDOW;
  if (ms < dayStartUtc(window.earliestDay, ctx.tz))
    return { error: msg('record.before_earliest', { value, earliest: window.earliestDay }) };
  const latest = Date.now() + window.maxAheadHours * HOUR_MS + extraAheadMs;
  if (ms > latest) {
    const params = { value, latest: new Date(latest).toISOString(), hours: window.maxAheadHours };
    return {
      error:
        extraAheadMs > 0
          ? msg('record.after_latest_days', { ...params, days: extraAheadMs / (24 * HOUR_MS) })
          : msg('record.after_latest', params),
    };
  }
  return { value: ms };
}

/** An ISO 8601 date-time within the plausible window; without an offset it is local time in `ctx.tz`. Returns epoch ms. */
export function parseTime(value: unknown, ctx: NormalizeContext, extraAheadMs = 0): Parsed<number> {
  if (typeof value !== 'string') return { error: msg('record.expected_time', { kind: kindOf(value) }) };
  const ms = parseInstant(value, ctx.tz);
  if (ms === null) return { error: msg('record.not_time', { value }) };
  return checkWindow(ms, ctx, value, extraAheadMs);
}

/** A non-empty string of at most `max` characters. */
export function parseText(value: unknown, max: number): Parsed<string> {
  if (typeof value !== 'string' && typeof value !== 'number') return { error: msg('record.expected_text', { kind: kindOf(value) }) };
  const cleaned = cleanText(String(value));
  if ('error' in cleaned) return cleaned;
  const text = cleaned.value;
  if (text.length === 0) return { error: msg('record.empty') };
  if (text.length > max) return { error: msg('record.too_long', { max }) };
  return { value: text };
}

/** A stable id derived from a record's canonical content, for records sent without `id`. */
export function contentId(canonicalJson: string): string {
  return hash('sha256', canonicalJson, 'base64url').slice(0, 22);
}

/**
 * Collects parsed fields and their errors for one record, so a record reports every problem at once.
 * `label` is the field's English name and Chinese column name, as a user would search for it.
 */
export class FieldCollector {
  readonly errors: Message[] = [];

  private readonly raw: Record<string, unknown>;
  private readonly labels: Readonly<Record<string, string>>;

  constructor(raw: Record<string, unknown>, labels: Readonly<Record<string, string>>) {
    this.raw = raw;
    this.labels = labels;
  }

  /** `message` about `field`: the renderer prefixes its English name and 中文列名. */
  about(field: string, message: Message): Message {
    const label = this.labels[field];
    return { code: message.code, params: { ...message.params, field, ...(label !== undefined && { label }) } };
  }

  /** Parses a required field; records "is required" when absent. */
  required<T>(field: string, parse: (v: unknown) => Parsed<T>): T | undefined {
    if (this.raw[field] === undefined) {
      this.errors.push(this.about(field, msg('record.required')));
      return undefined;
    }
    return this.optional(field, parse);
  }

  /**
   * Parses a field by its spec (core/feeds/field-kinds.ts): required when the spec says so, or when the
   * record's `type` is one of its `requiredFor` codes; else optional.
   */
  read<T>(
    field: string,
    spec: { parse(v: unknown, ctx: NormalizeContext): Parsed<T>; required?: boolean; requiredFor?: readonly string[] },
    ctx: NormalizeContext,
    type?: string,
  ): T | undefined {
    const parse = (v: unknown) => spec.parse(v, ctx);
    const isRequired = spec.required === true || (type !== undefined && spec.requiredFor?.includes(type) === true);
    return isRequired ? this.required(field, parse) : this.optional(field, parse);
  }

  /** Parses an optional field; absent stays undefined. */
  optional<T>(field: string, parse: (v: unknown) => Parsed<T>): T | undefined {
    const v = this.raw[field];
    if (v === undefined) return undefined;
    const r = parse(v);
    if ('error' in r) {
      this.errors.push(this.about(field, r.error));
      return undefined;
    }
    return r.value;
  }
}

/** Builds the alias table (Chinese and English name → English name) from a field → 中文列名 map. */
export function aliasesFrom(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, zh] of Object.entries(labels)) {
    out[field] = field;
    out[zh] = field;
  }
  return out;
}

/** A calendar day written `YYYY-MM-DD`; with `ctx`, one whose start lies in the plausible window. */
export function parseLocalDay(value: unknown, ctx?: NormalizeContext): Parsed<LocalDay> {
  if (typeof value !== 'string') return { error: msg('record.expected_day', { kind: kindOf(value) }) };
  const text = value.trim();
  if (!isLocalDay(text)) return { error: msg('record.not_day', { value: text }) };
  const within = ctx ? checkWindow(dayStartUtc(text, ctx.tz), ctx, text) : null;
  return within && 'error' in within ? within : { value: text };
}

/**
 * A count (办件量, 进入人数): a whole number from 0 to the feed's documented maximum `max` per record,
 * given as a JSON number or a string of digits. Negative numbers, fractions, larger numbers and any
 * other text are refused, each with its own reason. The maxima keep every sum Redis holds far below
 * 2^53 (docs/ARCHITECTURE.md, "Bounds").
 */
export function parseCount(value: unknown, max: number): Parsed<number> {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^-?\d+(?:\.\d+)?$/.test(value.trim())) n = Number(value.trim());
  else return { error: msg('record.not_a_number', { value: JSON.stringify(value) ?? String(value) }) };
  if (!Number.isFinite(n)) return { error: msg('record.not_a_number', { value: String(n) }) };
  if (n < 0) return { error: msg('record.negative', { value: n }) };
  if (!Number.isInteger(n)) return { error: msg('record.not_whole', { value: n }) };
  if (n > max) return { error: msg('record.over_max', { value: n, max }) };
  return { value: n };
}

/** The answer for a record that is not a JSON object. */
export const NOT_AN_OBJECT = { ok: false as const, errors: [msg('record.not_object')] };

/**
 * Starts validating one raw record: null when it is not an object, else a collector over its fields,
 * Chinese column names renamed by the feed's aliases and unknown columns dropped.
 */
export function collectFields(
  input: unknown,
  aliases: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): FieldCollector | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return null;
  return new FieldCollector(renameFields(input as Record<string, unknown>, aliases), labels);
}

/** An accepted record: the given id, or one derived from its canonical content (same content, same id). */
export function withId<C extends object>(givenId: string | undefined, content: C): { id: string } & C {
  return { id: givenId ?? contentId(JSON.stringify(content)), ...content };
}
