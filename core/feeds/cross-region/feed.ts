import type { FeedModule, NormalizeContext, NormalizeResult } from '../../../shared/feeds/feed.ts';
import { aliasesFrom, collectFields, NOT_AN_OBJECT, type Parsed, parseEnum, withId } from '../fields.ts';
import { enumeration, recordSchema, required, text, time, type FieldSpec } from '../field-kinds.ts';
import { msg } from '../../../shared/messages/index.ts';

/** 跨域通办 case records (FEEDS.md §4). Natural key: (caseId, type). */

export const CROSS_REGION_MILESTONES = {
  received: '受理',
  completed: '办结',
  returned: '退件',
} as const;
export type CrossRegionMilestoneType = keyof typeof CROSS_REGION_MILESTONES;

/** 异地代收代办: which side received the application and which side handles it. */
export const CROSS_REGION_DIRECTIONS = {
  outbound: '本地收件、异地办理',
  inbound: '异地收件、本地办理',
} as const;
export type CrossRegionDirection = keyof typeof CROSS_REGION_DIRECTIONS;

/** Field → 中文列名, as FEEDS.md lists them. */
export const CROSS_REGION_FIELD_LABELS = {
  id: '编号',
  caseId: '办件编号',
  type: '环节',
  at: '时间',
  partnerRegion: '合作地区',
  direction: '方向',
  itemCode: '事项编码',
  itemName: '事项名称',
} as const;

/** One accepted case milestone, as queued and kept in the ledger. `at` is epoch milliseconds. */
export interface CrossRegionCaseRecord {
  id: string;
  caseId: string;
  type: CrossRegionMilestoneType;
  at: number;
  /** 合作地区, free text as the source writes it (e.g. 广东省深圳市南山区). */
  partnerRegion: string;
  direction: CrossRegionDirection;
  itemCode?: string;
  itemName?: string;
}

/** Separators people put between the two halves of a direction label (、 ， , / space). */
const LABEL_SEPARATORS = /[\s、，,/／;；]+/g;

/**
 * The direction's halves written with another separator (本地收件，异地办理), and the receiving half
 * alone (本地收件 / 异地收件), which is how staff shorten it; both name one direction unambiguously.
 */
const DIRECTION_SPELLINGS: ReadonlyMap<string, CrossRegionDirection> = new Map([
  ['本地收件异地办理', 'outbound'],
  ['本地收件', 'outbound'],
  ['异地收件本地办理', 'inbound'],
  ['异地收件', 'inbound'],
]);

function parseDirection(value: unknown): Parsed<CrossRegionDirection> {
  const exact = parseEnum(value, CROSS_REGION_DIRECTIONS);
  if ('value' in exact || typeof value !== 'string') return exact;
  const direction = DIRECTION_SPELLINGS.get(value.replace(LABEL_SEPARATORS, ''));
  if (direction) return { value: direction };
  return exact.error.code === 'record.not_in_list'
    ? { error: msg('record.not_in_list_or', { ...exact.error.params, more: '本地收件 / 异地收件' }) }
    : exact;
}

/** Each field's kind: what normalize parses and what the record's JSON Schema says. */
export const CROSS_REGION_FIELD_SPECS = {
  id: text(128),
  caseId: required(text(128)),
  type: required(enumeration(CROSS_REGION_MILESTONES)),
  at: required(time()),
  partnerRegion: required(text(128)),
  direction: {
    required: true,
    parse: parseDirection,
    schema: {
      type: 'string',
      // the labels with any separator between their halves, or the receiving half alone
      anyOf: [
        { enum: enumeration(CROSS_REGION_DIRECTIONS).schema.enum },
        { pattern: '^\\s*(本地收件[\\s、，,/／;；]*(异地办理)?|异地收件[\\s、，,/／;；]*(本地办理)?)\\s*$' },
      ],
      description: 'outbound = 本地收件、异地办理; inbound = 异地收件、本地办理 (also 本地收件 / 异地收件 alone)',
    },
  } as FieldSpec<CrossRegionDirection>,
  itemCode: text(64),
  itemName: text(256),
} satisfies Record<keyof typeof CROSS_REGION_FIELD_LABELS, FieldSpec<unknown>>;

function normalize(input: unknown, ctx: NormalizeContext): NormalizeResult<CrossRegionCaseRecord> {
  const c = collectFields(input, crossRegionFeed.fieldAliases, CROSS_REGION_FIELD_LABELS);
  if (!c) return NOT_AN_OBJECT;
  const f = CROSS_REGION_FIELD_SPECS;
  const givenId = c.read('id', f.id, ctx);
  const caseId = c.read('caseId', f.caseId, ctx);
  const type = c.read('type', f.type, ctx);
  const at = c.read('at', f.at, ctx);
  const partnerRegion = c.read('partnerRegion', f.partnerRegion, ctx);
  const direction = c.read('direction', f.direction, ctx);
  const itemCode = c.read('itemCode', f.itemCode, ctx);
  const itemName = c.read('itemName', f.itemName, ctx);
  if (
    c.errors.length > 0 ||
    caseId === undefined ||
    type === undefined ||
    at === undefined ||
    partnerRegion === undefined ||
    direction === undefined
  ) {
    return { ok: false, errors: c.errors };
  }
  // Fixed key order: the canonical JSON is what duplicates and conflicts are compared on.
  const content: Omit<CrossRegionCaseRecord, 'id'> = {
    caseId,
    type,
    at,
    partnerRegion,
    direction,
    ...(itemCode !== undefined && { itemCode }),
    ...(itemName !== undefined && { itemName }),
  };
  return { ok: true, record: withId(givenId, content) };
}

export const crossRegionFeed: FeedModule<CrossRegionCaseRecord> = {
  name: 'crossRegion',
  fieldAliases: aliasesFrom(CROSS_REGION_FIELD_LABELS),
  normalize,
  recordSchema: recordSchema('跨域通办 case milestone', CROSS_REGION_FIELD_LABELS, CROSS_REGION_FIELD_SPECS, CROSS_REGION_MILESTONES),
  naturalKey: (r) => `${r.caseId}|${r.type}`,
};
