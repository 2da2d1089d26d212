import type { FeedModule, NormalizeContext, NormalizeResult } from '../../../shared/feeds/feed.ts';
import { aliasesFrom, collectFields, NOT_AN_OBJECT, type Parsed } from '../fields.ts';
import { enumeration, recordSchema, required, text, time, type FieldSpec } from '../field-kinds.ts';
import { msg } from '../../../shared/messages/index.ts';

/** 政务服务“好差评” ratings (FEEDS.md §5). Natural key: id, which every record must carry. */

/** The five levels of the national scheme: 5 is best. 好评 is 4–5, 差评 is 1–2. */
export const EVALUATION_RATINGS = {
  5: '非常满意',
  4: '满意',
  3: '基本满意',
  2: '不满意',
  1: '非常不满意',
} as const;
export type EvaluationRating = 1 | 2 | 3 | 4 | 5;

export const EVALUATION_CHANNELS = {
  window: '窗口',
  pc: '网站',
  mobile: '移动端',
  kiosk: '自助终端',
  sms: '短信',
} as const;
export type EvaluationChannel = keyof typeof EVALUATION_CHANNELS;

/** Field → 中文列名, as FEEDS.md lists them. */
export const EVALUATION_FIELD_LABELS = {
  id: '评价编号',
  at: '评价时间',
  rating: '评价等级',
  channel: '评价渠道',
  department: '部门',
  hall: '大厅',
} as const;

/** One accepted rating, as queued and kept in the ledger. `at` is epoch milliseconds. */
export interface EvaluationRecord {
  id: string;
  at: number;
  rating: EvaluationRating;
  channel?: EvaluationChannel;
  department?: string;
  hall?: string;
}

const RATING_CHOICES = Object.entries(EVALUATION_RATINGS)
  .reverse()
  .map(([level, label]) => `${level}/${label}`)
  .join(', ');

/** A level 1–5 as a number, a digit string, or its Chinese label. */
function parseRating(value: unknown): Parsed<EvaluationRating> {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5) {
    return { value: value as EvaluationRating };
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^[1-5]$/.test(text)) return { value: Number(text) as EvaluationRating };
    for (const [level, label] of Object.entries(EVALUATION_RATINGS)) {
      if (text === label) return { value: Number(level) as EvaluationRating };
    }
  }
  return { error: msg('record.not_rating', { value: String(value), choices: RATING_CHOICES }) };
}

/** Each field's kind: what normalize parses and what the record's JSON Schema says. */
export const EVALUATION_FIELD_SPECS = {
  id: required(text(128)),
  at: required(time()),
  rating: {
    required: true,
    parse: parseRating,
    schema: {
      anyOf: [
        { type: 'integer', minimum: 1, maximum: 5 },
        { type: 'string', enum: ['1', '2', '3', '4', '5', ...Object.values(EVALUATION_RATINGS)] },
      ],
      description: `1–5, 5 best (${RATING_CHOICES})`,
    },
  } as FieldSpec<EvaluationRating>,
  channel: enumeration(EVALUATION_CHANNELS),
  department: text(128),
  hall: text(64),
} satisfies Record<keyof typeof EVALUATION_FIELD_LABELS, FieldSpec<unknown>>;

function normalize(input: unknown, ctx: NormalizeContext): NormalizeResult<EvaluationRecord> {
  const c = collectFields(input, evaluationsFeed.fieldAliases, EVALUATION_FIELD_LABELS);
  if (!c) return NOT_AN_OBJECT;
  const f = EVALUATION_FIELD_SPECS;
  const id = c.read('id', f.id, ctx);
  const at = c.read('at', f.at, ctx);
  const rating = c.read('rating', f.rating, ctx);
  const channel = c.read('channel', f.channel, ctx);
  const department = c.read('department', f.department, ctx);
  const hall = c.read('hall', f.hall, ctx);
  if (c.errors.length > 0 || id === undefined || at === undefined || rating === undefined) {
    return { ok: false, errors: c.errors };
  }
  // Fixed key order: the canonical JSON is what duplicates and conflicts are compared on.
  return {
    ok: true,
    record: {
      id,
      at,
      rating,
      ...(channel !== undefined && { channel }),
      ...(department !== undefined && { department }),
      ...(hall !== undefined && { hall }),
    },
  };
}

export const evaluationsFeed: FeedModule<EvaluationRecord> = {
  name: 'evaluations',
  fieldAliases: aliasesFrom(EVALUATION_FIELD_LABELS),
  normalize,
  recordSchema: recordSchema('好差评 rating', EVALUATION_FIELD_LABELS, EVALUATION_FIELD_SPECS),
  naturalKey: (r) => r.id,
};
