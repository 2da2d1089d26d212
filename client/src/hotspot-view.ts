import type { Hotspot, HotspotLevel, LiveHotspot } from '@shared/analytics/hotspots.ts';
import type { AlertLevel } from '@shared/socket-events.ts';
import { formatHourMinute, reportDayOf } from './time-format.ts';

/**
 * How the wall and the console show 未诉先办 hotspots (ANALYTICS.md): their order, their level as the wall's
 * alert palette (黄/橙/红 → yellow/orange/red, told by shape and word too), and their figures in words.
 */

/** A hotspot level in the wall's one warning palette. */
export const LEVEL_PALETTE: Readonly<Record<HotspotLevel, AlertLevel>> = { 黄: 'yellow', 橙: 'orange', 红: 'red' };

const LEVEL_RANK: Readonly<Record<HotspotLevel, number>> = { 红: 3, 橙: 2, 黄: 1 };

/**
 * The evidence as a number to compare: a score that is not a finite number (JSON has no Infinity, so a p-value
 * that underflowed to 0 arrives as null) counts as the strongest.
 */
function evidence(score: number | null): number {
  return typeof score === 'number' && Number.isFinite(score) ? score : Number.POSITIVE_INFINITY;
}

/** Active ones first, then the higher level, the stronger evidence, the later raise; the id breaks ties so the order is stable. */
export function orderHotspots<H extends LiveHotspot>(hotspots: readonly H[]): H[] {
  return [...hotspots].sort(
    (a, b) =>
      Number(b.end === null) - Number(a.end === null) ||
      LEVEL_RANK[b.level] - LEVEL_RANK[a.level] ||
      (evidence(b.score) === evidence(a.score) ? 0 : evidence(b.score) > evidence(a.score) ? 1 : -1) ||
      b.raisedAt.localeCompare(a.raisedAt) ||
      a.id.localeCompare(b.id),
  );
}

/** What history predicted, as the wall writes it: one decimal below 10 (2.1), whole above (14). */
export function formatExpected(expected: number): string {
  if (!Number.isFinite(expected) || expected < 0) return '—';
  return expected < 10 ? expected.toFixed(1) : String(Math.round(expected));
}

/** The evidence (−log10 p) with one decimal; "—" when it is not a finite number (null on the wire). */
export function formatScore(score: number | null): string {
  return typeof score === 'number' && Number.isFinite(score) ? score.toFixed(1) : '—';
}

/** Where and what: "城市管理 · 文艺路街道", or only the one it has (a category across the district, a street across categories). */
export function hotspotPlace(hotspot: Pick<Hotspot, 'category' | 'street'>, anyCategory: string, wholeDistrict: string): string {
  return `${hotspot.category ?? anyCategory} · ${hotspot.street ?? wholeDistrict}`;
}

/** Since when, in the report zone: "14:05" on `today` (`YYYY-MM-DD`), else "12-03 14:05". */
export function formatSince(iso: string, today: string): string {
  const at = new Date(iso);
  const time = formatHourMinute(at);
  const day = reportDayOf(at);
  return day === today ? time : `${day.slice(5)} ${time}`;
}

/**
 * The hotspot's expectation spread over the report-zone days of its window (start to end, or `now` while
 * active), in proportion to the hours of the window each day holds: day → expected tickets that day.
 */
export function expectedByDay(hotspot: Pick<Hotspot, 'start' | 'end' | 'expected'>, now: Date): Map<string, number> {
  const startMs = Date.parse(hotspot.start);
  const endMs = Math.max(startMs, hotspot.end === null ? now.getTime() : Date.parse(hotspot.end));
  const out = new Map<string, number>();
  const spanMs = endMs - startMs;
  if (spanMs === 0) {
    out.set(reportDayOf(new Date(startMs)), hotspot.expected);
    return out;
  }
  // Report-zone days start on a whole hour (Asia/Shanghai has no half-hour offset), so hour steps find every boundary.
  const HOUR_MS = 3_600_000;
  for (let at = startMs; at < endMs;) {
    const next = Math.min(endMs, (Math.floor(at / HOUR_MS) + 1) * HOUR_MS);
    const day = reportDayOf(new Date(at));
    out.set(day, (out.get(day) ?? 0) + (hotspot.expected * (next - at)) / spanMs);
    at = next;
  }
  return out;
}
