import type { Hotspot, HotspotReviewState } from '../../shared/analytics/hotspots.ts';
import { addDays, dayStartUtc } from '../../shared/time.ts';
import type { CoreContext } from '../context.ts';
import { HotspotStore } from '../analytics/hotspot-store.ts';
import { periodKind, type Period } from './period-label.ts';
import type { TextTable } from './table-text.ts';

/** The monthly report's section of 未诉先办 hotspots (ANALYTICS.md): the month's hotspots with their 研判. */
export interface HotspotSection {
  title: string;
  hotspots: Hotspot[];
  table: TextTable;
}

export const HOTSPOT_SECTION_TITLE = '未诉先办热点预警';

const REVIEW_WORDS: Record<HotspotReviewState, string> = { new: '待研判', acknowledged: '已签收', assigned: '已交办', closed: '已办结' };

function localTime(iso: string, tz: string): string {
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: tz,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('month')}月${get('day')}日 ${get('hour')}:${get('minute')}`;
}

function reviewText(h: Hotspot): string {
  const r = h.review;
  return [REVIEW_WORDS[r.state], r.department && `（${r.department}）`, r.note && `：${r.note}`].filter(Boolean).join('');
}

/** The section's table: 诉求类别, 街道, 起止, 工单 (预期), 级别, 研判. */
export function hotspotTable(hotspots: readonly Hotspot[], tz: string): TextTable {
  return {
    header: ['诉求类别', '街道', '起止时间', '工单数（历史预期）', '级别', '研判'],
    rows: hotspots.map((h) => [
      h.category ?? '全部类别',
      h.street ?? '全区',
      `${localTime(h.start, tz)} 至 ${h.end === null ? '仍在持续' : localTime(h.end, tz)}`,
      `${h.observed}（${h.expected}）`,
      h.level,
      reviewText(h),
    ]),
  };
}

/** The month's hotspots for the monthly report (a calendar month's export); null for other periods. */
export async function readHotspotSection(ctx: CoreContext, period: Period): Promise<HotspotSection | null> {
  if (periodKind(period) !== 'month') return null;
  const hotspots = await new HotspotStore(ctx).list(dayStartUtc(period.from, ctx.tz), dayStartUtc(addDays(period.to, 1), ctx.tz));
  return { title: HOTSPOT_SECTION_TITLE, hotspots, table: hotspotTable(hotspots, ctx.tz) };
}

/** The section in Markdown (no lines for a period without the section). */
export function hotspotMarkdown(section: HotspotSection | null | undefined): string[] {
  if (!section) return [];
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const { header, rows } = section.table;
  if (rows.length === 0) return [`## ${section.title}`, '', '本月未发现热点。', ''];
  return [`## ${section.title}`, '', ...[header, header.map(() => '---'), ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`), ''];
}
