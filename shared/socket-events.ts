import type { KpiValue } from './kpis.ts';

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
  error?: string;
  startedAt: string;
  finishedAt?: string;
}

export interface ServerToClientEvents {
  snapshot: (message: LiveMessage) => void;
  delta: (message: LiveMessage) => void;
  heartbeat: (beat: Heartbeat) => void;
  'import:progress': (progress: ImportProgress) => void;
}

export interface ClientToServerEvents {
  /** Ask for a fresh snapshot (after a gap in seq or a reconnect). */
  resync: () => void;
  /** Follow an import's progress (managers only); answers with its current state. */
  'import:watch': (importId: string, ack?: (progress: ImportProgress | null) => void) => void;
}

/** Handshake payload: a display token or a manager's bearer token. */
export interface LiveAuth {
  token: string;
}
