import { readHotspotSection } from './hotspot-section.ts';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../platform/errors.ts';
import { BureauService } from '../services/bureau-service.ts';
import { msg } from '../../shared/messages/index.ts';
import type { Logger } from '../platform/logger.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { CoreContext } from '../context.ts';
import type { AuditService } from '../services/audit-service.ts';
import { parsePeriod } from '../services/kpi-service.ts';
import type { ChartOption } from '../../shared/charts/index.ts';
import { renderChartsInWorker } from './chart-pool.ts';
import type { RenderedChart } from './chart-raster.ts';
import { buildExportModel, readExportFigures, type ExportModel, type KpiSource } from './export-model.ts';
import type { TargetSetting } from './indicator-template.ts';
import { periodKind, periodSlug, type Period } from './period-label.ts';
import type { TemplateStore } from './template-store.ts';
import { BudgetService } from '../services/budget-service.ts';
import { readStoredEvidence, readStoredExport } from '../services/closed-year/closed-year-service.ts';
import { writeEvidencePack, type EvidenceProgress } from './evidence-pack.ts';
import type { Writable } from 'node:stream';
import { projectionSentencesFor } from './projection-section.ts';

import { EXPORT_FORMATS, type ExportFormat, type ExportStatus } from '../../shared/console-types.ts';

export { EXPORT_FORMATS, type ExportFormat, type ExportStatus } from '../../shared/console-types.ts';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** How long an export's status and files stay downloadable, in seconds. */
export const EXPORT_TTL_SECONDS = 24 * 3600;

export interface ExportFile {
  format: ExportFormat;
  fileName: string;
  data: Buffer;
}

/** Progress callback: the step now running, steps done, steps in all. */
export type OnStep = (step: string, stepsDone: number, stepsTotal: number) => void;

/** Validates a list of formats (`docx,xlsx` or an array); all four when empty. */
export function parseFormats(value: unknown): ExportFormat[] {
  const list = value === undefined || value === '' ? [] : Array.isArray(value) ? value : String(value).split(',');
  const formats = list.map((f) => String(f).trim().toLowerCase()).filter(Boolean);
  const unknown = formats.filter((f) => !(EXPORT_FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0)
    throw new AppError(
      'validation_failed',
      msg('export.unknown_format', { formats: unknown.join(', '), allowed: EXPORT_FORMATS.join(', ') }),
    );
  return formats.length === 0 ? [...EXPORT_FORMATS] : [...new Set(formats as ExportFormat[])];
}

/**
 * One format of the model. The renderers are loaded when first used (docx, exceljs and ECharts are large),
 * so a server that never exports does not load them.
 */
async function renderFormat(format: ExportFormat, model: ExportModel, charts: Promise<RenderedChart[]>): Promise<Buffer> {
  if (format === 'docx') return (await import('./render-docx.ts')).renderDocx(model, await charts);
  if (format === 'xlsx') return (await import('./render-xlsx.ts')).renderXlsx(model);
  if (format === 'md') return (await import('./render-markdown.ts')).renderMarkdown(model);
  return (await import('./render-json.ts')).renderJson(model);
}

/** A period from `year`, or from `from`/`to` (API.md); exactly one of the two ways. */
export function parseExportPeriod(query: { year?: unknown; from?: unknown; to?: unknown }): Period {
  if (query.year !== undefined && query.year !== '') {
    if (query.from !== undefined || query.to !== undefined) throw new AppError('validation_failed', msg('export.year_or_period'));
    const year = Number(query.year);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new AppError('validation_failed', msg('export.bad_year'));
    return { from: `${year}-01-01`, to: `${year}-12-31` };
  }
  if (query.from === undefined) throw new AppError('validation_failed', msg('export.no_period'));
  return parsePeriod(query.from, query.to ?? query.from);
}

/** The file name of one format: 政务服务效能数据_2022.docx. */
export const fileNameOf = (period: Period, format: ExportFormat) => `政务服务效能数据_${periodSlug(period)}.${format}`;

/**
 * Produces exports: the figures from the KPI service, laid out by the templates, in the formats asked.
 * `produce` returns the files (the CLI and the one-shot route); `start` runs one in the background with
 * its progress and files in Redis for a day, one export at a time per process.
 */
export class ExportService {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly log: Logger;
  private readonly now: () => Date;

  private readonly kpis: KpiSource;
  private readonly targets: { get(year: number): Promise<Record<string, TargetSetting>> };
  private readonly templates: TemplateStore;
  private readonly audit: AuditService;
  private readonly renderCharts: (options: ChartOption[]) => Promise<RenderedChart[]>;
  /** The year's budget execution and the 自评表's texts, for a whole-year export. */
  private readonly budget: BudgetService;

  private readonly bureau: BureauService;
  private readonly ctx: CoreContext;
  /** The monthly report's 预计全年 sentences (core/export/projection-section.ts). */
  private readonly projectionSentences: (period: Period) => Promise<string[]>;

  constructor(
    ctx: CoreContext,
    kpis: KpiSource,
    targets: { get(year: number): Promise<Record<string, TargetSetting>> },
    templates: TemplateStore,
    audit: AuditService,
    /** Draws the charts: on the chart thread by default (a server); the CLI draws them in its own thread. */
    renderCharts: (options: ChartOption[]) => Promise<RenderedChart[]> = renderChartsInWorker,
  ) {
    this.kpis = kpis;
    this.targets = targets;
    this.templates = templates;
    this.audit = audit;
    this.renderCharts = renderCharts;
    this.budget = new BudgetService(ctx);
    ({ redis: this.redis, keys: this.keys, log: this.log } = ctx);
    this.now = () => new Date(ctx.now());
    this.bureau = new BureauService(ctx);
    this.ctx = ctx;
    this.projectionSentences = projectionSentencesFor(ctx);
  }

  /** A closed year's evidence pack as stored at close (封账), when `period` is exactly that year; else null. */
  storedEvidence(period: Period): Promise<Buffer | null> {
    if (periodKind(period) !== 'year') return Promise.resolve(null);
    return readStoredEvidence(this.redis, this.keys, Number(period.from.slice(0, 4)));
  }

  /** The evidence pack of `period` (core/export/evidence-pack.ts): the ZIP to `out`, or with null only its manifest's SHA-256. */
  evidencePack(period: Period, out: Writable | null, onProgress?: EvidenceProgress) {
    return writeEvidencePack({ ...this.ctx, kpis: this.kpis }, period, out, onProgress);
  }

  /**
   * Every file of the export of `period` in `formats`, reporting each step to `onStep`. The DOCX prints the evidence
   * manifest's SHA-256: `evidenceSha256` when the caller made the pack itself (a close), else from a hash-only pass.
   */
  async produce(
    period: Period,
    formats: readonly ExportFormat[],
    onStep: OnStep = () => undefined,
    evidenceSha256?: string,
  ): Promise<ExportFile[]> {
    // A closed year's export is the file stored when it was closed (封账, core/services/closed-year), byte for byte.
    const stored =
      periodKind(period) === 'year' ? await readStoredExport(this.redis, this.keys, Number(period.from.slice(0, 4)), formats) : null;
    if (stored) return formats.map((format) => ({ format, fileName: fileNameOf(period, format), data: stored.get(format)! }));

    // The DOCX prints the SHA-256 of the evidence pack's manifest: one more step, a hash-only pass over the ledger.
    const hashPass = formats.includes('docx') && !evidenceSha256;
    const stepsTotal = 1 + formats.length + Number(hashPass);
    onStep('读取指标 reading figures', 0, stepsTotal);
    const year = Number(period.from.slice(0, 4));
    const sameYear = period.to.slice(0, 4) === period.from.slice(0, 4);
    const wholeYear = periodKind(period) === 'year';
    const [figures, templates, targets, budget, bureau] = await Promise.all([
      readExportFigures(this.kpis, period),
      this.templates.forYear(year),
      sameYear ? this.targets.get(year) : Promise.resolve({}),
      wholeYear ? this.budget.get(year) : Promise.resolve(null),
      this.bureau.get(),
    ]);
    const model = buildExportModel(period, figures, templates, targets, this.now(), budget, bureau);
    model.sentences.push(...(await this.projectionSentences(period)));
    model.hotspots = await readHotspotSection(this.ctx, period);
    // Charts render on the chart thread while the other formats are written.
    const charts = formats.includes('docx') ? this.renderCharts(model.charts.map((c) => c.option)) : Promise.resolve([]);
    charts.catch(() => undefined);
    let done = 1;
    model.evidenceSha256 = evidenceSha256;
    if (hashPass) {
      onStep('佐证材料清单 evidence manifest', done, stepsTotal);
      model.evidenceSha256 = (await this.evidencePack(period, null)).manifestSha256;
      done++;
    }
    const files: ExportFile[] = [];
    const order = [...formats].sort((a, b) => Number(a === 'docx') - Number(b === 'docx'));
    for (const format of order) {
      onStep(`生成 ${format.toUpperCase()} writing ${format}`, done, stepsTotal);
      const data = await renderFormat(format, model, charts);
      files.push({ format, fileName: fileNameOf(period, format), data });
      done++;
    }
    onStep('完成 done', stepsTotal, stepsTotal);
    return formats.map((f) => files.find((file) => file.format === f)!);
  }

  /** Records an export in the audit log: who, which period, which formats. */
  recordAudit(actor: string, period: Period, formats: readonly ExportFormat[], exportId?: string): Promise<void> {
    return this.audit.record(actor, 'export', `${period.from}~${period.to}`, {
      from: period.from,
      to: period.to,
      formats,
      ...(exportId && { exportId }),
    });
  }

  /** Starts an export in the background (queued behind any running in this process); returns its id at once. */
  async start(period: Period, formats: readonly ExportFormat[], actor: string): Promise<string> {
    const exportId = randomUUID();
    const key = this.keys.exportJob(exportId);
    await this.redis
      .multi()
      .hset(key, {
        phase: 'running',
        step: '排队 queued',
        stepsDone: 0,
        stepsTotal: 1 + formats.length,
        files: '[]',
        from: period.from,
        to: period.to,
        createdBy: actor,
      })
      .expire(key, EXPORT_TTL_SECONDS)
      .exec();
    await this.recordAudit(actor, period, formats, exportId);
    const run = async () => {
      try {
        const files = await this.produce(period, formats, (step, stepsDone, stepsTotal) => {
          void this.redis.hset(key, { step, stepsDone, stepsTotal }).catch(() => undefined);
        });
        const multi = this.redis.multi();
        for (const f of files) multi.set(this.keys.exportFile(exportId, f.format), f.data, 'EX', EXPORT_TTL_SECONDS);
        multi.hset(key, {
          phase: 'done',
          step: '完成 done',
          stepsDone: 1 + formats.length + Number(formats.includes('docx')),
          files: JSON.stringify(files.map((f) => ({ format: f.format, fileName: f.fileName }))),
        });
        await multi.exec();
      } catch (err) {
        this.log.error({ err, exportId }, 'export failed');
        await this.redis.hset(key, { phase: 'failed', error: err instanceof Error ? err.message : String(err) }).catch(() => undefined);
      }
    };
    this.queue = this.queue.then(run);
    return exportId;
  }

  async status(exportId: string): Promise<ExportStatus | null> {
    const h = await this.redis.hgetall(this.keys.exportJob(exportId));
    if (!h.phase) return null;
    const files = JSON.parse(h.files ?? '[]') as { format: ExportFormat; fileName: string }[];
    return {
      exportId,
      phase: h.phase as ExportStatus['phase'],
      step: h.step ?? '',
      stepsDone: Number(h.stepsDone ?? 0),
      stepsTotal: Number(h.stepsTotal ?? 0),
      files: files.map((f) => ({ ...f, url: `/api/exports/${exportId}/files/${f.format}` })),
      ...(h.error && { error: h.error }),
      from: h.from ?? '',
      to: h.to ?? '',
      createdBy: h.createdBy ?? '',
    };
  }

  /** One finished file of an export, or null when it is not (or no longer) there. */
  async file(exportId: string, format: ExportFormat): Promise<ExportFile | null> {
    const status = await this.status(exportId);
    const entry = status?.files.find((f) => f.format === format);
    if (!entry) return null;
    const data = await this.redis.getBuffer(this.keys.exportFile(exportId, format));
    return data ? { format, fileName: entry.fileName, data } : null;
  }

  /** Waits for this process's queued exports (tests, shutdown). */
  async idle(): Promise<void> {
    await this.queue;
  }
}
