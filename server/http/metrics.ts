import { collectDefaultMetrics, Counter, Gauge, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import { INGEST_OUTCOMES, type MetricsService } from '../../core/services/metrics-service.ts';
import type { IngestService } from '../../core/ingest/ingest-service.ts';
import { FEED_NAMES } from '../../shared/feeds/feed.ts';
import { bearerToken, secretsEqual } from './auth.ts';

/**
 * The route pattern a request matched (`/api/ingest/:feed`), never its raw URL, so the HTTP figures
 * have one series per route: `(unmatched)` for an unknown API path, `(client)` for the console's files.
 */
export function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  const underApi = req.originalUrl === '/api' || req.originalUrl.startsWith('/api/');
  if (typeof path === 'string') {
    // Mounted routers' patterns are relative to /api; an error handled at the app level has left the router already.
    return underApi && !path.startsWith('/api') ? `/api${path}` : path;
  }
  return underApi ? '(unmatched)' : '(client)';
}

const isLoopback = (ip: string | undefined) => ip !== undefined && /^(127\.|::1$|::ffff:127\.)/.test(ip);

/** A metric whose values are read from Redis for each scrape (prom-client's types cannot be set to a total). */
class ReadMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator = 'sum' as const;
  values: MetricValue<string>[] = [];

  constructor(name: string, help: string, type: 'counter' | 'histogram') {
    this.name = name;
    this.help = help;
    this.type = type;
  }

  /** What prom-client's registry formats (the shape of its own metrics' `get`). */
  get(): Omit<MetricObjectWithValues<MetricValue<string>>, 'collect' | 'type'> & { type: string } {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.values };
  }
}

export interface MetricsOptions {
  metrics: MetricsService;
  ingest: IngestService;
  /** METRICS_TOKEN: a scraper presenting it as a bearer token may read from any address; without it, loopback only. */
  token: string | undefined;
  /** Live sockets connected to this server. */
  liveSockets(): number;
}

/**
 * GET /metrics (Prometheus text format) and the middleware counting HTTP requests by route and status.
 * Ingest counts, queue depth and apply latency come from Redis (the same on every server); HTTP
 * requests, live sockets and the process figures are this server's own (Prometheus scrapes each one).
 */
export function metricsEndpoint(options: MetricsOptions): { countRequests: RequestHandler; serve: RequestHandler } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'pulse_http_requests_total',
    help: 'HTTP requests answered by this server, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  new Gauge({
    name: 'pulse_live_sockets',
    help: 'Live-stream sockets (wall and console) connected to this server',
    registers: [registry],
    collect() {
      this.set(options.liveSockets());
    },
  });
  const queue = new Gauge({
    name: 'pulse_ingest_queue_jobs',
    help: 'Ingest batches in the queue of each feed, by state (waiting, active, delayed, failed)',
    labelNames: ['feed', 'state'],
    registers: [registry],
  });
  const received = new ReadMetric(
    'pulse_ingest_received_total',
    'Records received by ingest (HTTP, imports, connectors), per feed',
    'counter',
  );
  const outcomes = new ReadMetric(
    'pulse_ingest_records_total',
    'Records received, by outcome: rejected by validation, or what the worker made of them (accepted, duplicate, conflict, replaced, superseded)',
    'counter',
  );
  const latency = new ReadMetric(
    'pulse_ingest_apply_latency_seconds',
    'Seconds from a batch accepted by a server to it applied by a worker, per feed',
    'histogram',
  );
  for (const metric of [received, outcomes, latency]) registry.registerMetric(metric as never);

  const countRequests: RequestHandler = (req, res, next) => {
    res.on('finish', () => requests.inc({ method: req.method, route: routeOf(req), status: String(res.statusCode) }));
    next();
  };

  const serve: RequestHandler = async (req, res) => {
    const token = bearerToken(req);
    if (token !== null ? !(options.token && secretsEqual(token, options.token)) : !isLoopback(req.ip)) {
      throw token !== null ? new AppError('unauthorized', msg('metrics.bad_token')) : new AppError('forbidden', msg('metrics.forbidden'));
    }
    const [ingest, status] = await Promise.all([options.metrics.ingest(), options.ingest.status()]).catch((err: unknown) => {
      throw new AppError('redis_unavailable', msg('http.redis_unavailable'), undefined, 5, { cause: err });
    });
    received.values = FEED_NAMES.map((feed) => ({ labels: { feed }, value: ingest.totals[feed].received }));
    outcomes.values = FEED_NAMES.flatMap((feed) =>
      INGEST_OUTCOMES.map((outcome) => ({ labels: { feed, outcome }, value: ingest.totals[feed][outcome] })),
    );
    latency.values = FEED_NAMES.flatMap((feed) => {
      const h = ingest.applyLatency[feed];
      return [
        ...h.buckets.map(({ le, count }) => ({ labels: { feed, le }, value: count, metricName: `${latency.name}_bucket` })),
        { labels: { feed }, value: h.sum, metricName: `${latency.name}_sum` },
        { labels: { feed }, value: h.count, metricName: `${latency.name}_count` },
      ];
    });
    queue.reset();
    for (const [feed, counts] of Object.entries(status.feeds)) {
      for (const [state, n] of Object.entries(counts)) queue.set({ feed, state }, n);
    }
    res.setHeader('Cache-Control', 'no-store');
    res.type(registry.contentType).send(await registry.metrics());
  };
  return { countRequests, serve };
}
