/**
 * Calendar arithmetic in the report's time zone (TZ_REPORT, default Asia/Shanghai).
 *
 * Every day/hour bucket is a local calendar period in that zone. Offsets come from the platform's
 * Intl data (so any IANA zone, DST included, works) and are cached per UTC hour, which keeps parsing
 * at a few hundred nanoseconds a record on the ingest hot path.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A local calendar day, `YYYY-MM-DD`. */
export type LocalDay = string;

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Zone → UTC hour number → offset (ms). */
const offsetCache = new Map<string, Map<number, number>>();

/** True when `tz` names a time zone this platform knows. */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Offset of `tz` from UTC at the instant `utcMs`, in milliseconds (Asia/Shanghai: +8 h). */
export function zoneOffsetMs(utcMs: number, tz: string): number {
  const hourNumber = Math.floor(utcMs / HOUR_MS);
  let zone = offsetCache.get(tz);
  if (!zone) offsetCache.set(tz, (zone = new Map()));
  const cached = zone.get(hourNumber);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const p of formatterFor(tz).formatToParts(new Date(Math.floor(utcMs / HOUR_MS) * HOUR_MS))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const offset = asUtc - Math.floor(utcMs / HOUR_MS) * HOUR_MS;
  if (zone.size > 200_000) zone.clear();
  zone.set(hourNumber, offset);
  return offset;
}

/** The UTC instant of a local wall-clock time in `tz`. */
export function localToUtc(tz: string, year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const first = wall - zoneOffsetMs(wall, tz);
  return wall - zoneOffsetMs(first, tz);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Local day and hour by local hour number (local wall-clock ms / 1 h): the same object for every instant of that hour. */
const localHours = new Map<number, Readonly<{ day: LocalDay; hour: number }>>();

/** Local day and hour (0–23) of the instant `utcMs` in `tz` (shared: not to be changed by the caller). */
export function localDayHour(utcMs: number, tz: string): Readonly<{ day: LocalDay; hour: number }> {
  const localHour = Math.floor((utcMs + zoneOffsetMs(utcMs, tz)) / HOUR_MS);
  let cached = localHours.get(localHour);
  if (!cached) {
    const d = new Date(localHour * HOUR_MS);
    cached = { day: `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`, hour: d.getUTCHours() };
    if (localHours.size > 200_000) localHours.clear();
    localHours.set(localHour, cached);
  }
  return cached;
}

/** An ISO 8601 date-time as parseInstant reads it (offset optional); its source is the feed schemas' pattern. */
export const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses an ISO 8601 date-time. An offset (`Z`, `+08:00`) is honoured; without one the time is local
 * in `tz`. Returns epoch milliseconds, or null for anything that is not a real date-time.
 */
export function parseInstant(text: string, tz: string): number | null {
  const m = ISO_INSTANT.exec(text.trim());
  if (!m) return null;
  const [, ys, mos, ds, hs, mis, ss, frac, off] = m;
  const year = Number(ys),
    month = Number(mos),
    day = Number(ds);
  const hour = Number(hs),
    minute = Number(mis),
    second = ss ? Number(ss) : 0;
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  if (!off) return localToUtc(tz, year, month, day, hour, minute, second, ms);
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (off === 'Z' || off === 'z') return wall;
  const sign = off[0] === '-' ? -1 : 1;
  const digits = off.slice(1).replace(':', '');
  const offH = Number(digits.slice(0, 2));
  const offM = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (offH > 14 || offM > 59) return null;
  return wall - sign * (offH * HOUR_MS + offM * 60_000);
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written `YYYY-MM-DD`. */
export function isLocalDay(text: string): boolean {
  const m = DAY_RE.exec(text);
  return !!m && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** The day `n` days after `day` (n may be negative). */
export function addDays(day: LocalDay, n: number): LocalDay {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d) + n * DAY_MS);
  return `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
}

/** Every day from `from` to `to`, both included; empty when `to` is before `from`. */
export function daysInRange(from: LocalDay, to: LocalDay): LocalDay[] {
  const days: LocalDay[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

/** The UTC instant at which local day `day` starts in `tz`. */
export function dayStartUtc(day: LocalDay, tz: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return localToUtc(tz, y, m, d);
}
