import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedName } from '../../shared/feeds/feed.ts';
import { FEED_MODULES } from '../../core/feeds/index.ts';
import { startLiveStream, type LiveStream } from '../../scripts/simulator/live.ts';
import { generateToday } from '../../scripts/simulator/today.ts';
import { FEEDS, type FeedRecord } from '../../scripts/simulator/year.ts';
import type { Surge } from '../../scripts/simulator/surges.ts';
import { toEpochMs } from '../../scripts/simulator/calendar.ts';

/**
 * The simulator's live stream is the system under test; a tiny HTTP receiver stands in for Pulse's
 * ingest endpoint (no Pulse here). The clock is injected and runs 120× fast from a Tuesday morning,
 * so a few real seconds hold minutes of tickets and visits.
 */

const TOKEN = 'live-test-ingest-token';
const NOW_0 = Date.parse('2026-11-24T10:00:00+08:00'); // a Tuesday, a working day
const SPEEDUP = 120;
const ctx = { tz: 'Asia/Shanghai', hashPhone: (p: string) => `h:${p}` };

interface Received {
  feed: FeedName;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
  /** The status the receiver answered. */
  status: number;
  /** Real ms and injected-clock ms at arrival. */
  realMs: number;
  clockMs: number;
}

let server: Server;
let baseUrl: string;
let received: Received[];
/** Answers for the next requests of a feed, before the default 202. */
let scripted: Partial<Record<FeedName, { status: number; headers: Record<string, string> }[]>>;
let realStart: number;
const clock = () => NOW_0 + (Date.now() - realStart) * SPEEDUP;
let stream: LiveStream | undefined;

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
  });

beforeEach(async () => {
  received = [];
  scripted = {};
  realStart = Date.now();
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    const feed = /^\/api\/ingest\/(\w+)$/.exec(req.url ?? '')?.[1] as FeedName;
    const next = scripted[feed]?.shift();
    received.push({
      feed,
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body,
      status: next?.status ?? 202,
      realMs: Date.now(),
      clockMs: clock(),
    });
    if (next) {
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      res.end(JSON.stringify({ error: { code: 'backlog_full', message: 'retry later' } }));
      return;
    }
    const events = (JSON.parse(body) as { events: unknown[] }).events;
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ accepted: events.length, rejected: [], batchId: `b${received.length}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await stream?.stop(1_000);
  stream = undefined;
  await new Promise((resolve) => server.close(resolve));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const eventsOf = (r: Received) => (JSON.parse(r.body) as { events: FeedRecord[] }).events;
const accepted = (feed: FeedName) => received.filter((r) => r.feed === feed && r.status === 202);

/** Every record of `feed` received, normalised by Pulse's own feed module (which must accept it). */
function normalised(feed: FeedName): { record: FeedRecord; parsed: Record<string, unknown> }[] {
  return accepted(feed)
    .flatMap(eventsOf)
    .map((record) => {
      const result = FEED_MODULES[feed]!.normalize(record, ctx);
      if (!result.ok) throw new Error(`${feed} record refused: ${JSON.stringify(record)}: ${result.errors.join('; ')}`);
      return { record, parsed: result.record as Record<string, unknown> };
    });
}

describe('live stream', () => {
  it('POSTs valid batches to every feed, stamped with the current time, in plausible milestone order', async () => {
    stream = startLiveStream({ baseUrl, ingestToken: TOKEN, ratePerSecond: 100, seed: 7, now: clock, flushIntervalMs: 50 });
    await sleep(3_500); // 7 minutes of the injected clock
    await stream.stop();

    for (const feed of FEEDS)
      expect(
        received.some((r) => r.feed === feed),
        `a batch for ${feed}`,
      ).toBe(true);
    for (const r of received) {
      expect(r.authorization).toBe(`Bearer ${TOKEN}`);
      expect(r.contentType).toMatch(/^application\/json/);
      const events = eventsOf(r);
      expect(events.length).toBeGreaterThan(0);
      expect(events.length).toBeLessThanOrEqual(5_000);
    }
    const all = FEEDS.flatMap((feed) => normalised(feed).map((n) => ({ feed, ...n })));
    expect(all.length).toBeGreaterThan(300);

    // Times: ISO with +08:00, never ahead of the clock when sent, and not far behind it (the clock runs
    // 120× fast, so a busy test machine's stall of a few real seconds is many clock minutes).
    for (const r of received) {
      for (const event of eventsOf(r)) {
        const time = String(event.type === 'footfall' ? event.asOf : r.feed === 'online' ? event.asOf : event.at);
        expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
        const ms = Date.parse(time);
        expect(ms).toBeLessThanOrEqual(r.clockMs + 2_000);
        expect(ms).toBeGreaterThan(r.clockMs - 20 * 60_000);
      }
    }

    // Hotline: a ticket is signed after it is received, responded after signed, and so on.
    const ORDER = ['received', 'signed', 'responded', 'completed', 'visited'];
    const tickets = new Map<string, Map<string, number>>();
    for (const { parsed } of normalised('hotline')) {
      const m = tickets.get(parsed.ticketId as string) ?? new Map<string, number>();
      m.set(parsed.type as string, parsed.at as number);
      tickets.set(parsed.ticketId as string, m);
    }
    const signed = [...tickets.values()].filter((m) => m.has('signed'));
    expect(signed.length).toBeGreaterThan(5);
    for (const m of tickets.values()) {
      expect(m.has('received'), 'every ticket the stream began was received first').toBe(true);
      const times = ORDER.filter((t) => m.has(t)).map((t) => m.get(t)!);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }

    // Hall: numbers taken before they are called, called before served; footfall rows for the halls.
    const visits = new Map<string, Map<string, number>>();
    const footfall = normalised('hall').filter((n) => n.parsed.type === 'footfall');
    for (const { parsed } of normalised('hall').filter((n) => n.parsed.type !== 'footfall')) {
      const key = `${parsed.hall}|${parsed.day}|${parsed.queueId}`;
      const m = visits.get(key) ?? new Map<string, number>();
      expect(m.has(parsed.type as string), `${key} ${parsed.type} sent once`).toBe(false);
      m.set(parsed.type as string, parsed.at as number);
      visits.set(key, m);
    }
    expect([...visits.values()].filter((m) => m.has('served')).length).toBeGreaterThan(5);
    for (const m of visits.values()) {
      if (m.has('called')) expect(m.get('called')!).toBeGreaterThanOrEqual(m.get('taken')!);
      if (m.has('served')) expect(m.get('served')!).toBeGreaterThanOrEqual(m.get('called')!);
    }
    expect(footfall.length).toBeGreaterThan(0);

    // Online: snapshot rows whose counts only grow, never two rows of one key with the same asOf.
    const lastByKey = new Map<string, { count: number; asOf: number }>();
    for (const { parsed } of normalised('online')) {
      const key = `${parsed.date}|${parsed.itemCode}|${parsed.channel}`;
      const last = lastByKey.get(key);
      if (last) {
        expect(parsed.count as number).toBeGreaterThanOrEqual(last.count);
        expect(parsed.asOf as number).toBeGreaterThan(last.asOf);
      }
      lastByKey.set(key, { count: parsed.count as number, asOf: parsed.asOf as number });
    }

    // Evaluations: mostly 5 and 4.
    const ratings = normalised('evaluations').map((n) => n.parsed.rating as number);
    expect(ratings.filter((r) => r >= 4).length / ratings.length).toBeGreaterThan(0.9);

    const stats = stream.stats();
    expect(stats.sent).toBe(all.length);
    expect(stats.accepted).toBe(all.length);
    expect(stats.rejected).toBe(0);
  }, 20_000);

  it('retries a batch answered 429 after Retry-After, with the same content', async () => {
    scripted.hotline = [{ status: 429, headers: { 'retry-after': '1' } }];
    stream = startLiveStream({ baseUrl, ingestToken: TOKEN, ratePerSecond: 200, seed: 11, now: clock, flushIntervalMs: 50 });
    await sleep(2_500);
    await stream.stop();

    const hotline = received.filter((r) => r.feed === 'hotline');
    expect(hotline.length).toBeGreaterThanOrEqual(2);
    const [refused, retried] = hotline;
    expect(retried!.body).toBe(refused!.body);
    expect(retried!.realMs - refused!.realMs).toBeGreaterThanOrEqual(950);
    expect(stream.stats().retries).toBeGreaterThanOrEqual(1);
    // Records that came in meanwhile wait for the next batch; none is lost.
    const sentIds = hotline
      .slice(1)
      .flatMap(eventsOf)
      .map((e) => `${e.ticketId}|${e.type}`);
    expect(new Set(sentIds).size).toBe(sentIds.length);
    expect(sentIds).toEqual(expect.arrayContaining(eventsOf(refused!).map((e) => `${e.ticketId}|${e.type}`)));
  });

  it('keeps going through network errors, reporting them, and stops on time', async () => {
    const errors: Error[] = [];
    await new Promise((resolve) => server.close(resolve)); // nobody listens any more
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)); // for afterEach to close
    stream = startLiveStream({
      baseUrl,
      ingestToken: TOKEN,
      ratePerSecond: 100,
      seed: 3,
      now: clock,
      flushIntervalMs: 50,
      onError: (e) => errors.push(e),
    });
    await sleep(1_500);
    const started = Date.now();
    await stream.stop(300);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(errors.length).toBeGreaterThan(0);
    expect(stream.stats().retries).toBeGreaterThan(0);
    expect(stream.stats().sent).toBe(0);
    // What could not be sent is kept for a later run.
    const state = stream.state();
    expect(state.clean).toBe(true);
    expect(state.pending.length).toBeGreaterThanOrEqual(stream.stats().generated);
  });

  it('starts the new day afresh at midnight: queue numbers from 5001, new online rows, no key sent twice', async () => {
    const beforeMidnight = Date.parse('2026-11-24T23:58:30+08:00');
    const nightClock = () => beforeMidnight + (Date.now() - realStart) * SPEEDUP;
    stream = startLiveStream({ baseUrl, ingestToken: TOKEN, ratePerSecond: 100, seed: 13, now: nightClock, flushIntervalMs: 50 });
    await sleep(2_000); // 23:58:30 → 00:02:30
    await stream.stop();

    const queue = normalised('hall').filter((n) => n.parsed.type !== 'footfall');
    const keys = queue.map(({ parsed }) => `${parsed.hall}|${parsed.day}|${parsed.queueId}|${parsed.type}`);
    expect(new Set(keys).size).toBe(keys.length);
    const firstNumbers = new Map<string, number>();
    for (const { parsed } of queue.filter((n) => n.parsed.type === 'taken' && n.parsed.day === '2026-11-25')) {
      const key = `${parsed.hall}|${String(parsed.queueId)[0]}`;
      firstNumbers.set(key, Math.min(firstNumbers.get(key) ?? Infinity, Number(String(parsed.queueId).slice(1))));
    }
    expect(firstNumbers.size).toBeGreaterThan(0);
    for (const n of firstNumbers.values()) expect(n).toBe(5001);
    const dates = new Set(normalised('online').map((n) => n.parsed.date));
    expect([...dates].sort()).toEqual(['2026-11-24', '2026-11-25']);
  });

  it('carries on from today: milestones of open tickets are sent when they fall due', async () => {
    const today = generateToday({ now: NOW_0, seed: 5, scale: 1 });
    const due = today.live.pending.filter((p) => p.dueMs <= NOW_0 + 5 * 60_000);
    expect(due.length).toBeGreaterThan(0);
    stream = startLiveStream({
      baseUrl,
      ingestToken: TOKEN,
      ratePerSecond: 20,
      seed: 5,
      now: clock,
      flushIntervalMs: 50,
      continueFrom: today.live,
    });
    await sleep(3_500); // 7 minutes
    await stream.stop();
    const sent = new Set(received.flatMap((r) => eventsOf(r).map((e) => JSON.stringify(e))));
    for (const p of due) expect(sent.has(JSON.stringify(p.record)), JSON.stringify(p.record)).toBe(true);
    // Numbers the live stream issues stay clear of the day model's (A001 …).
    const taken = normalised('hall').filter((n) => n.parsed.type === 'taken');
    expect(taken.length).toBeGreaterThan(0);
    for (const { parsed } of taken) expect(Number(String(parsed.queueId).slice(1))).toBeGreaterThan(5000);
  }, 15_000);
});

describe('generateToday', () => {
  const NOW = Date.parse('2026-11-24T15:20:00+08:00');

  it('has records of today up to now only, and the same records when asked again', () => {
    const a = generateToday({ now: NOW, seed: 9, scale: 1 });
    const b = generateToday({ now: NOW, seed: 9, scale: 1 });
    expect(a).toEqual(b);
    expect(a.date).toBe('2026-11-24');
    for (const feed of FEEDS) {
      for (const record of a.feeds[feed]) {
        const result = FEED_MODULES[feed]!.normalize(record, ctx);
        expect(result.ok, JSON.stringify(record)).toBe(true);
        const time = Date.parse(
          String(feed === 'online' || record.type === 'footfall' ? record.asOf : record.at).replace(/(T\d{2}:\d{2}:\d{2})$/, '$1+08:00'),
        );
        expect(time).toBeLessThanOrEqual(NOW);
      }
    }
    expect(a.feeds.hall.length).toBeGreaterThan(1_000); // a working day's afternoon at scale 1
    expect(a.live.pending.every((p) => p.dueMs > NOW)).toBe(true);
  });

  it('later the same day is a superset: what was sent earlier is sent again unchanged', () => {
    const early = generateToday({ now: NOW, seed: 9, scale: 1 });
    const late = generateToday({ now: NOW + 2 * 3_600_000, seed: 9, scale: 1 });
    for (const feed of ['hotline', 'crossRegion', 'evaluations'] as const) {
      const later = new Set(late.feeds[feed].map((r) => JSON.stringify(r)));
      for (const r of early.feeds[feed]) expect(later.has(JSON.stringify(r)), JSON.stringify(r)).toBe(true);
    }
    const laterQueue = new Set(late.feeds.hall.filter((r) => r.type !== 'footfall').map((r) => JSON.stringify(r)));
    for (const r of early.feeds.hall.filter((r) => r.type !== 'footfall')) expect(laterQueue.has(JSON.stringify(r))).toBe(true);
    // Snapshot counts only grow.
    const lateCounts = new Map(late.feeds.online.map((r) => [`${r.itemCode}|${r.channel}`, Number(r.count)]));
    for (const r of early.feeds.online) expect(lateCounts.get(`${r.itemCode}|${r.channel}`)).toBeGreaterThanOrEqual(Number(r.count));
  });
});

describe('未诉先办 surges in the live stream', () => {
  it('injects a burst of the quietest category in one street, the first after the delay asked for', async () => {
    const surges: Surge[] = [];
    stream = startLiveStream({
      baseUrl,
      ingestToken: TOKEN,
      ratePerSecond: 20,
      seed: 11,
      now: clock,
      flushIntervalMs: 50,
      surges: { firstAfterMs: 60_000, everyMs: 60 * 60_000, onSurge: (s) => surges.push(s) },
    });
    await sleep(3_500); // 7 minutes of the injected clock: one surge, 6 of its 10 minutes sent
    await stream.stop();
    expect(surges).toHaveLength(1);
    const [surge] = surges;
    expect(surge).toMatchObject({ category: '民政救助', tickets: 1_800 }); // half of 3,600 tickets an hour at rate 20
    expect(toEpochMs(surge!.startMs) - NOW_0).toBeGreaterThanOrEqual(60_000);
    const signedThere = normalised('hotline').filter(
      ({ parsed }) => parsed.type === 'signed' && parsed.category === '民政救助' && parsed.street === surge!.street,
    );
    expect(signedThere.length).toBeGreaterThan(500);
  });
});
