import type { KpiValue } from './kpis.ts';
import type { FeedName } from './feeds/feed.ts';

/** Response bodies of the HTTP API (API.md), shared by server, client and tests. */

/**
 * `code`: the coarse class (v1, stable); `reason`: the specific, language-free code of the message
 * catalogue (shared/messages); `message`: in the request's Accept-Language (Chinese by default).
 */
export interface ApiErrorBody {
  error: { code: string; reason?: string; message: string; details?: unknown };
}

export interface LoginResponse {
  token: string;
  role: Role;
  username: string;
  expiresInSeconds: number;
}

export type Role = 'admin' | 'manager' | 'display';

/**
 * A refused record: its reasons in the request's language (`errors`, v1) and, in the same order, each
 * reason's language-free `code` of the message catalogue and the `field` it is about (`reasons`).
 */
export interface RejectedRecord {
  index: number;
  errors: string[];
  reasons: RejectionReason[];
}

export interface RejectionReason {
  code: string;
  field?: string;
}

export interface IngestResponse {
  accepted: number;
  rejected: RejectedRecord[];
  batchId: string | null;
}

/** A pull connector's source (core/connectors/config.ts validates its configuration). */
export type ConnectorKind = 'http' | 'folder';

/** What a connector's schedule, health and API show of it (never its secrets). */
export interface ConnectorMeta {
  id: string;
  kind: ConnectorKind;
  feed: FeedName;
  intervalSeconds: number;
  expectedIntervalSeconds: number;
  failAfter: number;
}

/** Health of one connector: `failing` after `failAfter` consecutive failed attempts; `silent` when no new record came for longer than expected. */
export type ConnectorState = 'ok' | 'failing' | 'silent';

export interface ConnectorHealthView extends ConnectorMeta {
  state: ConnectorState;
  /** ISO instants; null: never. */
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  /** Last run that brought at least one new record (or file). */
  lastDataAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  /** New records taken from the source today (local day), valid or not; files for a folder. */
  fetchedToday: number;
  /** The schedule's current interval: `intervalSeconds`, or longer while failing. */
  currentIntervalSeconds: number;
  /** Seconds since the last new record (or since the connector was first started, if none yet). */
  silentForSeconds: number;
  /** The last rejected records of an HTTP page (index on the page and reasons, in the request's language), for the operator. */
  lastRejections: RejectedRecord[];
}

export interface FeedHealthView {
  /** ISO instant of the last applied batch of the feed (any path: push, pull, import); null: never. */
  lastRecordAt: string | null;
  /** Today's ingest statistics (local day): received, rejected, accepted, duplicate, conflict, replaced, superseded. */
  today: Record<string, number>;
  /** Worst state of the connectors pulling this feed (failing > silent > ok); null when none does. */
  state: ConnectorState | null;
  connectors: string[];
}

/** GET /api/feeds/health */
export interface FeedHealthResponse {
  at: string;
  day: string;
  feeds: Record<FeedName, FeedHealthView>;
  connectors: ConnectorHealthView[];
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
