import { defineStore } from 'pinia';
import { io, type Socket } from 'socket.io-client';
import { computed, ref, shallowRef } from 'vue';
import type { KpiValue } from '@shared/kpis.ts';
import {
  LIVE_NAMESPACE,
  type AlertLevel,
  type ClientToServerEvents,
  type FeedFreshness,
  type Heartbeat,
  type LiveMessage,
  type ServerToClientEvents,
  type TickerItem,
} from '@shared/socket-events.ts';
import { liveSocketOptions } from '../live-socket.ts';
import { reportDayOf } from '../time-format.ts';
import { useAuthStore } from './auth.ts';
import { useHotspotStore } from './hotspots.ts';

/** connecting: no figures yet; live: figures current; stale: link down or silent for STALE_AFTER_MS. */
export type ConnectionState = 'connecting' | 'live' | 'stale';

/** How the stream reaches the server: long-polling first, upgraded to WebSocket where the network allows. */
export type LiveTransport = 'polling' | 'websocket';

/** Silence (heartbeats included) after which the figures are marked stale; the server beats every ≤ 10 s. */
export const STALE_AFTER_MS = 15_000;
/** How long a `resync` may stay unanswered before a further gap may ask again. */
const RESYNC_RETRY_MS = 5_000;
/** Delay before reconnecting by hand where socket.io gives up by itself (server-side disconnect, middleware error). */
const MANUAL_RECONNECT_MS = 3_000;

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Dimension → value → KPI id → served value (today's breakdowns of the live stream). */
export type LiveGroups = Record<string, Record<string, Record<string, KpiValue>>>;

/** The ticker keeps this many newest events (the server's snapshot sends as many). */
export const TICKER_KEEP = 20;

/** `incoming` (newest first) before `kept`, repeats by id dropped, at most TICKER_KEEP. */
export function mergeTicker(incoming: readonly TickerItem[], kept: readonly TickerItem[]): TickerItem[] {
  const seen = new Set<string>();
  const out: TickerItem[] = [];
  for (const item of [...incoming, ...kept]) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    out.push(item);
    if (out.length === TICKER_KEEP) break;
  }
  return out;
}

/**
 * Today's figures from the `/live` stream: a snapshot replaces everything, a delta with the next `seq`
 * replaces the KPIs (and group dimensions) it names and the alert/feed/waiting maps it carries, prepends its
 * ticker items, and any gap (or a new day) asks the server for a fresh snapshot.
 */
export const useLiveStore = defineStore('live', () => {
  const state = ref<ConnectionState>('connecting');
  const connected = ref(false);
  /** The transport of the open connection; null while there is none. */
  const transport = ref<LiveTransport | null>(null);
  /** Last applied seq; null before the first snapshot. */
  const seq = ref<number | null>(null);
  /** The local day (YYYY-MM-DD) the figures are for; null before the first snapshot. */
  const day = ref<string | null>(null);
  /** When the server computed the figures shown (ISO instant of the last snapshot/delta). */
  const dataAt = ref<string | null>(null);
  const kpis = shallowRef<Record<string, KpiValue>>({});
  const lastRecordAt = shallowRef<Record<string, string>>({});
  const groups = shallowRef<LiveGroups>({});
  /** KPI id → alert level; a KPI absent is 正常. */
  const alerts = shallowRef<Record<string, AlertLevel>>({});
  /** Feed → freshness; a feed absent is taken as not silent (the server did not say otherwise). */
  const feeds = shallowRef<Record<string, FeedFreshness>>({});
  /** Newest first, at most TICKER_KEEP. */
  const ticker = shallowRef<TickerItem[]>([]);
  /** Hall → people waiting now. */
  const waitingByHall = shallowRef<Record<string, number>>({});
  /** Client clock (epoch ms) of the last message of any kind. */
  const lastMessageAtMs = ref<number | null>(null);
  /** Grows by one per applied snapshot or delta: watch it to refetch what depends on the figures. */
  const revision = ref(0);

  /** Today for the page: the snapshot's day, or today in the report zone before the first one. */
  const today = computed(() => day.value ?? reportDayOf(new Date()));

  let socket: LiveSocket | null = null;
  let staleTimer: ReturnType<typeof setTimeout> | undefined;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let resyncRequestedAtMs: number | null = null;
  /** True from (re)connecting until a snapshot lands: deltas and heartbeats cannot make the figures current. */
  let awaitingSnapshot = true;

  function armStaleTimer(): void {
    clearTimeout(staleTimer);
    staleTimer = setTimeout(() => (state.value = 'stale'), STALE_AFTER_MS);
  }

  function noteMessage(): void {
    lastMessageAtMs.value = Date.now();
    armStaleTimer();
  }

  function requestResync(): void {
    const now = Date.now();
    if (resyncRequestedAtMs !== null && now - resyncRequestedAtMs < RESYNC_RETRY_MS) return;
    resyncRequestedAtMs = now;
    socket?.emit('resync');
  }

  function applySnapshot(message: LiveMessage): void {
    noteMessage();
    resyncRequestedAtMs = null;
    awaitingSnapshot = false;
    seq.value = message.seq;
    day.value = message.day;
    dataAt.value = message.at;
    kpis.value = { ...message.kpis };
    lastRecordAt.value = { ...message.lastRecordAt };
    groups.value = { ...message.groups };
    alerts.value = { ...message.alerts };
    feeds.value = { ...message.feeds };
    ticker.value = mergeTicker(message.ticker ?? [], []);
    waitingByHall.value = { ...message.waitingByHall };
    state.value = 'live';
    revision.value++;
  }

  function applyDelta(message: LiveMessage): void {
    noteMessage();
    if (awaitingSnapshot || seq.value === null || message.seq !== seq.value + 1 || message.day !== day.value) {
      requestResync();
      return;
    }
    seq.value = message.seq;
    dataAt.value = message.at;
    kpis.value = { ...kpis.value, ...message.kpis };
    if (message.lastRecordAt) lastRecordAt.value = { ...lastRecordAt.value, ...message.lastRecordAt };
    // A delta carries a dimension whole, and the alert, feed and waiting maps whole, when they changed.
    if (message.groups) groups.value = { ...groups.value, ...message.groups };
    if (message.alerts) alerts.value = { ...message.alerts };
    if (message.feeds) feeds.value = { ...message.feeds };
    if (message.ticker?.length) ticker.value = mergeTicker(message.ticker, ticker.value);
    if (message.waitingByHall) waitingByHall.value = { ...message.waitingByHall };
    state.value = 'live';
    revision.value++;
  }

  function applyHeartbeat(beat: Heartbeat): void {
    noteMessage();
    // A heartbeat carries the server's current seq: a mismatch means a delta went missing.
    if (awaitingSnapshot || seq.value === null || beat.seq !== seq.value) {
      requestResync();
      return;
    }
    if (resyncRequestedAtMs === null) state.value = 'live';
  }

  function markDown(): void {
    connected.value = false;
    transport.value = null;
    resyncRequestedAtMs = null;
    awaitingSnapshot = true;
    clearTimeout(staleTimer);
    state.value = 'stale';
  }

  function reconnectLater(): void {
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(() => socket?.connect(), MANUAL_RECONNECT_MS);
  }

  /** Opens the stream with `token` (replacing any open one); reconnects forever until `disconnect()`. */
  function connect(token: string): void {
    disconnect();
    state.value = seq.value === null ? 'connecting' : 'stale';
    awaitingSnapshot = true;
    armStaleTimer();
    const s: LiveSocket = io(LIVE_NAMESPACE, {
      ...liveSocketOptions(token),
      forceNew: true,
      reconnection: true,
      reconnectionAttempts: Infinity,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 10_000,
    });
    socket = s;

    s.io.on('open', () => {
      const engine = s.io.engine;
      transport.value = engine.transport.name as LiveTransport;
      engine.on('upgrade', (upgraded) => (transport.value = upgraded.name as LiveTransport));
    });
    s.on('connect', () => {
      connected.value = true;
      clearTimeout(reconnectTimer);
      // The server sends a snapshot on every (re)connect; until it lands the old figures stay marked stale.
    });
    s.on('disconnect', (reason) => {
      markDown();
      if (reason === 'io server disconnect') reconnectLater();
    });
    s.on('connect_error', (error) => {
      markDown();
      if (error.message === 'unauthorized') {
        disconnect();
        useAuthStore().drop();
      } else if (!s.active) {
        reconnectLater();
      }
    });
    s.on('snapshot', applySnapshot);
    s.on('delta', applyDelta);
    s.on('heartbeat', applyHeartbeat);
    s.on('hotspots', useHotspotStore().applyActive);
  }

  /** Closes the stream; the figures stay as they were, marked stale. */
  function disconnect(): void {
    clearTimeout(staleTimer);
    clearTimeout(reconnectTimer);
    if (socket) {
      socket.removeAllListeners();
      socket.disconnect();
      socket = null;
    }
    connected.value = false;
    transport.value = null;
    resyncRequestedAtMs = null;
    if (state.value === 'live') state.value = 'stale';
  }

  return {
    state,
    connected,
    transport,
    seq,
    day,
    today,
    dataAt,
    kpis,
    lastRecordAt,
    groups,
    alerts,
    feeds,
    ticker,
    waitingByHall,
    lastMessageAtMs,
    revision,
    connect,
    disconnect,
  };
});
