import { UnrecoverableError } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResponse, KpisResponse } from '../../shared/api-types.ts';
import type { FailedJobsResponse } from '../../shared/console-types.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';
import { redisKeys } from '../../core/platform/redis-keys.ts';
import { ApplyService, SUPPORTED_FEEDS } from '../../core/ingest/apply-service.ts';
import { verifyAggregates, withIngestPaused } from '../../core/ledger/ledger-service.ts';
import { INGEST_TOKEN, startTestApp, uniquePrefix, type TestApp } from '../support/app.ts';
import { testContext } from '../support/context.ts';

/**
 * Issue #14, finding 1 and the validation parts of finding 6: bad records are refused one by one
 * through the real HTTP ingest and worker, a chunk the apply script cannot apply whole writes nothing
 * and fails its batch visibly, and after all of it `verify` finds zero differences and balanced counts.
 */

let app: TestApp;
let admin: string;
const ctx = { tz: 'Asia/Shanghai', settings: DEFAULT_SETTINGS };

beforeAll(async () => {
  app = await startTestApp();
  admin = await app.login();
});
afterAll(() => app.close());

const verify = () =>
  withIngestPaused(app.config.REDIS_URL!, app.keys, SUPPORTED_FEEDS, (pending) =>
    verifyAggregates(app.redis, app.keys, SUPPORTED_FEEDS, ctx, pending),
  );

/** Zero field and live-set differences, and every day's received = accepted + … + rejected + queued. */
async function expectExact(): Promise<void> {
  const report = await verify();
  for (const [feed, v] of Object.entries(report.feeds)) {
    expect({ feed, differences: v.differences, differenceCount: v.differenceCount, liveSetDifferences: v.liveSetDifferences }).toEqual({
      feed,
      differences: [],
      differenceCount: 0,
      liveSetDifferences: 0,
    });
    expect({ feed, unbalanced: v.days.filter((d) => !d.balanced), ledgerMatchesAccepted: v.ledgerMatchesAccepted }).toEqual({
      feed,
      unbalanced: [],
      ledgerMatchesAccepted: true,
    });
  }
  expect(report.ok).toBe(true);
}

async function statsOf(feed: string): Promise<Record<string, number>> {
  const keys = await app.redis.keys(app.keys.ingestStatsPattern(feed as 'online'));
  const out: Record<string, number> = {};
  for (const key of keys) for (const [f, n] of Object.entries(await app.redis.hgetall(key))) out[f] = (out[f] ?? 0) + Number(n);
  return out;
}

async function postNdjson(feed: string, lines: string[]): Promise<IngestResponse> {
  const res = await fetch(`${app.baseUrl}/api/ingest/${feed}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${INGEST_TOKEN}`, 'accept-language': 'en' },
    body: lines.join('\n'),
  });
  expect(res.status).toBe(202);
  return (await res.json()) as IngestResponse;
}

async function groups(query: string): Promise<Record<string, number | null>> {
  const body = (await (await app.get(`/api/kpis?${query}`, admin)).json()) as KpisResponse & {
    groups: { key: string; kpis: Record<string, { value: number | null }> }[];
  };
  return Object.fromEntries(body.groups.map((g) => [g.key, g.kpis['hotline.received']?.value ?? null]));
}

describe('exact figures under hostile input', () => {
  it('refuses 1,100 online rows of count 2^53 − 1 one by one, keeps the valid rows beside them, and verifies exact', async () => {
    const huge = Array.from({ length: 1_100 }, (_, i) => ({ date: '2025-03-02', itemCode: `BIG${i}`, channel: 'pc', count: 2 ** 53 - 1 }));
    const valid = Array.from({ length: 10 }, (_, i) => ({ date: '2025-03-02', itemCode: `OK${i}`, channel: 'mobile', count: 100_000 }));
    const response = await app.ingest('online', [...huge, ...valid], 'en');
    expect(response.accepted).toBe(10);
    expect(response.rejected).toHaveLength(1_100);
    expect(response.rejected[0]).toEqual({
      index: 0,
      errors: ['count (办件量): 9007199254740991 is more than 100000, the most one record may state'],
      reasons: [{ code: 'record.over_max', field: 'count' }],
    });
    await app.waitIdle(admin);
    const kpis = ((await (await app.get('/api/kpis?from=2025-03-01&to=2025-03-31', admin)).json()) as KpisResponse).kpis;
    expect(kpis['online.volume']?.value).toBe(1_000_000);
    expect(await statsOf('online')).toMatchObject({ received: 1_110, rejected: 1_100, accepted: 10 });
    await expectExact();
  });

  it('refuses a lone surrogate and control characters in text on the JSON and NDJSON paths, merges NFC spellings, and verifies exact', async () => {
    const ticket = (id: string, street: string) => ({
      ticketId: id,
      type: 'received',
      at: '2025-04-01T09:00:00+08:00',
      street,
      category: '城市管理',
    });
    const json = await app.ingest(
      'hotline',
      [ticket('S1', '\ud800'), ticket('S2', 'a\u0000b'), ticket('S3', 'Cafe\u0301'), ticket('S4', ' Caf\u00e9\n')],
      'en',
    );
    // JSON.stringify writes the lone surrogate as the escape `\ud800`, as the finding's sender did; NDJSON the same.
    const ndjson = await postNdjson('hotline', [
      JSON.stringify(ticket('S5', '\udc00x')),
      '{"ticketId":"S6","type":"received","at":"2025-04-01T09:00:00+08:00","street":"\\ud800"}',
      JSON.stringify(ticket('S7', 'ok\u001b[31m')),
      JSON.stringify(ticket('S8', '朝阳街道')),
    ]);
    const withoutCodes = (r: IngestResponse['rejected']) => r.map(({ index, errors }) => ({ index, errors }));
    expect(withoutCodes(json.rejected)).toEqual([
      { index: 0, errors: ['street (所属街道): contains a lone UTF-16 surrogate U+D800 at position 1'] },
      { index: 1, errors: ['street (所属街道): contains the control character U+0000 at position 2'] },
    ]);
    expect(withoutCodes(ndjson.rejected)).toEqual([
      { index: 0, errors: ['street (所属街道): contains a lone UTF-16 surrogate U+DC00 at position 1'] },
      { index: 1, errors: ['street (所属街道): contains a lone UTF-16 surrogate U+D800 at position 1'] },
      { index: 2, errors: ['street (所属街道): contains the control character U+001B at position 3'] },
    ]);
    await app.waitIdle(admin);
    // `Cafe` + combining acute and the precomposed `Café` are one street (NFC).
    expect(await groups('from=2025-04-01&groupBy=street')).toEqual({ Café: 2, 朝阳街道: 1 });
    await expectExact();
  });

  it('refuses times outside the plausible window and lists or objects where text is expected, per record', async () => {
    const base = { ticketId: 'W1', type: 'received', at: '2025-04-02T09:00:00+08:00' };
    const tomorrowPlus = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const response = await app.ingest(
      'hotline',
      [
        { ...base, ticketId: 'W1', at: '1999-12-31T23:59:59+08:00' },
        { ...base, ticketId: 'W2', at: tomorrowPlus },
        { ...base, ticketId: 'W3', type: ['signed'] },
        { ...base, ticketId: 'W4', type: 'visited', resolved: [true] },
        { ...base, ticketId: 'W5', street: { name: 'x' } },
        { ...base, ticketId: ['W6'] },
        { ...base, ticketId: 'W7', callerPhone: ['13800000000'] },
        { ...base, ticketId: 'W8', deadline: new Date(Date.now() + 30 * 86_400_000).toISOString() },
      ],
      'en',
    );
    expect(response.accepted).toBe(1);
    expect(response.rejected.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const [early, late, typeList, resolvedList, streetObject, idList, phoneList] = response.rejected.map((r) => r.errors);
    expect(early).toEqual(['at (时间): "1999-12-31T23:59:59+08:00" is before 2000-01-01, the earliest time accepted']);
    expect(late![0]).toMatch(/^at \(时间\): ".*" is after .*, the latest time accepted \(the server's clock \+ 24 h\)$/);
    expect(typeList).toEqual(['type (环节): expected text, got a list']);
    expect(resolvedList).toEqual(['resolved (是否解决): expected a boolean, got a list']);
    expect(streetObject).toEqual(['street (所属街道): expected text, got object']);
    expect(idList).toEqual(['ticketId (工单编号): expected text, got a list']);
    expect(phoneList).toEqual(['callerPhone (来电号码): is not a phone number']);
    const online = await app.ingest('online', [{ date: '1999-12-31', itemCode: 'X', channel: ['pc'], count: '5' }], 'en');
    expect(online.rejected[0]!.errors).toEqual([
      'date (日期): "1999-12-31" is before 2000-01-01, the earliest time accepted',
      'channel (渠道): expected text, got a list',
    ]);
    await app.waitIdle(admin);
    await expectExact();
  });

  it('keeps distinct dimension values distinct in breakdowns and drill-downs (=, @, |, >, %, _)', async () => {
    const values = ['a=b', 'a@b', 'a|b', 'a_b', 'a>b', 'a%7Cb'];
    const records = values.flatMap((street, i) => [
      { ticketId: `D${i}`, type: 'received', at: '2025-04-03T09:00:00+08:00', street, category: 'c|d=e' },
      { ticketId: `E${i}`, type: 'received', at: '2025-04-03T10:00:00+08:00', street, category: 'c_d_e' },
    ]);
    expect((await app.ingest('hotline', records)).accepted).toBe(12);
    await app.waitIdle(admin);
    expect(await groups('from=2025-04-03&groupBy=street')).toEqual(Object.fromEntries(values.map((v) => [v, 2])));
    expect(await groups('from=2025-04-03&groupBy=category')).toEqual({ 'c|d=e': 6, c_d_e: 6 });
    expect(await groups(`from=2025-04-03&groupBy=street&where=${encodeURIComponent('category:c|d=e')}`)).toEqual(
      Object.fromEntries(values.map((v) => [v, 1])),
    );
    await expectExact();
  });

  it('a chunk the apply script cannot apply whole writes nothing, fails its batch visibly, and applies once repaired', async () => {
    // A month counter a step from the limit (an older version's figure, a hand edit): one more row would pass 2^63.
    const month = app.keys.monthBucket('online', '2025-05');
    await app.redis.hset(month, 'volume', '9223372036854775800');
    const before = await statsOf('online');
    const { batchId } = await app.ingest('online', [
      { date: '2025-05-06', itemCode: 'R1', channel: 'pc', count: 10 },
      { date: '2025-05-07', itemCode: 'R2', channel: 'pc', count: 20 },
    ]);
    // Wait until the batch is settled one way or the other: failed, or applied (idle).
    let status = { idle: false, feeds: { online: { failed: 0 } } };
    for (let i = 0; i < 400 && !status.idle && status.feeds.online.failed === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      status = (await (await app.get('/api/ingest/status', admin)).json()) as typeof status;
    }
    expect(status).toMatchObject({ idle: false, feeds: { online: { failed: 1 } } });
    const { items } = (await (await app.get('/api/console/failed-jobs', admin)).json()) as FailedJobsResponse;
    expect(items[0]).toMatchObject({ feed: 'online', jobId: batchId, records: 2, attemptsMade: 1 });
    expect(items[0]!.failedReason).toMatch(
      /^batch .*: REFUSED .*:m:2025-05 volume holds 9223372036854775800 and would change by 30, beyond 2\^53 - 1: nothing of this chunk was written$/,
    );
    // Nothing written: no ledger entity, no statistics beyond `received`, no other bucket.
    expect(await app.redis.keys(`${app.keys.ledger('online', '2025-05-')}*`)).toEqual([]);
    expect(await app.redis.exists(app.keys.dayBucket('online', '2025-05-06'), app.keys.dayDimBucket('online', '2025-05-06'))).toBe(0);
    expect(await app.redis.hgetall(month)).toEqual({ volume: '9223372036854775800' });
    const after = await statsOf('online');
    expect(after).toEqual({ ...before, received: before.received! + 2 });
    // The failed batch counts as still queued: the figures and counts reconcile except the bad counter.
    const report = await verify();
    expect(report.feeds.online!.differences).toEqual([{ day: '2025-05', field: 'volume', live: 9223372036854775800, recomputed: 0 }]);
    expect(report.feeds.online!.days.every((d) => d.balanced)).toBe(true);

    // Repaired (the counter put back to what the ledger says), the batch is retried and applied once.
    await app.redis.del(month);
    const retry = await fetch(`${app.baseUrl}/api/console/failed-jobs/online/${batchId}/retry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(retry.status).toBe(202);
    await app.waitIdle(admin);
    expect(await app.redis.hget(month, 'volume')).toBe('30');
    expect(await statsOf('online')).toEqual({ ...before, received: before.received! + 2, accepted: before.accepted! + 2 });
    await expectExact();
  });

  it('the apply script checks key types, counters and scores before its first write', async () => {
    const keys = redisKeys(uniquePrefix());
    const service = new ApplyService(testContext(app.redis, keys));
    const received = { id: 'T1', ticketId: 'T1', type: 'received', at: Date.parse('2025-06-01T09:00:00+08:00'), street: 's' };
    const signed = { id: 'T1s', ticketId: 'T1', type: 'signed', at: Date.parse('2025-06-01T09:05:00+08:00') };
    const everything = async () => (await app.redis.keys(`${keys.prefix}:*`)).sort();
    const batch = (records: object[]) =>
      service.applyBatch({ feed: 'hotline', batchId: `b${Math.random()}`, receivedAt: 0, records: records as { id: string }[] });
    // A breakdown hash that is a string, a counter that is not a whole number, a live set that is a hash:
    // each refused before anything is written, with what is wrong.
    const cases: [setUp: () => Promise<unknown>, reason: RegExp][] = [
      [
        () => app.redis.set(keys.dayDimBucket('hotline', '2025-06-01'), 'x'),
        /REFUSED key .*:dd:2025-06-01 is a string, not a hash: nothing of this chunk was written/,
      ],
      [
        () => app.redis.hset(keys.dayHourBucket('hotline', '2025-06-01'), 'received@09', '1.5'),
        /REFUSED .* received@09 holds 1\.5, to change by 1: not whole numbers/,
      ],
      [() => app.redis.hset(keys.liveSet('hotline', 'open'), 'x', '1'), /REFUSED key .*open is a hash, not a zset/],
    ];
    for (const [setUp, reason] of cases) {
      await setUp();
      const before = await everything();
      const error = await batch([received, signed]).catch((e: Error) => e);
      expect(error).toBeInstanceOf(UnrecoverableError);
      expect((error as Error).message).toMatch(reason);
      expect(await everything()).toEqual(before);
      await app.redis.del(...before);
    }
    expect((await batch([received, signed])).counts.new).toBe(2);
  });

  it('takes the window of record times from the configuration', async () => {
    const strict = await startTestApp({ INGEST_EARLIEST_DAY: '2025-01-01', INGEST_MAX_AHEAD_HOURS: '0' }, { worker: false });
    try {
      const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
      const response = await strict.ingest('hotline', [
        { ticketId: 'C1', type: 'received', at: '2024-12-31T23:59:59+08:00' },
        { ticketId: 'C2', type: 'received', at: '2025-01-01T00:00:00+08:00' },
        { ticketId: 'C3', type: 'received', at: inAnHour },
      ]);
      expect(response.accepted).toBe(1);
      expect(response.rejected).toEqual([
        // No Accept-Language: the reasons in Chinese, with their codes.
        {
          index: 0,
          errors: ['时间（at）：“2024-12-31T23:59:59+08:00”早于可接受的最早时间 2025-01-01'],
          reasons: [{ code: 'record.before_earliest', field: 'at' }],
        },
        {
          index: 2,
          errors: [expect.stringMatching(/晚于可接受的最晚时间 .*（服务器时间加 0 小时）$/)],
          reasons: [{ code: 'record.after_latest', field: 'at' }],
        },
      ]);
    } finally {
      await strict.close();
    }
  });
});
