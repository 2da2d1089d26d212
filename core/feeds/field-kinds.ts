import type { NormalizeContext } from '../../shared/feeds/feed.ts';
import { ISO_INSTANT } from '../../shared/time.ts';
import { parseBoolean, parseCount, parseEnum, parseLocalDay, parseText, parseTime, type Parsed } from './fields.ts';

/**
 * A record field's kind: the parser the feed's validation runs and the JSON Schema of what a sender may
 * write, side by side, so `GET /api/openapi.json` describes a record from the same definitions that
 * judge it (never a second copy). A schema cannot say everything a parser checks — the time window
 * moves with the clock — so what it leaves to the server is in its description.
 */

export type JsonSchema = Record<string, unknown>;

export interface FieldKind<T> {
  parse(value: unknown, ctx: NormalizeContext): Parsed<T>;
  /** What a sender may write for this field (JSON Schema 2020-12). */
  schema: JsonSchema;
}

export interface FieldSpec<T> extends FieldKind<T> {
  /** Every record must carry it. */
  required?: boolean;
  /** Required only when the record's `type` is one of these codes. */
  requiredFor?: readonly string[];
  /** Allowed only when the record's `type` is one of these codes. */
  onlyFor?: readonly string[];
}

/** Text after trimming: at least one visible character, no control character but tab and line breaks. */
const TEXT_PATTERN = '^(?=[\\s\\S]*\\S)[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$';

export const text = (max: number): FieldKind<string> => ({
  parse: (v) => parseText(v, max),
  schema: { type: ['string', 'number'], minLength: 1, maxLength: max, pattern: TEXT_PATTERN },
});

/** An enumeration: its English code or its Chinese label. */
export function enumeration<C extends string>(labels: Readonly<Record<C, string>>, extra: readonly string[] = []): FieldKind<C> {
  const entries = Object.entries(labels) as [C, string][];
  return {
    parse: (v) => parseEnum(v, labels),
    schema: {
      type: 'string',
      enum: [...entries.map(([code]) => code), ...entries.map(([, label]) => label), ...extra],
      description: entries.map(([code, label]) => `${code} = ${label}`).join('; '),
    },
  };
}

/** A date-time, ISO 8601; without an offset it is local time in TZ_REPORT. */
export const time = (extraAheadMs = 0): FieldKind<number> => ({
  parse: (v, ctx) => parseTime(v, ctx, extraAheadMs),
  schema: {
    type: 'string',
    pattern: ISO_INSTANT.source,
    description:
      'ISO 8601 date-time, e.g. 2022-03-04T09:15:00+08:00; without an offset it is local time (TZ_REPORT). ' +
      `Refused before INGEST_EARLIEST_DAY or more than INGEST_MAX_AHEAD_HOURS after the server's clock` +
      (extraAheadMs > 0 ? ` (+ ${extraAheadMs / 86_400_000} days)` : '') +
      '.',
  },
});

/** A calendar day YYYY-MM-DD. `inWindow`: its start must lie in the plausible time window. */
export const localDay = (inWindow: boolean): FieldKind<string> => ({
  parse: (v, ctx) => parseLocalDay(v, inWindow ? ctx : undefined),
  schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a calendar day YYYY-MM-DD' },
});

export const boolean: FieldKind<boolean> = {
  parse: (v) => parseBoolean(v),
  schema: {
    anyOf: [
      { type: 'boolean' },
      { enum: [0, 1] },
      { type: 'string', pattern: '^\\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy]([Ee][Ss])?|[Nn][Oo]?|[01]|是|否)\\s*$' },
    ],
    description: 'true/false, 1/0, 是/否, Y/N',
  },
};

/** A whole number from 0 to `max`, as a number or a string of digits. */
export const count = (max: number): FieldKind<number> => ({
  parse: (v) => parseCount(v, max),
  schema: {
    anyOf: [
      { type: 'integer', minimum: 0, maximum: max },
      { type: 'string', pattern: '^\\s*\\d+(\\.0+)?\\s*$' },
    ],
    description: `a whole number from 0 to ${max}`,
  },
});

/** A field every record carries. */
export const required = <T>(kind: FieldKind<T>): FieldSpec<T> => ({ ...kind, required: true });

/** Properties, `required` and the rules tied to `type` of a record's JSON Schema, from its field specs. */
export function recordSchema(
  title: string,
  labels: Readonly<Record<string, string>>,
  specs: Readonly<Record<string, FieldSpec<unknown>>>,
  typeLabels: Readonly<Record<string, string>> = {},
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const requiredNames: string[] = [];
  const rules: JsonSchema[] = [];
  const typeValues = (codes: readonly string[]) => codes.flatMap((c) => (typeLabels[c] ? [c, typeLabels[c]] : [c]));
  for (const [name, spec] of Object.entries(specs)) {
    properties[name] = { title: labels[name] ?? name, ...spec.schema };
    if (spec.required) requiredNames.push(name);
    if (spec.requiredFor) {
      rules.push({
        if: { properties: { type: { enum: typeValues(spec.requiredFor) } }, required: ['type'] },
        then: { required: [name] },
      });
    }
    if (spec.onlyFor) {
      rules.push({
        if: { required: [name] },
        then: { properties: { type: { enum: typeValues(spec.onlyFor) } } },
      });
    }
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    description:
      "One record. A field may also be named by its Chinese column name (each property's title); unknown fields are ignored; " +
      'the server also reads an empty or null value as absent.',
    type: 'object',
    properties,
    required: requiredNames,
    ...(rules.length > 0 && { allOf: rules }),
  };
}
