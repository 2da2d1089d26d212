import type { FeedModule, NormalizeContext, NormalizeResult } from '../../../shared/feeds/feed.ts';
import { aliasesFrom, collectFields, NOT_AN_OBJECT, withId } from '../fields.ts';
import { count, enumeration, recordSchema, required, text, time, type FieldSpec } from '../field-kinds.ts';
import { encodeDimValue } from '../../../shared/feeds/dimensions.ts';
import { localDayHour, type LocalDay } from '../../../shared/time.ts';

/**
 * 政务服务大厅 (FEEDS.md §3): queue records of the 取号叫号 system and footfall rows of the entrance
 * counters, in one feed. Natural keys: a queue record (hall, local date of `at`, queueId, type); a
 * footfall row (hall, at), a snapshot.
 */

export const HALL_QUEUE_STEPS = { taken: '取号', called: '叫号', served: '办结', abandoned: '过号' } as const;
export type HallQueueStep = keyof typeof HALL_QUEUE_STEPS;

/** Every `type` (环节) the feed accepts: the queue steps and `footfall` 客流. */
export const HALL_RECORD_TYPES = { ...HALL_QUEUE_STEPS, footfall: '客流' } as const;

/** The hall a record without `hall` belongs to. */
export const DEFAULT_HALL = '区政务服务大厅';

/** The most 进入人数 one footfall row may state: one hall, one counting interval (docs/ARCHITECTURE.md, "Bounds"). */
export const HALL_MAX_ENTRIES = 100_000;

/** Field → 中文列名, as FEEDS.md lists them (`id` and `asOf` are the common-rule fields). */
export const HALL_FIELD_LABELS = {
  id: '编号',
  type: '环节',
  queueId: '排队号',
  at: '时间',
  hall: '大厅',
  window: '窗口',
  service: '业务类型',
  entries: '进入人数',
  asOf: '统计时间',
} as const;

/** One step of a visit. `day` is the local date of `at`, part of the natural key (numbers restart daily). */
export interface HallQueueRecord {
  id: string;
  type: HallQueueStep;
  hall: string;
  day: LocalDay;
  queueId: string;
  /** Epoch ms. */
  at: number;
  window?: string;
  service?: string;
}

/** People counted entering `hall` in the interval starting at `at` (epoch ms). */
export interface HallFootfallRow {
  id: string;
  type: 'footfall';
  hall: string;
  at: number;
  /** Whole number from 0 to HALL_MAX_ENTRIES. */
  entries: number;
  /** Epoch ms the counter produced the figure; the row with the latest `asOf` wins. */
  asOf?: number;
}

export type HallRecord = HallQueueRecord | HallFootfallRow;

const QUEUE_STEPS = Object.keys(HALL_QUEUE_STEPS);

/** Each field's kind: what normalize parses and what the record's JSON Schema says. */
export const HALL_FIELD_SPECS = {
  id: text(128),
  type: required(enumeration(HALL_RECORD_TYPES)),
  queueId: { ...text(64), requiredFor: QUEUE_STEPS },
  at: required(time()),
  hall: text(64),
  window: text(64),
  service: text(128),
  entries: { ...count(HALL_MAX_ENTRIES), requiredFor: ['footfall'] },
  asOf: time(),
} satisfies Record<keyof typeof HALL_FIELD_LABELS, FieldSpec<unknown>>;

function normalize(input: unknown, ctx: NormalizeContext): NormalizeResult<HallRecord> {
  const c = collectFields(input, hallFeed.fieldAliases, HALL_FIELD_LABELS);
  if (!c) return NOT_AN_OBJECT;
  const f = HALL_FIELD_SPECS;
  const givenId = c.read('id', f.id, ctx);
  const type = c.read('type', f.type, ctx);
  const at = c.read('at', f.at, ctx);
  const hall = c.read('hall', f.hall, ctx) ?? DEFAULT_HALL;
  if (type === 'footfall') {
    const entries = c.read('entries', f.entries, ctx, type);
    const asOf = c.read('asOf', f.asOf, ctx);
    if (c.errors.length > 0 || at === undefined || entries === undefined) return { ok: false, errors: c.errors };
    const content = { type, hall, at, entries, ...(asOf !== undefined && { asOf }) };
    return { ok: true, record: withId(givenId, content) };
  }
  if (type === undefined) return { ok: false, errors: c.errors };
  const queueId = c.read('queueId', f.queueId, ctx, type);
  const window = c.read('window', f.window, ctx);
  const service = c.read('service', f.service, ctx);
  if (c.errors.length > 0 || at === undefined || queueId === undefined) return { ok: false, errors: c.errors };
  const content = {
    type,
    hall,
    day: localDayHour(at, ctx.tz).day,
    queueId,
    at,
    ...(window !== undefined && { window }),
    ...(service !== undefined && { service }),
  };
  return { ok: true, record: withId(givenId, content) };
}

export const hallFeed: FeedModule<HallRecord> = {
  name: 'hall',
  fieldAliases: aliasesFrom(HALL_FIELD_LABELS),
  normalize,
  recordSchema: recordSchema('政务服务大厅 hall queue step or footfall row', HALL_FIELD_LABELS, HALL_FIELD_SPECS, HALL_RECORD_TYPES),
  naturalKey: (r) =>
    r.type === 'footfall'
      ? `footfall|${r.hall}|${r.at}`
      : `queue|${encodeDimValue(r.hall)}|${r.day}|${encodeDimValue(r.queueId)}|${r.type}`,
};
