import type { Redis } from 'ioredis';
import type { Namespace, Socket } from 'socket.io';
import type { KpiValue } from '../../shared/kpis.ts';
import type { Logger } from '../../shared/logger.ts';
import type { RedisKeys } from '../../shared/redis-keys.ts';
import type { ClientToServerEvents, ImportProgress, LiveMessage, ServerToClientEvents } from '../../shared/socket-events.ts';
import { localDayHour } from '../../shared/time.ts';
import type { Principal } from './auth-service.ts';
import type { KpiService } from './kpi-service.ts';

export interface LiveSocketData {
  principal: Principal;
  /** Sequence number of the last snapshot/delta sent on this socket. */
  seq: number;
  /** ISO instant of the figures in the last snapshot sent: an older delta must not overwrite them. */
  snapshotAt: string;
}

export type LiveNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, Record<string, never>, LiveSocketData>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, LiveSocketData>;

interface LiveState {
  day: string;
  at: string;
  kpis: Record<string, KpiValue>;
  lastRecordAt: Record<string, string>;
}

/**
 * Pushes today's figures to connected screens. Workers announce applied batches on a Redis channel;
 * this service recomputes at most once per `coalesceMs` (so a screen gets a few updates a second
 * however fast records arrive) and sends each socket only the KPIs that changed, with its own
 * sequence number. A periodic tick recomputes anyway (day rollover, live figures) and beats the heart.
 */
export class LiveService {
  private state: LiveState | null = null;
  /** Something changed since the last broadcast; cleared only by flush(). */
  private dirty = true;
  private flushing: Promise<void> | null = null;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly nsp: LiveNamespace,
    private readonly subscriber: Redis,
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly kpis: KpiService,
    private readonly options: { tz: string; coalesceMs: number; heartbeatMs: number; now?: () => number },
    private readonly log: Logger,
    private readonly importStatus: (importId: string) => Promise<ImportProgress | null> = async () => null,
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.keys.changedChannel()) this.dirty = true;
      else if (channel === this.keys.importChannel()) {
        const progress = JSON.parse(message) as ImportProgress;
        this.nsp.to(`import:${progress.importId}`).emit('import:progress', progress);
      }
    });
    // Each (re)subscription means messages may have been missed: recompute.
    this.subscriber.on('ready', () => (this.dirty = true));
    await this.subscriber.subscribe(this.keys.changedChannel(), this.keys.importChannel());
    this.nsp.on('connection', (socket: LiveSocket) => this.onConnection(socket));
    this.timers.push(setInterval(() => void this.flush(), this.options.coalesceMs));
    this.timers.push(
      setInterval(() => {
        this.dirty = true; // live figures and the calendar day move with the clock
        for (const socket of this.nsp.sockets.values()) {
          socket.emit('heartbeat', { seq: socket.data.seq, at: new Date(this.now()).toISOString() });
        }
      }, this.options.heartbeatMs),
    );
  }

  private onConnection(socket: LiveSocket): void {
    socket.data.seq = 0;
    socket.data.snapshotAt = '';
    void this.sendSnapshot(socket);
    socket.on('resync', () => void this.sendSnapshot(socket));
    socket.on('import:watch', (importId, ack) => {
      // Import progress names files and counts: managers only, never a wall's display token.
      if (socket.data.principal.role === 'display' || typeof importId !== 'string') return ack?.(null);
      void socket.join(`import:${importId}`);
      void this.importStatus(importId).then((p) => ack?.(p), () => ack?.(null));
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

  /** Today's figures as of now. */
  private async compute(): Promise<LiveState> {
    const now = this.now();
    const { day } = localDayHour(now, this.options.tz);
    const [{ kpis }, last] = await Promise.all([this.kpis.getKpis(day, day), this.redis.hgetall(this.keys.lastRecordAt())]);
    const lastRecordAt = Object.fromEntries(Object.entries(last).map(([feed, ms]) => [feed, new Date(Number(ms)).toISOString()]));
    return { day, at: new Date(now).toISOString(), kpis, lastRecordAt };
  }

  private flush(): Promise<void> {
    if (!this.dirty || this.flushing) return Promise.resolve();
    this.dirty = false;
    this.flushing = this.broadcastChanges().finally(() => (this.flushing = null));
    return this.flushing;
  }

  /** Sends every socket what changed since the last broadcast state, if anything did. */
  private async broadcastChanges(): Promise<void> {
    let next: LiveState;
    try {
      next = await this.compute();
    } catch (err) {
      this.dirty = true;
      this.log.warn({ err: (err as Error).message }, 'live recompute failed; will retry');
      return;
    }
    const previous = this.state;
    this.state = next;
    if (!previous) return;
    const changed: Record<string, KpiValue> = {};
    for (const [id, value] of Object.entries(next.kpis)) {
      if (previous.day !== next.day || JSON.stringify(previous.kpis[id]) !== JSON.stringify(value)) changed[id] = value;
    }
    const lastChanged = JSON.stringify(previous.lastRecordAt) !== JSON.stringify(next.lastRecordAt);
    if (Object.keys(changed).length === 0 && !lastChanged) return;
    for (const socket of this.nsp.sockets.values()) {
      if (socket.data.snapshotAt > next.at) continue; // its snapshot is newer than these figures
      socket.data.seq += 1;
      const message: LiveMessage = { seq: socket.data.seq, at: next.at, day: next.day, kpis: changed, lastRecordAt: next.lastRecordAt };
      socket.emit('delta', message);
    }
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.flushing;
  }
}
