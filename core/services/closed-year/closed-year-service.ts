import type { Redis } from 'ioredis';
import type { ClosedYearStatus } from '../../../shared/closed-year.ts';
import type { FeedName } from '../../../shared/feeds/feed.ts';
import { KPI_BY_ID } from '../../../shared/kpis.ts';
import { msg } from '../../../shared/messages/index.ts';
import { localDayHour } from '../../../shared/time.ts';
import type { CoreContext } from '../../context.ts';
import { AppError } from '../../platform/errors.ts';
import type { RedisKeys } from '../../platform/redis-keys.ts';
import type { AuditService } from '../audit-service.ts';
import { KpiService, type KpiServiceOptions } from '../kpi-service.ts';
import { readLateRecords } from './late-records.ts';
import { closedYearKeys, closingView, yearBucketPairs } from './published-keys.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../../../shared/console-types.ts';

/**
 * Produces a year's export in every format from the KPIs of the given context (core/export/export-service.ts); the
 * DOCX prints `evidenceSha256`, the manifest hash of the evidence pack stored with it.
 */
export type YearExporter = (
  ctx: CoreContext,
  kpis: KpiService,
  year: number,
  evidenceSha256?: string,
) => Promise<{ format: ExportFormat; data: Buffer }[]>;

/** Produces a year's evidence pack (佐证材料 ZIP, core/export/evidence-pack.ts) and its manifest's SHA-256. */
export type YearEvidence = (ctx: CoreContext, kpis: KpiService, year: number) => Promise<{ data: Buffer; manifestSha256: string }>;

/** Runs `work` with the ingest queues paused and no batch being applied (core/ledger/ledger-service.ts withIngestPaused). */
export type PauseIngest = (work: () => Promise<void>) => Promise<void>;

/** Keys per DEL / per MULTI slice: a year of one feed is 1,837 buckets. */
const SLICE = 500;
/** A close (a year's copy and its export in four formats) takes seconds; the lock outlives a crashed one by minutes. */
const LOCK_SECONDS = 600;

/**
 * Copies (or, with `copiedAt` null, deletes) a feed's frozen copy of the year in one MULTI, with the marker from which
 * its late records count and their count reset: every reader, and every batch's Lua call, is wholly before or after it.
 */
async function replaceFrozen(redis: Redis, keys: RedisKeys, feed: FeedName, year: number, copiedAt: number | null): Promise<void> {
  const pub = closedYearKeys(keys.prefix);
  const pairs = yearBucketPairs(keys, feed, year);
  const multi = redis.multi();
  for (let i = 0; i < pairs.length; i += SLICE) multi.del(...pairs.slice(i, i + SLICE).map(([, frozen]) => frozen));
  multi.hdel(pub.lateRecords(feed), String(year));
  if (copiedAt === null) multi.hdel(pub.frozenYears(feed), String(year));
  else {
    for (const [live, frozen] of pairs) multi.copy(live, frozen);
    multi.hset(pub.frozenYears(feed), String(year), copiedAt);
  }
  const results = (await multi.exec()) ?? [];
  const failed = results.find(([err]) => err);
  if (failed) throw failed[0]!;
}

/**
 * The closed year (封账, REPORT.md v2; docs/ARCHITECTURE.md "Closed year"): close freezes the year's buckets and
 * stores its export, reopen drops them, status compares published with live figures.
 */
export class ClosedYearService {
  private readonly ctx: CoreContext;
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly pub: ReturnType<typeof closedYearKeys>;
  private readonly feeds: readonly FeedName[];
  private readonly kpiOptions: KpiServiceOptions;
  private readonly published: KpiService;
  private readonly live: KpiService;
  private readonly exporter: YearExporter;
  private readonly audit: Pick<AuditService, 'record'>;
  private readonly pauseIngest: PauseIngest;
  private readonly evidence: YearEvidence | undefined;

  constructor(
    ctx: CoreContext,
    feeds: readonly FeedName[],
    kpiOptions: KpiServiceOptions,
    exporter: YearExporter,
    audit: Pick<AuditService, 'record'>,
    pauseIngest: PauseIngest,
    evidence?: YearEvidence,
  ) {
    this.ctx = ctx;
    ({ redis: this.redis, keys: this.keys } = ctx);
    this.pub = closedYearKeys(this.keys.prefix);
    this.feeds = feeds;
    this.kpiOptions = kpiOptions;
    this.published = new KpiService(ctx, feeds, kpiOptions);
    this.live = new KpiService(ctx, feeds, { ...kpiOptions, live: true });
    this.exporter = exporter;
    this.audit = audit;
    this.pauseIngest = pauseIngest;
    this.evidence = evidence;
  }

  private async entry(year: number): Promise<{ closedAt: string; closedBy: string } | null> {
    const raw = await this.redis.hget(this.pub.registry(), String(year));
    if (!raw) return null;
    const { closedAt, closedBy } = JSON.parse(raw) as { closedAt: string; closedBy: string };
    return { closedAt, closedBy };
  }

  /** Runs `work` holding the year's lock, so two closes (or a close and a reopen) never interleave. */
  private async locked<T>(year: number, work: () => Promise<T>): Promise<T> {
    const lock = this.pub.lock(year);
    if ((await this.redis.set(lock, '1', 'EX', LOCK_SECONDS, 'NX')) !== 'OK') throw new AppError('conflict', msg('year.busy', { year }));
    try {
      return await work();
    } finally {
      await this.redis.del(lock);
    }
  }

  /**
   * Closes `year`: per feed one MULTI replaces the frozen copy with the live buckets, the year's export is
   * produced from that copy in every format and stored, and the registry entry is written last — a crash
   * before it leaves the year open (the next close starts the copy afresh).
   */
  async close(year: number, actor: string): Promise<ClosedYearStatus> {
    const current = Number(localDayHour(this.ctx.now(), this.ctx.tz).day.slice(0, 4));
    if (year > current) throw new AppError('validation_failed', msg('year.future', { year, current }));
    return this.locked(year, async () => {
      const closed = await this.entry(year);
      if (closed) throw new AppError('conflict', msg('year.already_closed', { year, ...closed }));
      // Live sets are copied with the buckets; the period figures they give are read at this instant.
      const copiedAt = this.ctx.now();
      const frozenCtx: CoreContext = { ...this.ctx, keys: closingView(this.keys, year, copiedAt) };
      const frozenKpis = new KpiService(frozenCtx, this.feeds, this.kpiOptions);
      let evidence: { data: Buffer; manifestSha256: string } | undefined;
      // With ingest paused and drained, no batch straddles the copy (late-records.ts counts from it), and the
      // evidence pack reads a ledger that holds exactly the records of the published figures.
      await this.pauseIngest(async () => {
        for (const feed of this.feeds) await replaceFrozen(this.redis, this.keys, feed, year, copiedAt);
        evidence = await this.evidence?.(frozenCtx, frozenKpis, year);
      });
      const files = await this.exporter(frozenCtx, frozenKpis, year, evidence?.manifestSha256);
      const store = this.redis.pipeline();
      for (const file of files) store.set(this.pub.exportFile(year, file.format), file.data);
      if (evidence) store.set(this.pub.evidenceFile(year), evidence.data);
      await store.exec();
      const entry = { closedAt: new Date(this.ctx.now()).toISOString(), closedBy: actor, copiedAt };
      await this.redis.hset(this.pub.registry(), String(year), JSON.stringify(entry));
      await this.audit.record(actor, 'year.close', String(year), {
        files: Object.fromEntries(files.map((f) => [f.format, f.data.length])),
      });
      return this.status(year);
    });
  }

  /** Reopens `year`: the registry entry goes first (figures are live again at once), then the frozen copy and the stored export. */
  async reopen(year: number, actor: string): Promise<ClosedYearStatus> {
    return this.locked(year, async () => {
      const closed = await this.entry(year);
      if (!closed) throw new AppError('conflict', msg('year.not_closed', { year }));
      const before = await this.status(year);
      await this.redis.hdel(this.pub.registry(), String(year));
      for (const feed of this.feeds) await replaceFrozen(this.redis, this.keys, feed, year, null);
      const drop = this.redis.pipeline();
      for (const format of EXPORT_FORMATS) drop.del(this.pub.exportFile(year, format));
      drop.del(this.pub.evidenceFile(year));
      await drop.exec();
      await this.audit.record(actor, 'year.reopen', String(year), {
        closedAt: closed.closedAt,
        closedBy: closed.closedBy,
        lateRecords: before.adjustments.records,
        changedKpis: Object.keys(before.adjustments.kpis).length,
      });
      return this.status(year);
    });
  }

  /** The year's state and, when closed, its adjustments: late records and the KPIs whose live value moved. */
  async status(year: number): Promise<ClosedYearStatus> {
    const closed = await this.entry(year);
    if (!closed) return { year, closed: false, adjustments: { records: 0, kpis: {} } };
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    const [records, published, current] = await Promise.all([
      readLateRecords(this.redis, this.keys, this.feeds, year),
      this.published.getKpis(from, to),
      this.live.getKpis(from, to),
    ]);
    const kpis: ClosedYearStatus['adjustments']['kpis'] = {};
    for (const [id, value] of Object.entries(published.kpis)) {
      // Live figures (在办, 超时, 当前等候) are now, not the year's: never an adjustment.
      if (KPI_BY_ID.get(id)?.kind === 'live') continue;
      const now = current.kpis[id]?.value ?? null;
      if (now !== value.value) kpis[id] = { published: value.value, current: now };
    }
    return { year, closed: true, ...closed, adjustments: { records, kpis } };
  }

  /** The stored export of a closed year in `formats`, or null when the year is not closed (or a format is missing). */
  async storedExport(year: number, formats: readonly ExportFormat[]): Promise<Map<ExportFormat, Buffer> | null> {
    return readStoredExport(this.redis, this.keys, year, formats);
  }
}

/** A closed year's stored export files (the bytes made at close), or null when the year is open or a file is missing. */
export async function readStoredExport(
  redis: Redis,
  keys: RedisKeys,
  year: number,
  formats: readonly ExportFormat[],
): Promise<Map<ExportFormat, Buffer> | null> {
  const pub = closedYearKeys(keys.prefix);
  if (!(await redis.hexists(pub.registry(), String(year)))) return null;
  const files = new Map<ExportFormat, Buffer>();
  for (const format of formats) {
    const data = await redis.getBuffer(pub.exportFile(year, format));
    if (!data) return null;
    files.set(format, data);
  }
  return files;
}

/** A closed year's evidence pack as stored at close, or null when the year is open (or was closed without one). */
export async function readStoredEvidence(redis: Redis, keys: RedisKeys, year: number): Promise<Buffer | null> {
  const pub = closedYearKeys(keys.prefix);
  if (!(await redis.hexists(pub.registry(), String(year)))) return null;
  return redis.getBuffer(pub.evidenceFile(year));
}

/** Every closed year's state with its adjustments, oldest first (`npm run verify` reports them apart from differences). */
export async function closedYearAdjustments(
  ctx: CoreContext,
  feeds: readonly FeedName[],
  kpiOptions: KpiServiceOptions,
): Promise<ClosedYearStatus[]> {
  const noExport: YearExporter = () => Promise.reject(new Error('no export here'));
  const service = new ClosedYearService(ctx, feeds, kpiOptions, noExport, { record: () => Promise.resolve() }, (work) => work());
  const years = (await ctx.redis.hkeys(closedYearKeys(ctx.keys.prefix).registry())).map(Number).sort((a, b) => a - b);
  return Promise.all(years.map((year) => service.status(year)));
}
