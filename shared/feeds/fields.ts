import { createHash } from 'node:crypto';
import { isLocalDay, parseInstant, type LocalDay } from '../time.ts';

/**
 * Field-level parsing shared by the feed modules: enumerations by code or Chinese label, booleans in
 * their four spellings, times with or without offset. Each parser returns the value or an error string.
 */

export type Parsed<T> = { value: T } | { error: string };

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

/** An enumeration given by English code or Chinese label. */
export function parseEnum<C extends string>(value: unknown, labels: Readonly<Record<C, string>>): Parsed<C> {
  const text = String(value).trim();
  for (const [code, label] of Object.entries(labels) as [C, string][]) {
    if (text === code || text === label) return { value: code };
  }
  const allowed = (Object.entries(labels) as [C, string][]).map(([c, l]) => `${c}/${l}`).join(', ');
  return { error: `"${text}" is not one of ${allowed}` };
}

const TRUE_WORDS = new Set(['true', '1', '是', 'y', 'yes']);
const FALSE_WORDS = new Set(['false', '0', '否', 'n', 'no']);

/** true/false, 1/0, 是/否, Y/N. */
export function parseBoolean(value: unknown): Parsed<boolean> {
  if (typeof value === 'boolean') return { value };
  const text = String(value).trim().toLowerCase();
  if (TRUE_WORDS.has(text)) return { value: true };
  if (FALSE_WORDS.has(text)) return { value: false };
  return { error: `"${String(value)}" is not a boolean (true/false, 1/0, 是/否, Y/N)` };
}

/** An ISO 8601 date-time; without an offset it is local time in `tz`. Returns epoch ms. */
export function parseTime(value: unknown, tz: string): Parsed<number> {
  if (typeof value !== 'string') return { error: `expected an ISO 8601 date-time string, got ${typeof value}` };
  const ms = parseInstant(value, tz);
  return ms === null ? { error: `"${value}" is not a valid ISO 8601 date-time` } : { value: ms };
}

/** A non-empty string of at most `max` characters. */
export function parseText(value: unknown, max: number): Parsed<string> {
  if (typeof value !== 'string' && typeof value !== 'number') return { error: `expected text, got ${typeof value}` };
  const text = String(value).trim();
  if (text.length === 0) return { error: 'is empty' };
  if (text.length > max) return { error: `is longer than ${max} characters` };
  return { value: text };
}

/** A stable id derived from a record's canonical content, for records sent without `id`. */
export function contentId(canonicalJson: string): string {
  return createHash('sha256').update(canonicalJson).digest('base64url').slice(0, 22);
}

/**
 * Collects parsed fields and their errors for one record, so a record reports every problem at once.
 * `label` is the field's English name and Chinese column name, as a user would search for it.
 */
export class FieldCollector {
  readonly errors: string[] = [];

  constructor(private readonly raw: Record<string, unknown>, private readonly labels: Readonly<Record<string, string>>) {}

  private label(field: string): string {
    const zh = this.labels[field];
    return zh ? `${field} (${zh})` : field;
  }

  /** Parses a required field; records "is required" when absent. */
  required<T>(field: string, parse: (v: unknown) => Parsed<T>): T | undefined {
    if (this.raw[field] === undefined) {
      this.errors.push(`${this.label(field)}: is required`);
      return undefined;
    }
    return this.optional(field, parse);
  }

  /** Parses an optional field; absent stays undefined. */
  optional<T>(field: string, parse: (v: unknown) => Parsed<T>): T | undefined {
    const v = this.raw[field];
    if (v === undefined) return undefined;
    const r = parse(v);
    if ('error' in r) {
      this.errors.push(`${this.label(field)}: ${r.error}`);
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

/** A calendar day written `YYYY-MM-DD`. */
export function parseLocalDay(value: unknown): Parsed<LocalDay> {
  if (typeof value !== 'string') return { error: `expected a date YYYY-MM-DD, got ${typeof value}` };
  const text = value.trim();
  return isLocalDay(text) ? { value: text } : { error: `"${text}" is not a calendar day YYYY-MM-DD` };
}

/**
 * A count (办件量, 进入人数): a whole number ≥ 0, given as a JSON number or a string of digits.
 * Negative numbers, fractions and any other text are refused, each with its own reason.
 */
export function parseCount(value: unknown): Parsed<number> {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^-?\d+(?:\.\d+)?$/.test(value.trim())) n = Number(value.trim());
  else return { error: `${JSON.stringify(value)} is not a number; expected a whole number ≥ 0` };
  if (!Number.isFinite(n)) return { error: `${n} is not a number; expected a whole number ≥ 0` };
  if (n < 0) return { error: `${n} is negative; expected a whole number ≥ 0` };
  if (!Number.isInteger(n)) return { error: `${n} is not a whole number; expected a whole number ≥ 0` };
  if (!Number.isSafeInteger(n)) return { error: `${n} is too large` };
  return { value: n };
}

/** The answer for a record that is not a JSON object. */
export const NOT_AN_OBJECT = { ok: false as const, errors: ['record must be a JSON object'] };

/**
 * Starts validating one raw record: null when it is not an object, else a collector over its fields,
 * Chinese column names renamed by the feed's aliases and unknown columns dropped.
 */
export function collectFields(input: unknown, aliases: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): FieldCollector | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return null;
  return new FieldCollector(renameFields(input as Record<string, unknown>, aliases), labels);
}

/** An accepted record: the given id, or one derived from its canonical content (same content, same id). */
export function withId<C extends object>(givenId: string | undefined, content: C): { id: string } & C {
  return { id: givenId ?? contentId(JSON.stringify(content)), ...content };
}
