/**
 * Latency from POST /api/ingest/hotline to the figure changing on the page, in headless Chromium,
 * with the default coalescing (LIVE_COALESCE_MS). Prints the figures and writes them to
 * bench/RESULTS.md (section "post-to-page").
 */
import { createLogger } from '../core/platform/logger.ts';
import { loadConfig } from '../core/platform/config.ts';
import { startServer } from '../server/server-process.ts';
import { startWorker } from '../workers/worker-process.ts';
import { launchChromium } from '../tests/support/browser.ts';
import { startTestRedis } from '../tests/support/redis-server.ts';
import { summarize, writeSection, type Summary } from './results.ts';

const ROUNDS = 40;

const redis = await startTestRedis();
const config = loadConfig({
  ...process.env,
  REDIS_URL: redis.url,
  PORT: '0',
  HOST: '127.0.0.1',
  ADMIN_PASSWORD: 'bench-password',
  INGEST_TOKEN: 'bench-ingest-token-0123456789',
  LOG_LEVEL: 'silent',
});
const log = createLogger('silent', 'bench');
const worker = startWorker(config, redis.url, log);
const server = await startServer(config, redis.url, log);
const base = `http://127.0.0.1:${server.port}`;
const browser = await launchChromium();

try {
  const { token } = (await (
    await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'bench-password' }),
    })
  ).json()) as { token: string };
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(`${base}/wall?token=${token}`);
  const value = page.locator('[data-kpi="hotline.signed"] [data-testid="kpi-value"]');
  await value.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-kpi="hotline.signed"] [data-testid="kpi-value"]')?.textContent === '0');

  const latencies: number[] = [];
  for (let i = 1; i <= ROUNDS; i++) {
    const seen = page.waitForFunction(
      (expected) => document.querySelector('[data-kpi="hotline.signed"] [data-testid="kpi-value"]')?.textContent === String(expected),
      i,
      { polling: 'raf', timeout: 10_000 },
    );
    const started = performance.now();
    const res = await fetch(`${base}/api/ingest/hotline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.INGEST_TOKEN}` },
      body: JSON.stringify({ events: [{ ticketId: `BENCH-${i}`, type: 'signed', at: new Date().toISOString() }] }),
    });
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
    await seen;
    latencies.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 300)); // land at random points of the coalescing window
  }
  const summary: Summary = summarize(latencies);
  const line =
    `POST → figure on the page, ${ROUNDS} records one at a time, LIVE_COALESCE_MS=${config.LIVE_COALESCE_MS}: ` +
    `min ${summary.min.toFixed(0)} ms, median ${summary.median.toFixed(0)} ms, p95 ${summary.p95.toFixed(0)} ms, max ${summary.max.toFixed(0)} ms`;
  console.log(line);
  writeSection('post-to-page', line);
} finally {
  await browser.close();
  await worker.close();
  await server.close();
  await redis.stop();
}
