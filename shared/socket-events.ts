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

export interface ServerToClientEvents {
  snapshot: (message: LiveMessage) => void;
  delta: (message: LiveMessage) => void;
  heartbeat: (beat: Heartbeat) => void;
}

export interface ClientToServerEvents {
  /** Ask for a fresh snapshot (after a gap in seq or a reconnect). */
  resync: () => void;
}

/** Handshake payload: a display token or a manager's bearer token. */
export interface LiveAuth {
  token: string;
}
