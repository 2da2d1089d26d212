import { isLocalDay } from '../../shared/time.ts';
import type { FeedName } from '../../shared/feeds/feed.ts';

/**
 * File-specific value normalisation (FEEDS.md, Common rules → Files), applied to a row whose columns
 * already carry English field names, before the feed's `normalize`. Times written the way Excel and the
 * bureau's systems write them become ISO 8601 local times without an offset; validation stays in the feed.
 */

/** The fields of each feed that hold a time; `online.date` is a calendar day (see DATE_ONLY_FIELDS). */
export const TIME_FIELDS: Record<FeedName, string[]> = {
  hotline: ['at', 'deadline', 'receivedAt', 'signedAt', 'respondedAt', 'completedAt', 'visitedAt'],
  online: ['date', 'asOf'],
  hall: ['at', 'asOf'],
  crossRegion: ['at'],
  evaluations: ['at'],
};

/** Time fields that are calendar days (`YYYY-MM-DD`), not date-times. */
export const DATE_ONLY_FIELDS: Partial<Record<FeedName, string[]>> = { online: ['date'] };

// 2022-03-04 09:15[:00[.123]] · 2022/3/4 9:15 · 2022/03/04 09:15:05 · 2022年3月4日 9:15 (or 日9:15) · each without a time.
const LOCAL_TIME_RE =
  /^(\d{4})(?:-(\d{1,2})-(\d{1,2})|\/(\d{1,2})\/(\d{1,2})|年(\d{1,2})月(\d{1,2})日)(?:(?:\s+|T|(?<=日))(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?$/;

function pad2(text: string): string {
  return text.length === 1 ? `0${text}` : text;
}

/**
 * One time cell as an ISO 8601 local string: `YYYY-MM-DDTHH:mm:ss` (seconds default to 00), or
 * `YYYY-MM-DD` when the cell holds a date alone — or when `dateOnly` and the time is midnight (an XLSX
 * date cell). Anything else (an ISO string with an offset, a typo) is returned unchanged for the feed to judge.
 */
export function normalizeTimeText(text: string, dateOnly = false): string {
  const trimmed = text.trim();
  const m = LOCAL_TIME_RE.exec(trimmed);
  if (!m) return trimmed;
  const [, year, m1, d1, m2, d2, m3, d3, hour, minute, second, fraction] = m;
  const day = `${year}-${pad2((m1 ?? m2 ?? m3)!)}-${pad2((d1 ?? d2 ?? d3)!)}`;
  // Not a real date or time (2022/5/40, 25:00): leave the cell as written, so the rejection quotes it.
  if (!isLocalDay(day) || Number(hour ?? 0) > 23 || Number(minute ?? 0) > 59 || Number(second ?? 0) > 59) return trimmed;
  if (hour === undefined || minute === undefined) return day;
  const clock = `${pad2(hour)}:${minute}:${second ?? '00'}${fraction ?? ''}`;
  if (dateOnly && /^00:00:00(?:\.0+)?$/.test(clock)) return day;
  return `${day}T${clock}`;
}

/**
 * A row's values as the feed's `normalize` expects them: empty cells dropped (an absent field), text
 * trimmed, and every time field of `feed` rewritten by `normalizeTimeText`. Numbers and booleans (XLSX)
 * pass through; digit strings (CSV) stay strings — the feed parsers accept both.
 */
export function normalizeFileValues(feed: FeedName, record: Record<string, unknown>): Record<string, unknown> {
  const timeFields = TIME_FIELDS[feed];
  const dateOnly = DATE_ONLY_FIELDS[feed] ?? [];
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(record)) {
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string') {
      out[field] = value;
      continue;
    }
    const text = value.trim();
    if (text === '') continue;
    out[field] = timeFields.includes(field) ? normalizeTimeText(text, dateOnly.includes(field)) : text;
  }
  return out;
}
