/** Scenario 6's generators, part 1: the hostile features, the values, one valid draft record per feed. */
import fc from 'fast-check';
import type { FeedName } from '../../../shared/feeds/feed.ts';
import { CROSS_REGION_FIELD_LABELS, CROSS_REGION_MILESTONES } from '../../../core/feeds/cross-region/feed.ts';
import { EVALUATION_CHANNELS, EVALUATION_FIELD_LABELS } from '../../../core/feeds/evaluations/feed.ts';
import { DEFAULT_HALL, HALL_FIELD_LABELS, HALL_QUEUE_STEPS } from '../../../core/feeds/hall/feed.ts';
import {
  HOTLINE_FIELD_LABELS,
  HOTLINE_MILESTONES,
  HOTLINE_SOURCES,
  HOTLINE_URGENCIES,
  SATISFACTION_LEVELS,
} from '../../../core/feeds/hotline/feed.ts';
import { ONLINE_CHANNELS, ONLINE_FIELD_LABELS } from '../../../core/feeds/online/feed.ts';

// ── Hostile features ─────────────────────────────────────────────────────────────────────────────

/** The named kinds of hostile input the generators mix in (half the changes drawn come from these). */
export const FEATURES = [
  /** online counts / footfall entries of 2^53−1 (the largest safe integer), far above the maximum of 100,000. */
  'overflow',
  /** lone UTF-16 surrogates in text fields. */
  'surrogate',
  /** `=`, `@`, `|`, `>` and newlines in dimension values (beside the same value written with `_`). */
  'dimension-chars',
  /** times far in the past or future (years 1000, 1899, 1970, 2200, 9999). */
  'far-time',
  /** an array where a string or boolean goes (`"type": ["signed"]`, `"fullyOnline": [true]`). */
  'array-for-string',
  /** NUL and other control characters in text. */
  'control',
  /** a JSON object naming one field twice, and a field given by its English and Chinese name at once. */
  'conflicting-keys',
] as const;
export type Feature = (typeof FEATURES)[number];

/**
 * What a record must come to: kept, refused, or either — only where the contract leaves it open: a
 * field given twice in one object, or by its English and its Chinese name at once (FEEDS.md names the
 * columns, not which of two wins or whether the pair is refused).
 */
export type Expect = 'valid' | 'invalid' | 'either';
export type Path = 'json' | 'ndjson' | 'csv' | 'connector';

export interface FuzzRecord {
  feed: FeedName;
  path: Path;
  expect: Expect;
  /** What is sent: a value, or (`text`) the JSON text itself, e.g. with a field named twice. */
  raw: unknown;
  text?: string;
  /** The natural key (FEEDS.md) of a record that must or may be kept. */
  key: string | null;
  /** For a refused record: the field its reason must name (null: the record as a whole). */
  badField?: string | null;
  /** An evaluation's department, when it counts in the breakdown check. */
  department?: string;
  features: Feature[];
}

export const LABELS: Record<FeedName, Readonly<Record<string, string>>> = {
  hotline: HOTLINE_FIELD_LABELS,
  online: ONLINE_FIELD_LABELS,
  hall: HALL_FIELD_LABELS,
  crossRegion: CROSS_REGION_FIELD_LABELS,
  evaluations: EVALUATION_FIELD_LABELS,
};

// ── Values ───────────────────────────────────────────────────────────────────────────────────────

/** Text every feed must keep exactly as sent (after trimming its ends). */
const ODD_TEXT = [
  '文艺路街道',
  '窗口 3',
  'e\u0301\u0301',
  '\u200F\u05D0\u05D1\u200E',
  'a\u202Eb',
  '👩‍👩‍👧‍👦',
  '𠀋𠀋',
  'O\'Brien "Q"',
  'a,b;c',
  'tab\tin',
  '_',
  'x_y',
  '长'.repeat(60),
  '\u00A0mid\u3000space',
];
const DIMENSION_TEXT = ['=', '@', '|', '>', 'x=y', 'x@y', 'x|y', 'x>y', 'x\ny'];
const SURROGATE_TEXT = ['\uD800', 'x\uDC00y', '\uDBFF\uDBFF'];
const CONTROL_TEXT = ['\u0000', 'a\u0000b', 'bell\u0007', '\u001B[31m'];

/** Departments of the breakdown check: values that differ only where a key separator would be. */
export const DEPARTMENTS = ['窗口_1', '窗口=1', '窗口@1', '窗口|1', '窗口>1', '_'];

const PLAUSIBLE_YEARS = [2021, 2022, 2023];
export const FAR_TIMES = [
  '1000-01-01T00:00:00+08:00',
  '1899-12-31T23:59:59+08:00',
  '1970-01-01T00:00:00Z',
  '2200-06-01T10:00:00+08:00',
  '9999-12-31T23:59:59+08:00',
];
export const BAD_TIMES: unknown[] = [
  '2022-02-30T10:00:00+08:00',
  '2022-13-01T10:00:00',
  'yesterday',
  '2022-05-01T25:00:00+08:00',
  '2022-05-01T10:00:00+15:00',
  1_651_370_400_000,
  true,
  { at: '2022-05-01' },
];

export const pad = (n: number) => String(n).padStart(2, '0');
const dayArb = fc
  .record({ y: fc.constantFrom(...PLAUSIBLE_YEARS), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
  .map(({ y, m, d }) => `${y}-${pad(m)}-${pad(d)}`);
/** A time on `day` (local, Asia/Shanghai) between 08:00 and 19:59, written with +08:00, Z or no offset. */
const timeOn = (day: string) =>
  fc
    .record({
      h: fc.integer({ min: 8, max: 19 }),
      mi: fc.integer({ min: 0, max: 59 }),
      style: fc.constantFrom('+08:00', 'Z', 'local', 'frac'),
    })
    .map(({ h, mi, style }) => {
      if (style === 'Z') return `${day}T${pad(h - 8)}:${pad(mi)}:00Z`;
      if (style === 'local') return `${day}T${pad(h)}:${pad(mi)}:00`;
      if (style === 'frac') return `${day}T${pad(h)}:${pad(mi)}:07.123+08:00`;
      return `${day}T${pad(h)}:${pad(mi)}:00+08:00`;
    });
const timeArb = dayArb.chain(timeOn);

/** Free text: plain, odd Unicode, and the hostile kinds (a lone surrogate or a control character makes the record bad). */
function textArb(options: { dimension?: boolean } = {}): fc.Arbitrary<{ value: string; feature?: Feature }> {
  const choices: fc.Arbitrary<{ value: string; feature?: Feature }>[] = [fc.constantFrom(...ODD_TEXT).map((value) => ({ value }))];
  if (options.dimension) choices.push(fc.constantFrom(...DIMENSION_TEXT).map((value) => ({ value, feature: 'dimension-chars' as const })));
  choices.push(fc.constantFrom(...SURROGATE_TEXT).map((value) => ({ value: `s${value}`, feature: 'surrogate' as const })));
  choices.push(fc.constantFrom(...CONTROL_TEXT).map((value) => ({ value: `c${value}`, feature: 'control' as const })));
  return fc.oneof({ weight: 4, arbitrary: choices[0]! }, ...choices.slice(1).map((arbitrary) => ({ weight: 1, arbitrary })));
}

// ── Records ──────────────────────────────────────────────────────────────────────────────────────

/** A valid record before hostile changes: its fields, its natural key, and whether its key is shared. */
export interface Draft {
  feed: FeedName;
  fields: Record<string, unknown>;
  key: string;
  /** The field that names the entity, replaced by a unique value for a record whose fate is open. */
  idField: string;
  department?: string;
  features: Feature[];
}

/** A mutation: what it does to a draft and what the record must then come to. */
export interface Mutation {
  feature?: Feature;
  expect: Expect;
  badField?: string | null;
  apply(fields: Record<string, unknown>): unknown;
}

// The feeds' own vocabularies: a record is sent with the code or its Chinese label.
const HOTLINE_TYPES = HOTLINE_MILESTONES;
const URGENCIES = HOTLINE_URGENCIES;
const SOURCES = HOTLINE_SOURCES;
const SATISFACTION = SATISFACTION_LEVELS;
const CHANNELS = ONLINE_CHANNELS;
const QUEUE_STEPS = HALL_QUEUE_STEPS;
const CASE_TYPES = CROSS_REGION_MILESTONES;
const EVAL_CHANNELS = EVALUATION_CHANNELS;

const keysOf = <T extends object>(o: T) => Object.keys(o) as (keyof T & string)[];
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Sets the optional text fields drawn, recording their hostile features. */
function withTexts(
  fields: Record<string, unknown>,
  features: Feature[],
  texts: Record<string, { value: string; feature?: Feature } | undefined>,
): void {
  for (const [name, t] of Object.entries(texts)) {
    if (!t) continue;
    fields[name] = t.value;
    if (t.feature) features.push(t.feature);
  }
}

/** One valid draft per feed, over a small pool of entities so that keys repeat (duplicates, conflicts, replacements). */
export function draftArb(feed: FeedName): fc.Arbitrary<Draft> {
  const entity = fc.integer({ min: 0, max: 3 });
  switch (feed) {
    case 'hotline':
      return fc
        .record({
          n: entity,
          type: fc.constantFrom(...keysOf(HOTLINE_TYPES)),
          at: timeArb,
          street: optional(textArb({ dimension: true })),
          category: optional(textArb({ dimension: true })),
          department: optional(textArb({ dimension: true })),
          source: optional(fc.constantFrom(...keysOf(SOURCES))),
          urgency: fc.constantFrom(...keysOf(URGENCIES)),
          label: fc.boolean(),
          phone: fc.boolean(),
          resolved: optional(fc.constantFrom(true, 'false', '是', 'N', 1)),
          satisfaction: optional(fc.constantFrom(...keysOf(SATISFACTION))),
        })
        .map((r) => {
          const ticketId = `T-${r.n}`;
          const features: Feature[] = [];
          const fields: Record<string, unknown> = { ticketId, type: r.label ? HOTLINE_TYPES[r.type] : r.type, at: r.at };
          withTexts(fields, features, { street: r.street, category: r.category, department: r.department });
          if (r.source) fields.source = r.label ? SOURCES[r.source] : r.source;
          if (r.type === 'signed') fields.urgency = r.label ? URGENCIES[r.urgency] : r.urgency;
          if (r.phone) fields.callerPhone = '138 0013 8000';
          if (r.type === 'visited' && r.resolved !== undefined) fields.resolved = r.resolved;
          if (r.type === 'visited' && r.satisfaction) fields.satisfaction = r.label ? SATISFACTION[r.satisfaction] : r.satisfaction;
          return { feed, fields, key: `${ticketId}|${r.type}`, idField: 'ticketId', features };
        });
    case 'online':
      return fc
        .record({
          n: entity,
          day: fc.constantFrom('2022-03-01', '2022-03-02'),
          channel: fc.constantFrom(...keysOf(CHANNELS)),
          label: fc.boolean(),
          count: fc.oneof(
            fc.integer({ min: 0, max: 100_000 }),
            fc.integer({ min: 0, max: 99_999 }).map((n) => ` ${n} `),
            fc.constant('12.0'),
          ),
          fullyOnline: optional(fc.constantFrom(true, false, '是', '否', 'Y', 'n', 0)),
          itemName: optional(textArb()),
          department: optional(textArb({ dimension: true })),
          asOf: optional(timeArb),
        })
        .map((r) => {
          const features: Feature[] = [];
          const itemCode = `I-${r.n}`;
          const fields: Record<string, unknown> = {
            date: r.day,
            itemCode,
            channel: r.label ? CHANNELS[r.channel] : r.channel,
            count: r.count,
          };
          if (r.fullyOnline !== undefined) fields.fullyOnline = r.fullyOnline;
          if (r.asOf) fields.asOf = r.asOf;
          withTexts(fields, features, { itemName: r.itemName, department: r.department });
          return { feed, fields, key: `${r.day}|${itemCode}|${r.channel}`, idField: 'itemCode', features };
        });
    case 'hall':
      return fc.oneof(
        fc
          .record({
            n: entity,
            day: dayArb,
            type: fc.constantFrom(...keysOf(QUEUE_STEPS)),
            label: fc.boolean(),
            hall: optional(textArb({ dimension: true })),
            window: optional(textArb({ dimension: true })),
            service: optional(textArb({ dimension: true })),
          })
          .chain((r) => timeOn(r.day).map((at) => ({ ...r, at })))
          .map((r) => {
            const features: Feature[] = [];
            const queueId = `A${r.n}`;
            const fields: Record<string, unknown> = { queueId, type: r.label ? QUEUE_STEPS[r.type] : r.type, at: r.at };
            withTexts(fields, features, { hall: r.hall, window: r.window, service: r.service });
            return {
              feed,
              fields,
              key: `queue|${r.hall?.value.trim() ?? DEFAULT_HALL}|${r.day}|${queueId}|${r.type}`,
              idField: 'queueId',
              features,
            };
          }),
        fc
          .record({
            hour: fc.integer({ min: 8, max: 10 }),
            entries: fc.oneof(fc.nat(5_000), fc.nat(99).map(String)),
            asOf: optional(timeArb),
          })
          .map((r) => {
            const at = `2022-04-01T${pad(r.hour)}:00:00+08:00`;
            const fields: Record<string, unknown> = { type: '客流', hall: '东门', at, entries: r.entries };
            if (r.asOf) fields.asOf = r.asOf;
            return { feed, fields, key: `footfall|东门|${at}`, idField: 'hall', features: [] };
          }),
      );
    case 'crossRegion':
      return fc
        .record({
          n: entity,
          type: fc.constantFrom(...keysOf(CASE_TYPES)),
          label: fc.boolean(),
          at: timeArb,
          partner: textArb({ dimension: true }),
          direction: fc.constantFrom('outbound', 'inbound', '本地收件、异地办理', '异地收件，本地办理', '本地收件'),
          itemCode: optional(textArb()),
        })
        .map((r) => {
          const features: Feature[] = [];
          const caseId = `C-${r.n}`;
          const fields: Record<string, unknown> = { caseId, type: r.label ? CASE_TYPES[r.type] : r.type, at: r.at, direction: r.direction };
          withTexts(fields, features, { partnerRegion: r.partner, itemCode: r.itemCode });
          return { feed, fields, key: `${caseId}|${r.type}`, idField: 'caseId', features };
        });
    case 'evaluations':
      return fc
        .record({
          n: entity,
          at: timeArb,
          rating: fc.constantFrom<unknown>(1, 2, 3, 4, 5, '3', ' 5 ', '满意', '非常不满意'),
          channel: optional(fc.constantFrom(...keysOf(EVAL_CHANNELS), ...Object.values(EVAL_CHANNELS))),
          hall: optional(textArb({ dimension: true })),
        })
        .map((r) => {
          const features: Feature[] = [];
          const id = `E-${r.n}`;
          // The entity's department is fixed, so the breakdown by department is known whichever copy stands.
          const department = DEPARTMENTS[r.n % DEPARTMENTS.length]!;
          if (department !== '_' && department !== '窗口_1' && department !== '民政局') features.push('dimension-chars');
          const fields: Record<string, unknown> = { id, at: r.at, rating: r.rating, department };
          if (r.channel) fields.channel = r.channel;
          withTexts(fields, features, { hall: r.hall });
          return { feed, fields, key: id, idField: 'id', department, features };
        });
  }
}
