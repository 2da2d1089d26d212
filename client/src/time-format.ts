/**
 * Dates and times as the bureau reads them: always in the report's zone, whatever the screen's own clock zone.
 * (The server's TZ_REPORT defaults to Asia/Shanghai; the contract does not expose it, so the client fixes it.)
 */
export const REPORT_TIME_ZONE = 'Asia/Shanghai';

const clockFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: REPORT_TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: REPORT_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const hourMinuteFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: REPORT_TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `HH:mm` (24-hour) in the report zone. */
export function formatHourMinute(instant: Date): string {
  return hourMinuteFormat.format(instant);
}

/** The calendar day before `day` (`YYYY-MM-DD` → `YYYY-MM-DD`), by the calendar, whatever the zone. */
export function previousDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! - 1)).toISOString().slice(0, 10);
}

/** The hour (0–23) of `instant` in the report zone. */
export function reportHourOf(instant: Date): number {
  return Number(hourMinuteFormat.format(instant).slice(0, 2));
}

/** `HH:mm:ss` (24-hour) in the report zone. */
export function formatClock(instant: Date): string {
  return clockFormat.format(instant);
}

/** The local calendar day `YYYY-MM-DD` of `instant` in the report zone. */
export function reportDayOf(instant: Date): string {
  const part = (type: Intl.DateTimeFormatPartTypes) => dayFormat.formatToParts(instant).find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

const dateFormats = new Map<string, { date: Intl.DateTimeFormat; weekday: Intl.DateTimeFormat }>();

/** The long date with weekday for the title bar: 2026年11月27日 星期五 / 27 November 2026 Friday. */
export function formatLongDate(instant: Date, locale: string): string {
  let formats = dateFormats.get(locale);
  if (!formats) {
    const intlLocale = locale === 'en' ? 'en-GB' : 'zh-CN';
    formats = {
      date: new Intl.DateTimeFormat(intlLocale, { timeZone: REPORT_TIME_ZONE, year: 'numeric', month: 'long', day: 'numeric' }),
      weekday: new Intl.DateTimeFormat(intlLocale, { timeZone: REPORT_TIME_ZONE, weekday: 'long' }),
    };
    dateFormats.set(locale, formats);
  }
  return `${formats.date.format(instant)} ${formats.weekday.format(instant)}`;
}
