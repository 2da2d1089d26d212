import type { KpiValue } from './kpis.ts';

/** Response bodies of the HTTP API (API.md), shared by server, client and tests. */

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface LoginResponse {
  token: string;
  role: Role;
  username: string;
  expiresInSeconds: number;
}

export type Role = 'admin' | 'manager' | 'display';

export interface IngestResponse {
  accepted: number;
  rejected: { index: number; errors: string[] }[];
  batchId: string | null;
}

export interface KpisResponse {
  period: { from: string; to: string };
  kpis: Record<string, KpiValue>;
}

export type SeriesInterval = 'hour' | 'day' | 'week' | 'month';

export interface SeriesResponse {
  period: { from: string; to: string };
  interval: SeriesInterval;
  /** Bucket starts: `YYYY-MM-DD HH:00` for hours, `YYYY-MM-DD` (first day) otherwise. */
  buckets: string[];
  /** KPI id → one value per bucket. */
  series: Record<string, KpiValue[]>;
}

/** One group of GET /api/kpis?groupBy=…: the dimension's value and its KPIs. */
export interface KpiGroup {
  key: string;
  kpis: Record<string, KpiValue>;
}

/** GET /api/kpis, with `groups` when grouped by a dimension and `where` when filtered by others. */
export type GroupedKpisResponse = KpisResponse & { groupBy?: string; where?: Record<string, string>; groups?: KpiGroup[] };
