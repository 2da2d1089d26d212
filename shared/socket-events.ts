import type { KpiValue } from './kpis.ts';
import type { Message } from './messages/index.ts';
import type { LiveHotspot } from './analytics/hotspots.ts';

/**
 * The live stream of API.md, namespace `/live`: one typed map shared by server and client.
 * `seq` grows by one per snapshot/delta on a socket; a heartbeat repeats the current seq.
 */

export const LIVE_NAMESPACE = '/live';

/** A full picture or a change: KPI id → served value, for today (local day `day`) and the live figures. */
export interface LiveMessage {
  seq: number;
  /** ISO 8601 instant at which the server computed these figures. */
  at: string;
  /** The local calendar day the figures are for (`YYYY-MM-DD`, TZ_REPORT). */
  day: string;
  kpis: Record<string, KpiValue>;
  /** Feed → ISO instant of the last record applied (absent: never). */
  lastRecordAt?: Record<string, string>;
  /**
   * Today's breakdowns the wall shows: dimension (street, category, hall, partnerRegion, channel) → value →
   * KPI id → served value. A delta carries a dimension whole when anything in it changed.
   */
  groups?: Record<string, Record<string, Record<string, KpiValue>>>;
  /** Alert level per KPI id whose figure reached a threshold today (absent: 正常). A delta carries the whole map when it changed. */
  alerts?: Record<string, AlertLevel>;
  /** Per feed: silent (no record for longer than its configured limit) and since when. Whole map when it changed. */
  feeds?: Record<string, FeedFreshness>;
  /** The latest applied events, newest first (snapshot: up to 20; delta: the new ones). No personal data. */
  ticker?: TickerItem[];
  /** Hall → people waiting now (taken today, not yet called or abandoned). Whole map when it changed. */
  waitingByHall?: Record<string, number>;
}

/** 正常 is the absence of a level. */
export type AlertLevel = 'yellow' | 'orange' | 'red';

export interface FeedFreshness {
  /** ISO instant of the last record applied, or null when none ever was. */
  lastRecordAt: string | null;
  /** No record for longer than the feed's silence limit: the wall marks its panels stale — never a zero. */
  silent: boolean;
}

/** One applied event for the wall's ticker: what happened where, never who. */
export interface TickerItem {
  /** Stable id (batch and index) so a client can drop repeats. */
  id: string;
  feed: string;
  /** The record's own time (ISO instant). */
  at: string;
  /** The milestone or kind, e.g. signed, served, received, a rating "5". */
  type: string;
  /** Non-personal place/subject words, e.g. ["朝阳街道", "城市管理"]. */
  labels: string[];
}

export interface Heartbeat {
  seq: number;
  at: string;
}

/** Outcome counts of applied records (what the workers made of them). */
export interface ImportCounts {
  accepted: number;
  duplicate: number;
  conflict: number;
  replaced: number;
  superseded: number;
}

/** Progress and result of a file import, pushed to the sockets watching it (room `import:<id>`). */
export interface ImportProgress {
  importId: string;
  feed: string;
  fileName: string;
  /** reading the file → waiting for the workers to apply its batches → done (or failed). */
  phase: 'reading' | 'applying' | 'done' | 'failed';
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
  /** Valid records queued for the workers. */
  recordsQueued: number;
  /** Rows refused, each with its row number and reasons (GET /api/imports/:id). */
  rejectedRows: number;
  /** Batches applied so far out of batches queued. */
  batchesApplied: number;
  batchesQueued: number;
  counts: ImportCounts;
  /** Columns of the file that no field of the feed matched (ignored). */
  unknownColumns: string[];
  /** Why it failed, in English (operators, CLI); `errorReason` is the same as a message of shared/messages, for a reader's language. */
  error?: string;
  errorReason?: Message;
  startedAt: string;
  finishedAt?: string;
}

/** Events one socket may send per window (resync, import:watch); a screen resyncs only after a gap or a reconnect. */
export const LIVE_EVENTS_PER_WINDOW = 20;
export const LIVE_EVENT_WINDOW_MS = 10_000;

/** Sent once per window when a socket's events go over LIVE_EVENTS_PER_WINDOW: the rest of that window's events are dropped. */
export interface LiveRefusal {
  /** The first event dropped, e.g. `resync`. */
  event: string;
  code: 'rate_limited';
  message: string;
  retryAfterSeconds: number;
}

export interface ServerToClientEvents {
  snapshot: (message: LiveMessage) => void;
  delta: (message: LiveMessage) => void;
  heartbeat: (beat: Heartbeat) => void;
  'import:progress': (progress: ImportProgress) => void;
  refused: (refusal: LiveRefusal) => void;
  /** 未诉先办: the active hotspots (ANALYTICS.md) without their ticket lists, on connect and whenever they or their 研判 change. */
  hotspots: (message: { active: LiveHotspot[] }) => void;
}

export interface ClientToServerEvents {
  /** Ask for a fresh snapshot (after a gap in seq or a reconnect). */
  resync: () => void;
  /** Follow an import's progress (managers only); answers with its current state. */
  'import:watch': (importId: string, ack?: (progress: ImportProgress | null) => void) => void;
}
