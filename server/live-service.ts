import type { Redis } from 'ioredis';
import type { Namespace, Socket } from 'socket.io';
import type { KpiValue } from '../shared/kpis.ts';
import type { Logger } from '../core/platform/logger.ts';
import type { RedisKeys } from '../core/platform/redis-keys.ts';
import { CHANNEL_NAMES, channelKey, channelNameOf, parseMessage, type ChangedMessage, type Revocation } from '../core/platform/channels.ts';
import { FEED_NAMES } from '../shared/feeds/feed.ts';
import { decodeDimValue } from '../shared/feeds/dimensions.ts';
import type {
  AlertLevel,
  ClientToServerEvents,
  FeedFreshness,
  ImportProgress,
  LiveMessage,
  ServerToClientEvents,
  TickerItem,
} from '../shared/socket-events.ts';
import { dayStartUtc, localDayHour } from '../shared/time.ts';
import { TICKER_LENGTH, WALL_GROUP_DIMENSIONS } from '../shared/feeds/wall.ts';
import type { AlertService } from '../core/services/alert-service.ts';
import { AuthService, type Principal } from '../core/services/auth-service.ts';
import type { KpiService } from '../core/services/kpi-service.ts';

export interface LiveSocketData {
  principal: Principal;
  /** The token the socket authenticated with, re-checked every heartbeat (expired or revoked → disconnected). */
  token: string;
  /** Sequence number of the last snapshot/delta sent on this socket. */
  seq: number;
  /** ISO instant of the figures in the last snapshot sent: an older delta must not overwrite them. */
  snapshotAt: string;
}

export type LiveNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, Record<string, never>, LiveSocketData>;
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, LiveSocketData>;

/** Today's figures as last computed: what a snapshot sends whole and deltas are diffed against. */
interface LiveSnapshot {
  day: string;
  at: string;
  kpis: Record<string, KpiValue>;
  lastRecordAt: Record<string, string>;
  groups: Record<string, Record<string, Record<string, KpiValue>>>;
  alerts: Record<string, AlertLevel>;
  feeds: Record<string, FeedFreshness>;
  ticker: TickerItem[];
  waitingByHall: Record<string, number>;
}

/** The parts of a message sent whole when anything in them changed. */
const WHOLE_PARTS = ['groups', 'alerts', 'feeds', 'waitingByHall', 'lastRecordAt'] as const;

/**
 * Pushes today's figures to connected screens. Workers announce applied batches on a Redis channel;
 * this service recomputes at most once per `coalesceMs` (so a screen gets a few updates a second
 * however fast records arrive) and sends each socket only the KPIs that changed, with its own
 * sequence number. A periodic tick recomputes anyway (day rollover, live figures) and beats the heart.
 */
export class LiveService {
  private state: LiveSnapshot | null = null;
  /** Something changed since the last broadcast; cleared only by flush(). */
  private dirty = true;
  /** Only feed freshness and the ticker may have changed (a batch of other days than today's); cleared by flush(). */
  private freshnessDirty = false;
  private flushing: Promise<void> | null = null;
  private timers: NodeJS.Timeout[] = [];

  private readonly nsp: LiveNamespace;
  private readonly subscriber: Redis;
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly kpis: KpiService;
  private readonly options: { tz: string; coalesceMs: number; heartbeatMs: number; now?: () => number };
  private readonly log: Logger;
  private readonly importStatus: (importId: string) => Promise<ImportProgress | null>;
  private readonly alerts?: AlertService;
  private readonly auth?: AuthService;

  constructor(
    nsp: LiveNamespace,
    subscriber: Redis,
    redis: Redis,
    keys: RedisKeys,
    kpis: KpiService,
    options: { tz: string; coalesceMs: number; heartbeatMs: number; now?: () => number },
    log: Logger,
    importStatus: (importId: string) => Promise<ImportProgress | null> = async () => null,
    alerts?: AlertService,
    auth?: AuthService,
  ) {
    this.nsp = nsp;
    this.subscriber = subscriber;
    this.redis = redis;
    this.keys = keys;
    this.kpis = kpis;
    this.options = options;
    this.log = log;
    this.importStatus = importStatus;
    this.alerts = alerts;
    this.auth = auth;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (redisChannel: string, raw: string) => {
      const channel = channelNameOf(this.keys, redisChannel);
      if (channel === 'changed') this.onChanged(parseMessage(channel, raw));
      else if (channel === 'revoked') this.disconnectRevoked(parseMessage(channel, raw));
      else if (channel === 'import') {
        const progress = parseMessage(channel, raw);
        // Every server relays the channel to its own sockets: through the adapter each would get it once per server.
        this.nsp.local.to(`import:${progress.importId}`).emit('import:progress', progress);
      }
    });
    // Each (re)subscription means messages may have been missed: recompute.
    this.subscriber.on('ready', () => (this.dirty = true));
    await this.subscriber.subscribe(...CHANNEL_NAMES.map((name) => channelKey(this.keys, name)));
    this.nsp.on('connection', (socket: LiveSocket) => this.onConnection(socket));
    this.timers.push(setInterval(() => void this.flush(), this.options.coalesceMs));
    this.timers.push(
      setInterval(() => {
        this.dirty = true; // live figures and the calendar day move with the clock
        for (const socket of this.nsp.sockets.values()) {
          socket.emit('heartbeat', { seq: socket.data.seq, at: new Date(this.now()).toISOString() });
        }
        void this.recheckTokens();
      }, this.options.heartbeatMs),
    );
  }

  /**
   * A batch that touched no day of today (a back-fill, an import of last year) leaves today's figures
   * as they were: only its feed's freshness is read again. No days means anything may have changed.
   * Live sets count as today's (entity-plan.ts adds the processing day when a batch changes one).
   */
  private onChanged({ days }: ChangedMessage): void {
    const today = localDayHour(this.now(), this.options.tz).day;
    if (days.length === 0 || days.includes(today) || (this.state !== null && days.includes(this.state.day))) this.dirty = true;
    else this.freshnessDirty = true;
  }

  /** Disconnects this server's sockets of a revoked display token, of a session logged out, or of a user whose sessions ended. */
  private disconnectRevoked(revocation: Revocation): void {
    for (const socket of this.nsp.sockets.values()) {
      const p = socket.data.principal;
      const match =
        revocation.kind === 'display-token'
          ? p.displayTokenId === revocation.id
          : revocation.kind === 'session'
            ? p.role !== 'display' && AuthService.tokenId(socket.data.token) === revocation.id
            : p.role !== 'display' && p.username === revocation.username;
      if (match) socket.disconnect(true);
    }
  }

  /** Expired sessions and tokens revoked while a server missed the announcement lose their sockets here. */
  private async recheckTokens(): Promise<void> {
    if (!this.auth) return;
    for (const socket of [...this.nsp.sockets.values()]) {
      const principal = await this.auth.resolve(socket.data.token).catch(() => undefined);
      if (principal === null) socket.disconnect(true);
    }
  }

  private onConnection(socket: LiveSocket): void {
    socket.data.seq = 0;
    socket.data.snapshotAt = '';
    const tokenId = socket.data.principal.displayTokenId;
    if (tokenId) void this.redis.hset(this.keys.displayTokenSeen(), tokenId, new Date(this.now()).toISOString()).catch(() => undefined);
    void this.sendSnapshot(socket);
    socket.on('resync', () => void this.sendSnapshot(socket));
    socket.on('import:watch', (importId, ack) => {
      // Import progress names files and counts: managers only, never a wall's display token.
      if (socket.data.principal.role === 'display' || typeof importId !== 'string') return ack?.(null);
      void socket.join(`import:${importId}`);
      void this.importStatus(importId).then(
        (p) => ack?.(p),
        () => ack?.(null),
      );
    });
  }

  private async sendSnapshot(socket: LiveSocket): Promise<void> {
    try {
      const state = this.state && !this.dirty ? this.state : await this.compute();
      socket.data.seq += 1;
      socket.data.snapshotAt = state.at;
      socket.emit('snapshot', { seq: socket.data.seq, ...state });
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'snapshot failed; the client will retry on its next resync');
    }
  }

  /** Today's figures as of now: KPIs, the wall's breakdowns, alerts, feed silence, ticker, waiting by hall. */
  private async compute(): Promise<LiveSnapshot> {
    const now = this.now();
    const { tz } = this.options;
    const { day } = localDayHour(now, tz);
    const [{ kpis }, grouped, { lastRecordAt, feeds, ticker }, waiting] = await Promise.all([
      this.kpis.getKpis(day, day),
      Promise.all(WALL_GROUP_DIMENSIONS.map((dim) => this.kpis.getGroups(day, day, dim))),
      this.readFreshness(now),
      this.redis.zrangebyscore(this.keys.liveSet('hall', 'waiting'), dayStartUtc(day, tz), '+inf'),
    ]);
    const groups = Object.fromEntries(
      WALL_GROUP_DIMENSIONS.map((dim, i) => [dim, Object.fromEntries(grouped[i]!.map((g) => [g.key, g.kpis]))]),
    );
    const waitingByHall: Record<string, number> = {};
    for (const member of waiting) {
      const hall = decodeDimValue(member.slice(0, member.indexOf('|')));
      waitingByHall[hall] = (waitingByHall[hall] ?? 0) + 1;
    }
    const alerts = this.alerts ? await this.alerts.levels(kpis) : {};
    if (this.alerts) void this.alerts.notifyRed(day, alerts, kpis);
    return { day, at: new Date(now).toISOString(), kpis, lastRecordAt, groups, alerts, feeds, ticker, waitingByHall };
  }

  /** When each feed last applied a record, which feeds are silent, and the ticker, as of `now` (epoch ms). */
  private async readFreshness(now: number): Promise<Pick<LiveSnapshot, 'lastRecordAt' | 'feeds' | 'ticker'>> {
    const [last, tickerRaw, alertSettings] = await Promise.all([
      this.redis.hgetall(this.keys.lastRecordAt()),
      this.redis.lrange(this.keys.ticker(), 0, TICKER_LENGTH - 1),
      this.alerts?.getSettings(),
    ]);
    const lastRecordAt = Object.fromEntries(Object.entries(last).map(([feed, ms]) => [feed, new Date(Number(ms)).toISOString()]));
    const feeds = Object.fromEntries(
      FEED_NAMES.map((feed): [string, FeedFreshness] => {
        const lastMs = last[feed] === undefined ? null : Number(last[feed]);
        const limitMinutes = alertSettings?.silentAfterMinutes[feed];
        const silent = lastMs === null || (limitMinutes !== undefined && now - lastMs > limitMinutes * 60_000);
        return [feed, { lastRecordAt: lastMs === null ? null : new Date(lastMs).toISOString(), silent }];
      }),
    );
    const ticker = tickerRaw.map((raw) => JSON.parse(raw) as TickerItem);
    return { lastRecordAt, feeds, ticker };
  }

  /** The last figures with freshness and ticker read again; everything when there are none yet or the day rolled over. */
  private async computeFreshness(): Promise<LiveSnapshot> {
    const now = this.now();
    const previous = this.state;
    if (!previous || previous.day !== localDayHour(now, this.options.tz).day) return this.compute();
    return { ...previous, at: new Date(now).toISOString(), ...(await this.readFreshness(now)) };
  }

  private flush(): Promise<void> {
    if ((!this.dirty && !this.freshnessDirty) || this.flushing) return Promise.resolve();
    const everything = this.dirty;
    this.dirty = false;
    this.freshnessDirty = false;
    this.flushing = this.broadcastChanges(everything).finally(() => (this.flushing = null));
    return this.flushing;
  }

  /** Sends every socket what changed since the last broadcast state, if anything did; `everything` false: freshness only. */
  private async broadcastChanges(everything: boolean): Promise<void> {
    let next: LiveSnapshot;
    try {
      next = everything ? await this.compute() : await this.computeFreshness();
    } catch (err) {
      if (everything) this.dirty = true;
      else this.freshnessDirty = true;
      this.log.warn({ err: (err as Error).message }, 'live recompute failed; will retry');
      return;
    }
    const previous = this.state;
    this.state = next;
    if (!previous) return;
    const newDay = previous.day !== next.day;
    const changed: Record<string, KpiValue> = {};
    for (const [id, value] of Object.entries(next.kpis)) {
      if (newDay || JSON.stringify(previous.kpis[id]) !== JSON.stringify(value)) changed[id] = value;
    }
    const parts: Partial<LiveMessage> = {};
    for (const part of WHOLE_PARTS) {
      if (newDay || JSON.stringify(previous[part]) !== JSON.stringify(next[part])) Object.assign(parts, { [part]: next[part] });
    }
    const seen = new Set(previous.ticker.map((t) => t.id));
    const ticker = next.ticker.filter((t) => !seen.has(t.id));
    if (ticker.length > 0) parts.ticker = ticker;
    if (Object.keys(changed).length === 0 && Object.keys(parts).length === 0) return;
    for (const socket of this.nsp.sockets.values()) {
      if (socket.data.snapshotAt > next.at) continue; // its snapshot is newer than these figures
      socket.data.seq += 1;
      const message: LiveMessage = { seq: socket.data.seq, at: next.at, day: next.day, kpis: changed, ...parts };
      socket.emit('delta', message);
    }
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.flushing;
  }
}
