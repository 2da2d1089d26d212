import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotspotsResponse } from '../../shared/analytics/hotspots.ts';
import { createLogger } from '../../core/platform/logger.ts';
import { startServer, type RunningServer } from '../../server/server-process.ts';
import { startWorker, type RunningWorker } from '../../workers/worker-process.ts';
import { DETECTOR_NICE } from '../../workers/hotspot-worker.ts';
import { addDays, dayStartUtc, localDayHour } from '../../shared/time.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const TZ = 'Asia/Shanghai';
const HOUR_MS = 3_600_000;
const CATEGORIES = ['城市管理', '市场监管', '物业管理'];
const STREETS = ['文艺路街道', '朝阳街道', '火星街道'];

let app: TestApp;
let admin: string;
let robot: Server;
const robotMessages: { body: { text: { content: string } } }[] = [];
const extra: { workers: RunningWorker[]; servers: RunningServer[] } = { workers: [], servers: [] };

const signed = (ticketId: string, at: number, category: string, street: string) => ({
  ticketId,
  type: 'signed',
  at: new Date(at).toISOString(),
  urgency: '普通',
  category,
  street,
  department: '区城管局',
});

beforeAll(async () => {
  robot = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      robotMessages.push({ body: JSON.parse(body) as { text: { content: string } } });
      res.setHeader('content-type', 'application/json');
      res.end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((r) => robot.listen(0, '127.0.0.1', r));
  app = await startTestApp();
  admin = await app.login();
  // A second worker and a second server on the same Redis: the detector and the robot must still act once.
  const log = createLogger('silent', 'test');
  extra.workers.push(startWorker(app.config, app.config.REDIS_URL!, log));
  extra.servers.push(await startServer(app.config, app.config.REDIS_URL!, log));
  const url = `http://127.0.0.1:${(robot.address() as AddressInfo).port}/cgi-bin/webhook/send?key=k`;
  const put = await fetch(`${app.baseUrl}/api/admin/alerts`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ thresholds: {}, webhook: { kind: 'wecom', url } }),
  });
  expect(put.status).toBe(200);
});
afterAll(async () => {
  for (const w of extra.workers) await w.close();
  for (const s of extra.servers) await s.close();
  await app?.close();
  await new Promise((r) => robot.close(r));
});

describe('未诉先办 from ingest to the API', () => {
  it('raises a surge of one category in one street from the tickets sent, lists it with its tickets, and tells the robot once', async () => {
    const now = Date.now();
    const today = localDayHour(now, TZ).day;
    // Twelve weeks of ordinary history (before the detector's three-day gap): each pair about once a week.
    const history = [];
    for (let d = 3; d < 87; d++) {
      const start = dayStartUtc(addDays(today, -d), TZ);
      const pair = d % 9;
      history.push(signed(`H${d}`, start + 10 * HOUR_MS, CATEGORIES[pair % 3]!, STREETS[Math.floor(pair / 3)]!));
    }
    await app.ingest('hotline', history);
    // Today's surge: eight 物业管理 tickets in 火星街道 within four hours, and an ordinary one elsewhere.
    const surge = Array.from({ length: 8 }, (_, i) => signed(`S${i}`, now - 4 * HOUR_MS + i * 30 * 60_000, '物业管理', '火星街道'));
    await app.ingest('hotline', [...surge, signed('O1', now - HOUR_MS, '城市管理', '朝阳街道')]);

    const period = `from=${addDays(today, -2)}&to=${today}`;
    await expect
      .poll(async () => ((await (await app.get(`/api/hotline/hotspots?${period}`, admin)).json()) as HotspotsResponse).hotspots.length, {
        timeout: 20_000,
      })
      .toBe(1);
    const [hotspot] = ((await (await app.get(`/api/hotline/hotspots?${period}`, admin)).json()) as HotspotsResponse).hotspots;
    expect(hotspot).toMatchObject({ category: '物业管理', street: '火星街道', observed: 8, end: null, review: { state: 'new' } });
    expect(hotspot!.ticketIds.sort()).toEqual(surge.map((t) => t.ticketId).sort());
    expect(hotspot!.start).toBe(surge[0]!.at);
    expect(hotspot!.expected).toBeLessThan(1);

    await expect.poll(() => robotMessages.length, { timeout: 10_000 }).toBe(1);
    expect(robotMessages[0]!.body.text.content).toContain('物业管理 · 火星街道：8 件');
    // Another batch, and so more detector runs in both workers: still one hotspot, still one message.
    await app.ingest('hotline', [signed('O2', now - HOUR_MS / 2, '市场监管', '文艺路街道')]);
    await app.waitIdle(admin);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(robotMessages).toHaveLength(1);
    const after = ((await (await app.get(`/api/hotline/hotspots?${period}`, admin)).json()) as HotspotsResponse).hotspots;
    expect(after.map((h) => h.id)).toEqual([hotspot!.id]);
  });

  it.skipIf(process.platform !== 'linux')(
    'runs the detector on a thread of its own, niced below the threads that apply batches (Linux)',
    () => {
      // /proc/<pid>/task/<tid>/stat: field 19 is the thread's nice value (after the command in parentheses, field 17).
      const nices = readdirSync(`/proc/${process.pid}/task`).map((tid) => {
        const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      });
      expect(nices).toContain(0); // this process's own threads, the event loop among them
      expect(nices).toContain(DETECTOR_NICE); // the detectors' threads (this process runs two workers)
    },
  );
});
