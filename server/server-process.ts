import type { AddressInfo } from 'node:net';
import type { Server as SocketServer } from 'socket.io';
import type { Express } from 'express';
import type { Config } from '../core/platform/config.ts';
import { FEED_NAMES } from '../shared/feeds/feed.ts';
import type { Logger } from '../core/platform/logger.ts';
import { connectRedis, waitForReady } from '../core/platform/redis.ts';
import { redisKeys } from '../core/platform/redis-keys.ts';
import { createCoreContext } from '../core/context.ts';
import { createApp } from './app.ts';
import { AuthService } from '../core/services/auth-service.ts';
import { IngestService } from '../core/ingest/ingest-service.ts';
import { KpiService } from '../core/services/kpi-service.ts';
import { TargetsService } from '../core/services/targets-service.ts';
import { BudgetService } from '../core/services/budget-service.ts';
import { ImportService } from '../core/imports/import-service.ts';
import { AuditService } from '../core/services/audit-service.ts';
import { AlertService } from '../core/services/alert-service.ts';
import { BureauService } from '../core/services/bureau-service.ts';
import { ReferenceService } from '../core/services/reference-service.ts';
import { UserService } from '../core/services/user-service.ts';
import { SupervisedService } from '../core/services/supervised-service.ts';
import { FeedHealthService } from '../core/services/feed-health-service.ts';
import { HealthService } from '../core/services/health-service.ts';
import { MetricsService } from '../core/services/metrics-service.ts';
import { LiveService } from './live-service.ts';
import { getOrCreateSecret } from '../core/services/secrets.ts';
import { ExportService } from '../core/export/export-service.ts';
import { stopChartThread } from '../core/export/chart-pool.ts';
import { TemplateStore } from '../core/export/template-store.ts';
import { securityOptions } from './http/security.ts';
import { attachSocketAdapter } from './socket-adapter.ts';
import { HotspotStore } from '../core/analytics/hotspot-store.ts';
import { attachHotspotLive } from './hotspot-live.ts';

export interface RunningServer {
  port: number;
  /** Secrets this process generated (printed once by the entry point). */
  generated: { adminPassword?: string; ingestToken?: string };
  ingestToken: string;
  /** The socket.io server; through the Redis Streams adapter its rooms span every server process. */
  io: SocketServer;
  /** The express application: its router is what GET /api/openapi.json must describe (tests walk it). */
  app: Express;
  close(): Promise<void>;
}

/** Starts the HTTP API, the live stream and the ingest producer on `config.PORT` (0: any free port). */
export async function startServer(config: Config, redisUrl: string, log: Logger): Promise<RunningServer> {
  const keys = redisKeys(config.REDIS_PREFIX);
  const redis = connectRedis(redisUrl, 'command', 'pulse-server');
  const subscriber = connectRedis(redisUrl, 'blocking', 'pulse-server-sub');
  redis.on('error', (err) => log.debug({ err: err.message }, 'redis connection error'));
  subscriber.on('error', (err) => log.debug({ err: err.message }, 'redis subscriber error'));
  await waitForReady(redis, 30_000);
  const ctx = createCoreContext({ redis, keys, log, tz: config.TZ_REPORT });

  const auth = new AuthService(ctx, config.SESSION_TTL_MINUTES * 60, { sessionMaxSeconds: config.SESSION_MAX_HOURS * 3_600 });
  const { generatedPassword } = await auth.ensureAdmin(config.ADMIN_PASSWORD);
  const ingestSecret = config.INGEST_TOKEN
    ? { value: config.INGEST_TOKEN, created: false }
    : await getOrCreateSecret(redis, keys, 'ingest-token');
  const piiKey = await getOrCreateSecret(redis, keys, 'pii-key');

  const ingest = new IngestService(ctx, redisUrl, config, piiKey.value);
  const imports = new ImportService(ctx, ingest);
  const targets = new TargetsService(ctx);
  const budget = new BudgetService(ctx);
  const reference = new ReferenceService(ctx);
  const audit = new AuditService(ctx);
  const alerts = new AlertService(ctx);
  const bureau = new BureauService(ctx);
  await bureau.seed(config.BUREAU_NAME);
  const kpis = new KpiService(
    ctx,
    FEED_NAMES.filter((f) => ingest.isSupported(f)),
    { targets, reference },
  );
  const exportTemplates = new TemplateStore(ctx);
  const hotspots = new HotspotStore(ctx);
  const exports = new ExportService(ctx, kpis, targets, exportTemplates, audit);
  const {
    httpServer,
    io,
    live: nsp,
    app,
  } = createApp({
    redis,
    redisUrl,
    keys,
    tz: config.TZ_REPORT,
    auth,
    ingest,
    kpis,
    budget,
    targets,
    reference,
    imports,
    audit,
    alerts,
    bureau,
    users: new UserService(ctx),
    supervised: new SupervisedService(ctx),
    feedHealth: new FeedHealthService(ctx),
    health: new HealthService(ctx),
    hotspots,
    exports,
    exportTemplates,
    ingestToken: ingestSecret.value,
    hmacSecrets: config.INGEST_HMAC_SECRETS,
    ...(config.METRICS_TOKEN && { metricsToken: config.METRICS_TOKEN }),
    metrics: new MetricsService(ctx),
    log,
    security: securityOptions(config),
  });
  const closeAdapter = attachSocketAdapter(io, redisUrl, keys, log);
  const live = new LiveService(
    nsp,
    subscriber,
    redis,
    keys,
    kpis,
    { tz: config.TZ_REPORT, coalesceMs: config.LIVE_COALESCE_MS, heartbeatMs: config.LIVE_HEARTBEAT_MS },
    log,
    (importId) => imports.status(importId),
    alerts,
    auth,
  );
  await live.start();
  await attachHotspotLive(nsp, subscriber, hotspots, keys, log);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  log.info({ port }, 'server listening');

  return {
    port,
    generated: {
      ...(generatedPassword && { adminPassword: generatedPassword }),
      ...(ingestSecret.created && { ingestToken: ingestSecret.value }),
    },
    ingestToken: ingestSecret.value,
    io,
    app,
    async close() {
      await live.stop();
      await ingest.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await Promise.allSettled([redis.quit(), subscriber.quit(), closeAdapter()]);
      // The exports' chart thread (started by the first export) ends with the server, not at process exit.
      await stopChartThread();
    },
  };
}
