import type { FeedModule, NormalizeContext, NormalizeResult } from '../../../shared/feeds/feed.ts';
import { aliasesFrom, collectFields, NOT_AN_OBJECT, withId } from '../fields.ts';
import { boolean, enumeration, recordSchema, required, text, time, type FieldKind, type FieldSpec } from '../field-kinds.ts';
import { msg } from '../../../shared/messages/index.ts';

/** 12345 “一呼即应” ticket milestones (FEEDS.md §1). Natural key: (ticketId, type). */

export const HOTLINE_MILESTONES = {
  received: '受理',
  signed: '签收',
  responded: '响应',
  completed: '办结',
  visited: '回访',
} as const;
export type HotlineMilestoneType = keyof typeof HOTLINE_MILESTONES;

export const HOTLINE_URGENCIES = { normal: '普通', complex: '复杂', urgent: '紧急' } as const;
export type HotlineUrgency = keyof typeof HOTLINE_URGENCIES;

export const HOTLINE_SOURCES = { phone: '电话', web: '网站', wechat: '微信', app: '移动端', other: '其他' } as const;
export type HotlineSource = keyof typeof HOTLINE_SOURCES;

export const SATISFACTION_LEVELS = {
  very_satisfied: '非常满意',
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
  very_dissatisfied: '非常不满意',
} as const;
export type SatisfactionLevel = keyof typeof SATISFACTION_LEVELS;

/** Field → 中文列名, as FEEDS.md lists them. */
export const HOTLINE_FIELD_LABELS = {
  id: '编号',
  ticketId: '工单编号',
  type: '环节',
  at: '时间',
  urgency: '工单类型',
  category: '诉求分类',
  street: '所属街道',
  department: '承办单位',
  source: '来源',
  deadline: '办理时限',
  callerPhone: '来电号码',
  resolved: '是否解决',
  satisfaction: '满意度',
} as const;

/** One accepted milestone, as queued and kept in the ledger. Times are epoch milliseconds. */
export interface HotlineMilestone {
  id: string;
  ticketId: string;
  type: HotlineMilestoneType;
  at: number;
  urgency?: HotlineUrgency;
  category?: string;
  street?: string;
  department?: string;
  source?: HotlineSource;
  deadline?: number;
  /** Keyed hash of 来电号码; the clear number is never kept. */
  callerHash?: string;
  resolved?: boolean;
  satisfaction?: SatisfactionLevel;
}

const PHONE_RE = /^\+?[\d\s-]{5,20}$/;

/** A deadline (办理时限) may lie up to a year beyond the window's latest time. */
const DEADLINE_AHEAD_MS = 366 * 86_400_000;

const phoneNumber: FieldKind<string> = {
  parse: (v) =>
    (typeof v === 'string' || typeof v === 'number') && PHONE_RE.test(String(v).trim())
      ? { value: String(v).replace(/[\s-]/g, '') }
      : { error: msg('record.not_phone') },
  schema: { type: ['string', 'number'], pattern: PHONE_RE.source, description: 'hashed on arrival; the clear number is never kept' },
};

/** Each field's kind: what normalize parses and what the record's JSON Schema says. */
export const HOTLINE_FIELD_SPECS = {
  id: text(128),
  ticketId: required(text(128)),
  type: required(enumeration(HOTLINE_MILESTONES)),
  at: required(time()),
  urgency: enumeration(HOTLINE_URGENCIES),
  category: text(64),
  street: text(64),
  department: text(128),
  source: enumeration(HOTLINE_SOURCES),
  deadline: time(DEADLINE_AHEAD_MS),
  callerPhone: phoneNumber,
  resolved: { ...boolean, onlyFor: ['visited'] } as FieldSpec<boolean>,
  satisfaction: { ...enumeration(SATISFACTION_LEVELS), onlyFor: ['visited'] } as FieldSpec<SatisfactionLevel>,
} satisfies Record<keyof typeof HOTLINE_FIELD_LABELS, FieldSpec<unknown>>;

function normalize(input: unknown, ctx: NormalizeContext): NormalizeResult<HotlineMilestone> {
  const c = collectFields(input, hotlineFeed.fieldAliases, HOTLINE_FIELD_LABELS);
  if (!c) return NOT_AN_OBJECT;
  const f = HOTLINE_FIELD_SPECS;
  const givenId = c.read('id', f.id, ctx);
  const ticketId = c.read('ticketId', f.ticketId, ctx);
  const type = c.read('type', f.type, ctx);
  const at = c.read('at', f.at, ctx);
  const urgency = c.read('urgency', f.urgency, ctx);
  const category = c.read('category', f.category, ctx);
  const street = c.read('street', f.street, ctx);
  const department = c.read('department', f.department, ctx);
  const source = c.read('source', f.source, ctx);
  const deadline = c.read('deadline', f.deadline, ctx);
  const phone = c.read('callerPhone', f.callerPhone, ctx);
  const resolved = c.read('resolved', f.resolved, ctx);
  const satisfaction = c.read('satisfaction', f.satisfaction, ctx);
  if (type !== undefined && type !== 'visited' && (resolved !== undefined || satisfaction !== undefined)) {
    c.errors.push(msg('record.visit_only', { field: 'resolved/satisfaction', label: '是否解决/满意度', type }));
  }
  if (c.errors.length > 0 || ticketId === undefined || type === undefined || at === undefined) {
    return { ok: false, errors: c.errors };
  }
  // Fixed key order: the canonical JSON is what duplicates and conflicts are compared on.
  const content: Omit<HotlineMilestone, 'id'> = {
    ticketId,
    type,
    at,
    ...(urgency !== undefined && { urgency }),
    ...(category !== undefined && { category }),
    ...(street !== undefined && { street }),
    ...(department !== undefined && { department }),
    ...(source !== undefined && { source }),
    ...(deadline !== undefined && { deadline }),
    ...(phone !== undefined && { callerHash: ctx.hashPhone(phone) }),
    ...(resolved !== undefined && { resolved }),
    ...(satisfaction !== undefined && { satisfaction }),
  };
  return { ok: true, record: withId(givenId, content) };
}

export const hotlineFeed: FeedModule<HotlineMilestone> = {
  name: 'hotline',
  fieldAliases: aliasesFrom(HOTLINE_FIELD_LABELS),
  normalize,
  recordSchema: recordSchema('12345 工单环节 hotline milestone', HOTLINE_FIELD_LABELS, HOTLINE_FIELD_SPECS, HOTLINE_MILESTONES),
  naturalKey: (r) => `${r.ticketId}|${r.type}`,
};
