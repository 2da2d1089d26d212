import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { Server as SocketServer } from 'socket.io';
import { AppError } from '../core/platform/errors.ts';
import { msg } from '../shared/messages/index.ts';
import type { Logger } from '../core/platform/logger.ts';
import { LIVE_EVENT_WINDOW_MS, LIVE_EVENTS_PER_WINDOW, LIVE_NAMESPACE } from '../shared/socket-events.ts';
import { errorHandler, notFound } from './http/errors.ts';
import { allowSocketOrigin, requireAllowedOrigin } from './http/origin.ts';
import { EventBudget, IngestLimiter, LoginLimiter } from './http/rate-limit.ts';
import { securityHeaders, type SecurityOptions } from './http/security.ts';
import { metricsEndpoint } from './http/metrics.ts';
import { requestIds } from './http/request-id.ts';
import type { MetricsService } from '../core/services/metrics-service.ts';
import { authRoutes } from './routes/auth.ts';
import { healthRoutes } from './routes/health.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { kpiRoutes } from './routes/kpis.ts';
import type { AuthService } from '../core/services/auth-service.ts';
import type { IngestService } from '../core/ingest/ingest-service.ts';
import type { KpiService } from '../core/services/kpi-service.ts';
import type { TargetsService } from '../core/services/targets-service.ts';
import { adminRoutes } from './routes/admin.ts';
import { budgetRoutes } from './routes/budget.ts';
import { closedYearRoutes } from './routes/closed-years.ts';
import { projectionRoutes } from './routes/projection.ts';
import type { BudgetService } from '../core/services/budget-service.ts';
import { referenceRoutes } from './routes/reference.ts';
import { importRoutes } from './routes/imports.ts';
import { feedHealthRoutes } from './routes/feed-health.ts';
import { exportRoutes } from './routes/export.ts';
import { evidenceRoutes } from './routes/evidence.ts';
import type { ExportService } from '../core/export/export-service.ts';
import type { TemplateStore } from '../core/export/template-store.ts';
import { consoleRoutes } from './routes/console-routes.ts';
import type { ImportService } from '../core/imports/import-service.ts';
import type { AuditService } from '../core/services/audit-service.ts';
import type { AlertService } from '../core/services/alert-service.ts';
import type { BureauService } from '../core/services/bureau-service.ts';
import { alertRoutes } from './routes/alerts.ts';
import { displayTokenRoutes } from './routes/display-tokens.ts';
import { bureauRoutes } from './routes/bureau.ts';
import { hotspotRoutes } from './routes/hotspots.ts';
import type { HotspotStore } from '../core/analytics/hotspot-store.ts';
import type { ReferenceService } from '../core/services/reference-service.ts';
import type { UserService } from '../core/services/user-service.ts';
import type { SupervisedService } from '../core/services/supervised-service.ts';
import type { FeedHealthService } from '../core/services/feed-health-service.ts';
import type { HealthService } from '../core/services/health-service.ts';
import type { LiveNamespace, LiveSocket } from './live-service.ts';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../core/platform/redis-keys.ts';

export const CLIENT_DIST = fileURLToPath(new URL('../client/dist/', import.meta.url));

export interface AppDeps {
  redis: Redis;
  /** The Redis URL (a close of a year pauses the ingest queues around its copy). */
  redisUrl: string;
  auth: AuthService;
  ingest: IngestService;
  kpis: KpiService;
  targets: TargetsService;
  budget: BudgetService;
  reference: ReferenceService;
  imports: ImportService;
  audit: AuditService;
  exports: ExportService;
  exportTemplates: TemplateStore;
  ingestToken: string;
  hmacSecrets: readonly string[];
  /** METRICS_TOKEN (GET /metrics from beyond loopback), if set. */
  metricsToken?: string;
  metrics: MetricsService;
  keys: RedisKeys;
  alerts: AlertService;
  bureau: BureauService;
  users: UserService;
  supervised: SupervisedService;
  feedHealth: FeedHealthService;
  health: HealthService;
  hotspots: HotspotStore;
  /** The report's time zone (TZ_REPORT). */
  tz: string;
  log: Logger;
  /** Rate limits and allowed origins (server/http/security.ts, from the configuration). */
  security: SecurityOptions;
}

/** The HTTP app and the socket.io server on one http.Server; entry points start and stop it. */
export function createApp(deps: AppDeps): { httpServer: HttpServer; io: SocketServer; live: LiveNamespace; app: Express } {
  const app = express();
  // The live namespace, created with the socket.io server below; routes read it at request time.
  let live: LiveNamespace | undefined;
  app.disable('x-powered-by');
  app.set('trust proxy', deps.security.trustProxy);
  const metrics = metricsEndpoint({
    metrics: deps.metrics,
    ingest: deps.ingest,
    token: deps.metricsToken,
    liveSockets: () => live?.sockets.size ?? 0,
  });
  app.use(requestIds(deps.log), metrics.countRequests);
  app.use(securityHeaders());
  app.get('/metrics', metrics.serve);

  const api = express.Router();
  // Figures, tokens and settings: no browser or proxy keeps a copy of any API answer.
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(requireAllowedOrigin(deps.security.allowedOrigins));
  api.use(healthRoutes(deps.health));
  api.use(openApiRoutes());
  api.use(
    ingestRoutes(deps.ingest, deps.auth, {
      limiter: new IngestLimiter(deps.redis, deps.keys, deps.security),
      token: deps.ingestToken,
      hmacSecrets: deps.hmacSecrets,
      claimSignature: async (signature, ttlSeconds) =>
        (await deps.redis.set(deps.keys.seenSignature(signature), '1', 'EX', ttlSeconds, 'NX').catch((err: unknown) => {
          throw new AppError('redis_unavailable', msg('http.redis_unavailable_nothing_accepted'), undefined, 5, { cause: err });
        })) === 'OK',
      releaseSignature: async (signature) => void (await deps.redis.del(deps.keys.seenSignature(signature))),
    }),
  );
  api.use(authRoutes(deps.auth, deps.audit, new LoginLimiter(deps.redis, deps.keys, deps.security)));
  api.use(kpiRoutes(deps.kpis, deps.auth));
  api.use(adminRoutes(deps.auth, deps.targets, deps.audit));
  api.use(budgetRoutes(deps.auth, deps.budget, deps.audit));
  api.use(closedYearRoutes(deps));
  api.use(projectionRoutes(deps));
  api.use(referenceRoutes(deps.reference, deps.auth, deps.audit));
  api.use(alertRoutes(deps.alerts, deps.auth, deps.audit));
  api.use(bureauRoutes(deps.bureau, deps.auth, deps.audit));
  api.use(displayTokenRoutes(deps.auth, deps.audit, (id) => countScreens(live, id)));
  api.use(importRoutes(deps.imports, deps.auth, deps.audit));
  api.use(feedHealthRoutes(deps.feedHealth, deps.auth));
  api.use(exportRoutes(deps.exports, deps.exportTemplates, deps.auth, deps.audit));
  api.use(evidenceRoutes(deps.exports, deps.auth, deps.audit));
  api.use(hotspotRoutes(deps.auth, deps.hotspots, deps.audit, deps.tz));
  api.use(consoleRoutes(deps));
  api.use(notFound);
  app.use('/api', api);

  if (existsSync(CLIENT_DIST)) {
    app.use(express.static(CLIENT_DIST, { index: 'index.html', maxAge: '1h' }));
    app.get(/^(?!\/api\/|\/socket\.io\/).*/, (_req, res) => res.sendFile('index.html', { root: CLIENT_DIST }));
  } else {
    app.get('/', (_req, res) =>
      res.status(503).type('text/plain; charset=utf-8').send('The client is not built: run `npm run build` (npm start does it for you).'),
    );
  }
  app.use(errorHandler(deps.log));

  const httpServer = createServer(app);
  const io = new SocketServer(httpServer, { serveClient: false, allowRequest: allowSocketOrigin(deps.security.allowedOrigins) });
  live = io.of(LIVE_NAMESPACE) as unknown as LiveNamespace;
  const authenticate = async (socket: LiveSocket, next: (err?: Error) => void) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    let principal;
    try {
      principal = typeof token === 'string' ? await deps.auth.resolve(token) : null;
    } catch {
      return next(new Error('unavailable')); // Redis unreachable: the client retries, its token is not refused
    }
    if (!principal) return next(new Error('unauthorized'));
    socket.data.principal = principal;
    socket.data.token = token as string;
    next();
  };
  live.use(authenticate);
  // Nothing is served on the root namespace; it asks for a token all the same.
  io.use((socket, next) => void authenticate(socket as unknown as LiveSocket, next));
  // Every event a screen sends (room joins, resync) re-checks its token: a revoked or expired one is disconnected.
  live.on('connection', (socket) => {
    socket.on('error', () => undefined); // a refused event; the socket is already being disconnected or was told why
    const budget = new EventBudget(LIVE_EVENTS_PER_WINDOW, LIVE_EVENT_WINDOW_MS);
    socket.use(([event], next) => {
      const waitSeconds = budget.take();
      if (waitSeconds !== null) {
        if (budget.firstOver) {
          const message = `more than ${LIVE_EVENTS_PER_WINDOW} events in ${LIVE_EVENT_WINDOW_MS / 1000} s; events are dropped for ${waitSeconds} s`;
          socket.emit('refused', { event: String(event), code: 'rate_limited', message, retryAfterSeconds: waitSeconds });
        }
        return next(new Error('rate_limited'));
      }
      const token = (socket.handshake.auth as { token?: unknown }).token;
      void deps.auth.resolve(String(token)).then(
        (principal) => {
          if (principal) {
            socket.data.principal = principal;
            return next();
          }
          deps.log.info({ event }, 'live socket with a revoked or expired token disconnected');
          next(new Error('unauthorized'));
          socket.disconnect(true);
        },
        () => next(new Error('unavailable')),
      );
    });
  });
  return { httpServer, io, live: live!, app };
}

/** Screens connected to this server with display token `id`. */
function countScreens(live: LiveNamespace | undefined, id: string): number {
  let n = 0;
  for (const socket of live?.sockets.values() ?? []) if (socket.data.principal?.displayTokenId === id) n++;
  return n;
}
