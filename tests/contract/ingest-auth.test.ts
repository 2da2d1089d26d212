import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../shared/api-types.ts';
import { signIngest } from '../../server/http/ingest-auth.ts';
import { INGEST_TOKEN, startTestApp, type TestApp } from '../support/app.ts';

const OLD_SECRET = 'old-secret-0123456789';
const NEW_SECRET = 'new-secret-0123456789';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ INGEST_HMAC_SECRET: `${OLD_SECRET},${NEW_SECRET}` });
});
afterAll(() => app.close());

const body = (ticketId: string) => JSON.stringify({ events: [{ ticketId, type: 'signed', at: '2022-08-01T09:00:00+08:00' }] });

function postSigned(raw: string, secret: string, timestamp = Math.floor(Date.now() / 1000)) {
  return fetch(`${app.baseUrl}/api/ingest/hotline`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-pulse-timestamp': String(timestamp),
      'x-pulse-signature': signIngest(secret, timestamp, raw),
    },
    body: raw,
  });
}

describe('signed ingest (HMAC-SHA256 over timestamp and raw body)', () => {
  it('accepts a signature by any configured secret, so a secret can be rotated', async () => {
    expect((await postSigned(body('H1'), NEW_SECRET)).status).toBe(202);
    expect((await postSigned(body('H2'), OLD_SECRET)).status).toBe(202);
  });

  it('refuses a wrong secret, a changed body, a stale timestamp and a replay', async () => {
    expect((await postSigned(body('H3'), 'some-other-secret-0000')).status).toBe(401);

    const ts = Math.floor(Date.now() / 1000);
    const tampered = await fetch(`${app.baseUrl}/api/ingest/hotline`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-pulse-timestamp': String(ts),
        'x-pulse-signature': signIngest(NEW_SECRET, ts, body('H4')),
      },
      body: body('H4-changed'),
    });
    expect(tampered.status).toBe(401);

    const stale = await postSigned(body('H5'), NEW_SECRET, Math.floor(Date.now() / 1000) - 301);
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as ApiErrorBody).error).toMatchObject({
      reason: 'ingest.timestamp_skew',
      message: expect.stringMatching(/相差不超过 300 秒/),
    });

    const raw = body('H6');
    const now = Math.floor(Date.now() / 1000);
    expect((await postSigned(raw, NEW_SECRET, now)).status).toBe(202);
    const replay = await postSigned(raw, NEW_SECRET, now);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as ApiErrorBody).error).toMatchObject({
      reason: 'ingest.replay',
      message: expect.stringMatching(/重放/),
    });
  });
});

describe('request limits', () => {
  it('refuses more than 10,000 records and more than 10 MB with 413', async () => {
    const many = Array.from({ length: 10_001 }, (_, i) => ({ ticketId: `L${i}`, type: 'signed', at: '2022-08-01T09:00:00+08:00' }));
    const tooMany = await fetch(`${app.baseUrl}/api/ingest/hotline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
      body: JSON.stringify({ events: many }),
    });
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as ApiErrorBody).error).toMatchObject({
      reason: 'ingest.too_many_records',
      message: '每次请求至多 10000 条记录，本次 10001 条',
    });

    const huge = await fetch(`${app.baseUrl}/api/ingest/hotline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
      body: JSON.stringify({
        events: [{ ticketId: 'X', type: 'signed', at: '2022-08-01T09:00:00', category: 'x'.repeat(11 * 1024 * 1024) }],
      }),
    });
    expect(huge.status).toBe(413);
  });
});
