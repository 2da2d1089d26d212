import type { LocationQuery } from 'vue-router';
import { reportDayOf } from '../../time-format.ts';
import { fetchKpis } from './console-api.ts';
import { presetPeriod } from './period.ts';

/**
 * Asks for the overview's figures as soon as the route is entered, while the page's code (Element Plus,
 * the cards) still loads; the page then gets the same answer (console-api.ts reuses it). Same period
 * rule as usePeriod: the URL's, else this year to date.
 */
export function prefetchOverview(query: LocationQuery): void {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  const from = typeof query.from === 'string' && day.test(query.from) ? query.from : null;
  const to = typeof query.to === 'string' && day.test(query.to) ? query.to : null;
  const period = from && to && from <= to ? { from, to } : presetPeriod('year', reportDayOf(new Date()));
  fetchKpis(period.from, period.to).catch(() => undefined); // the page reports errors when it asks
}
