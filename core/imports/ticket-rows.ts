import { HOTLINE_FIELD_LABELS, type HotlineMilestoneType } from '../feeds/hotline/feed.ts';
import { aliasesFrom } from '../feeds/fields.ts';

/**
 * The hotline *ticket row* file (FEEDS.md §1): one row per ticket as the 12345 system exports it, one
 * time column per milestone. Each filled time becomes one milestone record in the hotline feed's field names.
 */

/** Time column of each milestone: field → 中文列名. */
export const TICKET_ROW_TIME_LABELS = {
  receivedAt: '受理时间',
  signedAt: '签收时间',
  respondedAt: '响应时间',
  completedAt: '办结时间',
  visitedAt: '回访时间',
} as const;

/** Every column of a ticket row: field → 中文列名. */
export const TICKET_ROW_LABELS = {
  ticketId: HOTLINE_FIELD_LABELS.ticketId,
  ...TICKET_ROW_TIME_LABELS,
  resolved: HOTLINE_FIELD_LABELS.resolved,
  satisfaction: HOTLINE_FIELD_LABELS.satisfaction,
  urgency: HOTLINE_FIELD_LABELS.urgency,
  category: HOTLINE_FIELD_LABELS.category,
  street: HOTLINE_FIELD_LABELS.street,
  department: HOTLINE_FIELD_LABELS.department,
  source: HOTLINE_FIELD_LABELS.source,
  deadline: HOTLINE_FIELD_LABELS.deadline,
  callerPhone: HOTLINE_FIELD_LABELS.callerPhone,
} as const;

/** Column name (中文 or English) → field of a ticket row; English names map to themselves. */
export const TICKET_ROW_ALIASES: Readonly<Record<string, string>> = aliasesFrom(TICKET_ROW_LABELS);

type TimeField = keyof typeof TICKET_ROW_TIME_LABELS;

/**
 * Milestone type, its time column, and the ticket fields it carries. What a milestone carries never
 * depends on which other columns are filled, so a later export of the same ticket (more milestones
 * filled) yields identical records for the milestones it had before — re-import adds only the new ones.
 */
const MILESTONES: readonly { type: HotlineMilestoneType; time: TimeField; carries: readonly string[] }[] = [
  { type: 'received', time: 'receivedAt', carries: ['category', 'street', 'source', 'callerPhone'] },
  {
    type: 'signed',
    time: 'signedAt',
    carries: ['urgency', 'category', 'street', 'department', 'source', 'deadline', 'callerPhone'],
  },
  { type: 'responded', time: 'respondedAt', carries: [] },
  { type: 'completed', time: 'completedAt', carries: [] },
  { type: 'visited', time: 'visitedAt', carries: ['resolved', 'satisfaction'] },
];

const TIME_FIELDS = Object.keys(TICKET_ROW_TIME_LABELS);

/**
 * True when a header row (Chinese or English column names, as in the file) is a ticket row file:
 * it has 工单编号/ticketId and at least one milestone time column, and no 环节/type column.
 */
export function isTicketRowHeader(headers: readonly string[]): boolean {
  const fields = new Set(headers.map((h) => TICKET_ROW_ALIASES[h.trim()] ?? h.trim()));
  if (fields.has('type') || fields.has(HOTLINE_FIELD_LABELS.type)) return false;
  return fields.has('ticketId') && TIME_FIELDS.some((f) => fields.has(f));
}

function isFilled(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}

/**
 * The milestone records of one ticket row (cells keyed by Chinese or English column names), in the
 * hotline feed's English field names, one per filled time column, in lifecycle order. Each carries
 * ticketId, type and at, plus the fields its milestone owns (see MILESTONES); values are passed as given
 * (the feed's `normalize` validates them). Fields of a milestone whose time is empty are not imported
 * (e.g. 满意度 without 回访时间). An empty array when no time column is filled.
 */
export function expandTicketRow(cells: Readonly<Record<string, unknown>>): Record<string, unknown>[] {
  const row: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(cells)) {
    const field = TICKET_ROW_ALIASES[column.trim()];
    if (field !== undefined && isFilled(value)) row[field] = value;
  }
  const records: Record<string, unknown>[] = [];
  for (const { type, time, carries } of MILESTONES) {
    if (row[time] === undefined) continue;
    const record: Record<string, unknown> = { ticketId: row.ticketId, type, at: row[time] };
    if (record.ticketId === undefined) delete record.ticketId; // the feed reports it as required
    for (const field of carries) if (row[field] !== undefined) record[field] = row[field];
    records.push(record);
  }
  return records;
}
