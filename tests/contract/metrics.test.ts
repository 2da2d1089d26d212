import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/platform/logger.ts';
import { startServer } from '../../server/server-process.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { INGEST_TOKEN as CLUSTER_INGEST_TOKEN, startPulseCluster } from '../../scripts/reliability/harness.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text exposition format (0.0.4): comments skipped, every sample with its labels. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key!] = value!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample `name` whose labels include `labels` (0 when none: an empty series). */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value ?? 0;
}

async function scrape(baseUrl: string, headers: Record<string, string> = {}): Promise<Sample[]> {
  const res = await fetch(`${baseUrl}/metrics`, { headers });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('GET /metrics', () => {
  it('counts what was sent, per feed and outcome, the same on every server; HTTP by route pattern; live sockets', async () => {
    app = await startTestApp();
    const session = await app.login();
    const before = await scrape(app.baseUrl);
    expect(valueOf(before, 'pulse_ingest_received_total', { feed: 'hotline' })).toBe(0);

    // 6 records: 4 good (one of them sent again in the second request), 2 rejected.
    const at = '2022-06-01T09:00:00+08:00';
    await app.ingest('hotline', [
      { ticketId: 'M1', type: 'signed', at },
      { ticketId: 'M2', type: 'signed', at },
      { ticketId: 'M3', type: 'teleported', at },
      { ticketId: 'M4', type: 'signed', at },
    ]);
    await app.ingest('hotline', [{ ticketId: 'M1', type: 'signed', at }, { type: 'signed' }]);
    await app.ingest('hall', [{ hallId: 'no such shape' }]);
    await app.waitIdle(session);
    const socket = app.connectLive(session);
    await new Promise((resolve) => socket.once('snapshot', resolve));

    // A second server on the same Redis: the figures workers produce are the same there.
    const other = await startServer({ ...app.config, PORT: 0 }, app.config.REDIS_URL!, createLogger('silent', 'test'));
    try {
      for (const [baseUrl, sockets] of [
        [app.baseUrl, 1],
        [`http://127.0.0.1:${other.port}`, 0],
      ] as const) {
        const m = await scrape(baseUrl);
        const hotline = (name: string, labels: Record<string, string> = {}) => valueOf(m, name, { feed: 'hotline', ...labels });
        expect(hotline('pulse_ingest_received_total')).toBe(6);
        expect(hotline('pulse_ingest_records_total', { outcome: 'accepted' })).toBe(3);
        expect(hotline('pulse_ingest_records_total', { outcome: 'duplicate' })).toBe(1);
        expect(hotline('pulse_ingest_records_total', { outcome: 'rejected' })).toBe(2);
        expect(hotline('pulse_ingest_records_total', { outcome: 'conflict' })).toBe(0);
        expect(valueOf(m, 'pulse_ingest_received_total', { feed: 'hall' })).toBe(1);
        expect(valueOf(m, 'pulse_ingest_records_total', { feed: 'hall', outcome: 'rejected' })).toBe(1);
        // Two batches applied (the hall request had nothing to queue); the histogram is cumulative.
        expect(hotline('pulse_ingest_apply_latency_seconds_count')).toBe(2);
        expect(hotline('pulse_ingest_apply_latency_seconds_bucket', { le: '+Inf' })).toBe(2);
        expect(hotline('pulse_ingest_apply_latency_seconds_sum')).toBeGreaterThan(0);
        expect(valueOf(m, 'pulse_ingest_apply_latency_seconds_count', { feed: 'hall' })).toBe(0);
        for (const state of ['waiting', 'active', 'delayed', 'failed']) expect(hotline('pulse_ingest_queue_jobs', { state })).toBe(0);
        expect(valueOf(m, 'pulse_live_sockets')).toBe(sockets);
      }
      const m = await scrape(app.baseUrl);
      const ingestRequests = m.filter((s) => s.name === 'pulse_http_requests_total' && s.labels.route === '/api/ingest/:feed');
      expect(ingestRequests).toEqual([
        { name: 'pulse_http_requests_total', labels: { method: 'POST', route: '/api/ingest/:feed', status: '202' }, value: 3 },
      ]);
      expect(valueOf(m, 'pulse_http_requests_total', { method: 'GET', route: '/metrics', status: '200' })).toBeGreaterThanOrEqual(2);
      expect(m.some((s) => s.labels.route?.includes('hotline'))).toBe(false); // the pattern, never the URL
      // Without METRICS_TOKEN, no bearer token opens /metrics to another address.
      const remote = await fetch(`${app.baseUrl}/metrics`, {
        headers: { 'x-forwarded-for': '10.1.2.3', authorization: 'Bearer anything-at-all-123' },
      });
      expect(remote.status).toBe(401);
      await app.get('/api/no/such/route', session);
      const unmatched = await scrape(app.baseUrl);
      expect(valueOf(unmatched, 'pulse_http_requests_total', { method: 'GET', route: '(unmatched)', status: '404' })).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('serves loopback, refuses any other address without the token, and serves the token from anywhere', async () => {
    const token = 'metrics-token-0123456789';
    app = await startTestApp({ METRICS_TOKEN: token }, { worker: false });
    const get = (headers: Record<string, string>) => fetch(`${app!.baseUrl}/metrics`, { headers });
    // TRUST_PROXY is loopback (the default): a forwarded address is the client's, as behind the compose file's nginx.
    const remote = { 'x-forwarded-for': '10.1.2.3' };
    expect((await get({})).status).toBe(200);
    const refused = await get(remote);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await get({ ...remote, authorization: `Bearer ${token}x` })).status).toBe(401);
    expect((await get({ authorization: `Bearer ${token}x` })).status).toBe(401);
    expect((await get({ ...remote, authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('in separate processes (two servers, two workers), every server shows what all of them received and applied', async () => {
    const cluster = await startPulseCluster({ servers: 2, workers: 2, env: { LOG_LEVEL: 'info' } });
    try {
      const at = '2022-06-01T09:00:00+08:00';
      const send = async (baseUrl: string, events: unknown[], requestId: string) => {
        const res = await fetch(`${baseUrl}/api/ingest/hotline`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${CLUSTER_INGEST_TOKEN}`, 'x-request-id': requestId },
          body: JSON.stringify({ events }),
        });
        expect(res.status).toBe(202);
      };
      // 10 batches over both servers: 50 records, 40 distinct tickets, 5 rejected.
      for (let i = 0; i < 10; i++) {
        const events = [0, 1, 2, 3].map((k) => ({ ticketId: `P${i}-${k}`, type: 'signed', at }));
        events.push(i % 2 === 0 ? { ticketId: `P${i}-0`, type: 'signed', at } : ({ type: 'signed' } as never));
        await send(cluster.baseUrls[i % 2]!, events, `multi-${i}`);
      }
      await cluster.waitIdle(await cluster.login(), 60_000);
      for (const baseUrl of cluster.baseUrls) {
        const m = await scrape(baseUrl);
        const hotline = (name: string, labels: Record<string, string> = {}) => valueOf(m, name, { feed: 'hotline', ...labels });
        expect(hotline('pulse_ingest_received_total')).toBe(50);
        expect(hotline('pulse_ingest_records_total', { outcome: 'accepted' })).toBe(40);
        expect(hotline('pulse_ingest_records_total', { outcome: 'duplicate' })).toBe(5);
        expect(hotline('pulse_ingest_records_total', { outcome: 'rejected' })).toBe(5);
        expect(hotline('pulse_ingest_apply_latency_seconds_count')).toBe(10);
      }
      // Each batch's 'batch applied' line, in whichever worker process applied it, carries its request's id.
      const workerLines = cluster.workers.flatMap((w) => w.output().split('\n')).filter((l) => l.includes('"batch applied"'));
      const ids = workerLines.map((l) => (JSON.parse(l) as { reqId?: string }).reqId).sort();
      expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `multi-${i}`).sort());
    } finally {
      await cluster.stop();
    }
  }, 180_000);
});
