import { computed } from 'vue';
import { useRoute, useRouter, type LocationQueryRaw } from 'vue-router';
import { reportDayOf } from '../../time-format.ts';

/** Calendar arithmetic on local days `YYYY-MM-DD` (UTC dates stand for the report zone's days). */
const toDate = (day: string) => new Date(`${day}T00:00:00Z`);
const toDay = (date: Date) => date.toISOString().slice(0, 10);
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export function addDays(day: string, n: number): string {
  const d = toDate(day);
  d.setUTCDate(d.getUTCDate() + n);
  return toDay(d);
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toDate(to).getTime() - toDate(from).getTime()) / 86_400_000) + 1;
}

/** The same day a year earlier (29 February → 28 February), as the server's 同比 reads it. */
export function sameDayLastYear(day: string): string {
  const monthDay = day.slice(5) === '02-29' ? '02-28' : day.slice(5);
  return `${Number(day.slice(0, 4)) - 1}-${monthDay}`;
}

export interface Period {
  from: string;
  to: string;
}

/** 环比: the period of the same length just before. */
export function previousPeriod(p: Period): Period {
  const length = daysBetween(p.from, p.to);
  return { from: addDays(p.from, -length), to: addDays(p.from, -1) };
}

/** 同比: the same days a year earlier. */
export function lastYearPeriod(p: Period): Period {
  return { from: sameDayLastYear(p.from), to: sameDayLastYear(p.to) };
}

/** The series interval that gives a readable chart for the period: days up to two months, weeks up to half a year, else months. */
export function intervalFor(p: Period): 'day' | 'week' | 'month' {
  const days = daysBetween(p.from, p.to);
  return days <= 62 ? 'day' : days <= 186 ? 'week' : 'month';
}

export type PresetName = 'today' | 'month' | 'quarter' | 'year' | 'lastYear';

/** A named period relative to `today`. */
export function presetPeriod(name: PresetName, today: string): Period {
  const year = today.slice(0, 4);
  const month = Number(today.slice(5, 7));
  switch (name) {
    case 'today':
      return { from: today, to: today };
    case 'month':
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case 'quarter': {
      const first = Math.floor((month - 1) / 3) * 3 + 1;
      return { from: `${year}-${String(first).padStart(2, '0')}-01`, to: today };
    }
    case 'year':
      return { from: `${year}-01-01`, to: today };
    case 'lastYear':
      return { from: `${Number(year) - 1}-01-01`, to: `${Number(year) - 1}-12-31` };
  }
}

/**
 * The console's period filter, kept in the URL (`?from=YYYY-MM-DD&to=YYYY-MM-DD`) so a view can be shared;
 * this year to date when absent. `setPeriod` replaces it, keeping the other query parameters.
 */
export function usePeriod() {
  const route = useRoute();
  const router = useRouter();
  const today = reportDayOf(new Date());
  const period = computed<Period>(() => {
    const from = typeof route.query.from === 'string' && DAY_RE.test(route.query.from) ? route.query.from : null;
    const to = typeof route.query.to === 'string' && DAY_RE.test(route.query.to) ? route.query.to : null;
    if (from && to && from <= to) return { from, to };
    return presetPeriod('year', today);
  });
  function setPeriod(p: Period, extra: LocationQueryRaw = {}): void {
    void router.replace({ query: { ...route.query, from: p.from, to: p.to, ...extra } });
  }
  return { period, setPeriod, today };
}
