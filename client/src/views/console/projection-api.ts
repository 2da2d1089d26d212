import type { ProjectionResponse } from '@shared/projection-types.ts';
import { apiRequest } from '../../api.ts';

/** Answers kept per year for a few seconds: the cards of one overview share one request. */
const recent = new Map<number, Promise<ProjectionResponse>>();
const REUSE_MS = 10_000;

/** GET /api/kpis/projection for `year` as of today (ANALYTICS.md, 预计全年). */
export function fetchProjection(year: number): Promise<ProjectionResponse> {
  let pending = recent.get(year);
  if (!pending) {
    pending = apiRequest<ProjectionResponse>(`/api/kpis/projection?year=${year}`);
    recent.set(year, pending);
    const forget = () => setTimeout(() => recent.get(year) === pending && recent.delete(year), REUSE_MS);
    pending.then(forget, () => recent.delete(year));
  }
  return pending;
}
