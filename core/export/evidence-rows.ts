import { zoneOffsetMs } from '../../shared/time.ts';
import { csvCell } from '../imports/csv.ts';
import { HOTLINE_SOURCES, HOTLINE_URGENCIES, SATISFACTION_LEVELS, type HotlineMilestone } from '../feeds/hotline/feed.ts';
import { ONLINE_CHANNELS, type OnlineVolumeRow } from '../feeds/online/feed.ts';
import type { HallFootfallRow, HallQueueRecord } from '../feeds/hall/feed.ts';
import { CROSS_REGION_DIRECTIONS, type CrossRegionCaseRecord } from '../feeds/cross-region/feed.ts';
import { EVALUATION_CHANNELS, type EvaluationRecord } from '../feeds/evaluations/feed.ts';
import type { EvidenceRowKind } from './evidence-sides.ts';

/**
 * One CSV row per ledger entity of the evidence pack: the entity's key, the time its counted entry fell on
 * (计入时间), its milestones' times and its attributes, headers in Chinese with the field name beside it.
 * Never a caller's number (the ledger's `callerHash` is not written either). Times are local in TZ_REPORT.
 */

type Records = ReadonlyMap<string, unknown>;

const DAY_MS = 86_400_000;
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
/** Local day number → `YYYY-MM-DD` (a pack writes hundreds of thousands of times over a few hundred days). */
const dayText = new Map<number, string>();

/** `2022-03-05 09:12:00` in `tz`; empty for no time. */
export function localTime(ms: number | undefined, tz: string): string {
  if (ms === undefined) return '';
  const local = ms + zoneOffsetMs(ms, tz);
  const dayNo = Math.floor(local / DAY_MS);
  let day = dayText.get(dayNo);
  if (day === undefined) {
    if (dayText.size > 100_000) dayText.clear();
    dayText.set(dayNo, (day = new Date(dayNo * DAY_MS).toISOString().slice(0, 10)));
  }
  const s = Math.floor((local - dayNo * DAY_MS) / 1000);
  return `${day} ${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
}

const label = <T extends Record<string, string>>(labels: T, value: string | undefined) =>
  value === undefined ? '' : (labels[value as keyof T] ?? value);
const yesNo = (value: boolean | undefined) => (value === undefined ? '' : value ? '是' : '否');

interface RowFormat {
  header: string[];
  row(entity: string, records: Records, countedAt: number, tz: string): unknown[];
}

const TICKET_STEPS = ['received', 'signed', 'responded', 'completed', 'visited'] as const;
const TICKET_PRECEDENCE = ['signed', 'received', 'responded', 'completed', 'visited'] as const;

function ticketAttribute<K extends keyof HotlineMilestone>(records: Records, key: K): HotlineMilestone[K] | undefined {
  for (const type of TICKET_PRECEDENCE) {
    const value = (records.get(type) as HotlineMilestone | undefined)?.[key];
    if (value !== undefined) return value;
  }
  return undefined;
}

const FORMATS: Record<EvidenceRowKind, RowFormat> = {
  ticket: {
    header: [
      '工单编号（ticketId）',
      '计入时间（countedAt）',
      '受理时间（received）',
      '签收时间（signed）',
      '响应时间（responded）',
      '办结时间（completed）',
      '回访时间（visited）',
      '工单类型（urgency）',
      '诉求分类（category）',
      '所属街道（street）',
      '承办单位（department）',
      '来源（source）',
      '办理时限（deadline）',
      '是否解决（resolved）',
      '满意度（satisfaction）',
    ],
    row(entity, records, countedAt, tz) {
      const visited = records.get('visited') as (HotlineMilestone & { resolved?: boolean; satisfaction?: string }) | undefined;
      return [
        entity,
        localTime(countedAt, tz),
        ...TICKET_STEPS.map((s) => localTime((records.get(s) as HotlineMilestone | undefined)?.at, tz)),
        label(HOTLINE_URGENCIES, ticketAttribute(records, 'urgency')),
        ticketAttribute(records, 'category') ?? '',
        ticketAttribute(records, 'street') ?? '',
        ticketAttribute(records, 'department') ?? '',
        label(HOTLINE_SOURCES, ticketAttribute(records, 'source')),
        localTime(ticketAttribute(records, 'deadline'), tz),
        yesNo(visited?.resolved),
        label(SATISFACTION_LEVELS, visited?.satisfaction),
      ];
    },
  },
  volume: {
    header: [
      '日期（date）',
      '事项编码（itemCode）',
      '渠道（channel）',
      '事项名称（itemName）',
      '部门（department）',
      '是否全程网办（fullyOnline）',
      '办件量（count）',
      '统计时间（asOf）',
    ],
    row(_entity, records, _countedAt, tz) {
      const r = records.get('row') as OnlineVolumeRow;
      return [
        r.date,
        r.itemCode,
        label(ONLINE_CHANNELS, r.channel),
        r.itemName ?? '',
        r.department ?? '',
        yesNo(r.fullyOnline),
        r.count,
        localTime(r.asOf, tz),
      ];
    },
  },
  visit: {
    header: [
      '大厅（hall）',
      '日期（day）',
      '排队号（queueId）',
      '计入时间（countedAt）',
      '取号时间（taken）',
      '叫号时间（called）',
      '办结时间（served）',
      '过号时间（abandoned）',
      '窗口（window）',
      '业务类型（service）',
      '等候秒数（waitSeconds）',
    ],
    row(_entity, records, countedAt, tz) {
      const step = (s: string) => records.get(s) as HallQueueRecord | undefined;
      const steps = ['taken', 'called', 'served', 'abandoned'].map(step);
      const first = steps.find((s) => s !== undefined)!;
      const [taken, called] = steps;
      return [
        first.hall,
        first.day,
        first.queueId,
        localTime(countedAt, tz),
        ...steps.map((s) => localTime(s?.at, tz)),
        steps.find((s) => s?.window !== undefined)?.window ?? '',
        steps.find((s) => s?.service !== undefined)?.service ?? '',
        taken && called ? Math.max(0, Math.round((called.at - taken.at) / 1000)) : '',
      ];
    },
  },
  footfall: {
    header: ['大厅（hall）', '时间（at）', '进入人数（entries）', '统计时间（asOf）'],
    row(_entity, records, _countedAt, tz) {
      const r = records.get('footfall') as HallFootfallRow;
      return [r.hall, localTime(r.at, tz), r.entries, localTime(r.asOf, tz)];
    },
  },
  case: {
    header: [
      '办件编号（caseId）',
      '计入时间（countedAt）',
      '受理时间（received）',
      '办结时间（completed）',
      '退件时间（returned）',
      '合作地区（partnerRegion）',
      '方向（direction）',
      '事项编码（itemCode）',
      '事项名称（itemName）',
    ],
    row(entity, records, countedAt, tz) {
      const steps = ['received', 'completed', 'returned'].map((s) => records.get(s) as CrossRegionCaseRecord | undefined);
      const pick = <K extends 'partnerRegion' | 'direction' | 'itemCode' | 'itemName'>(key: K) =>
        steps.find((s) => s?.[key] !== undefined)?.[key];
      return [
        entity,
        localTime(countedAt, tz),
        ...steps.map((s) => localTime(s?.at, tz)),
        pick('partnerRegion') ?? '',
        label(CROSS_REGION_DIRECTIONS, pick('direction')),
        pick('itemCode') ?? '',
        pick('itemName') ?? '',
      ];
    },
  },
  rating: {
    header: ['评价编号（id）', '评价时间（at）', '评价等级（rating）', '评价渠道（channel）', '部门（department）', '大厅（hall）'],
    row(_entity, records, _countedAt, tz) {
      const r = records.get('rating') as EvaluationRecord;
      return [r.id, localTime(r.at, tz), r.rating, label(EVALUATION_CHANNELS, r.channel), r.department ?? '', r.hall ?? ''];
    },
  },
};

/** The CSV's first bytes: the UTF-8 BOM (Excel on Chinese Windows) and the header line. */
export function evidenceHeader(kind: EvidenceRowKind): string {
  return `\uFEFF${FORMATS[kind].header.map(csvCell).join(',')}\r\n`;
}

/** One entity as a CSV line (CRLF). */
export function evidenceLine(kind: EvidenceRowKind, entity: string, records: Records, countedAt: number, tz: string): string {
  return `${FORMATS[kind].row(entity, records, countedAt, tz).map(csvCell).join(',')}\r\n`;
}
