import type { Hotspot, HotspotReviewRequest, HotspotsResponse } from '@shared/analytics/hotspots.ts';
import { apiRequest } from '../../api.ts';
import { fetchKpis } from './console-api.ts';
import { trendQuery } from './hotspot-trend.ts';

/** The 研判 page's calls: the period's hotspots, a review action, and the daily tickets behind a hotspot's trend. */

/** GET /api/hotline/hotspots for local days from..to. */
export function fetchHotspots(from: string, to: string): Promise<HotspotsResponse> {
  return apiRequest<HotspotsResponse>(`/api/hotline/hotspots?${new URLSearchParams({ from, to })}`);
}

/** POST /api/hotline/hotspots/:id/review (manager): acknowledge, assign to a department, close with a note (audited). */
export function reviewHotspot(id: string, body: HotspotReviewRequest): Promise<unknown> {
  return apiRequest<unknown>(`/api/hotline/hotspots/${encodeURIComponent(id)}/review`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
}

/**
 * Signed tickets per local day of a hotspot's (category, street), category or street: one GET /api/kpis per day
 * with the breakdown of `trendQuery` (the series call has no drill-down filter). Day → count (0 where none).
 */
export async function fetchDailyTickets(hotspot: Pick<Hotspot, 'category' | 'street'>, days: readonly string[]): Promise<number[]> {
  const { groupBy, where, key } = trendQuery(hotspot);
  return Promise.all(
    days.map(async (day) => {
      const answer = await fetchKpis(day, day, groupBy, where);
      const value = answer.groups?.find((g) => g.key === key)?.kpis['hotline.signed']?.value;
      return typeof value === 'number' ? value : 0;
    }),
  );
}
