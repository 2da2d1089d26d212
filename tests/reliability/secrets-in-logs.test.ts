import { Redis } from 'ioredis';
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { signIngest } from '../../server/http/ingest-auth.ts';
import { ADMIN_PASSWORD, INGEST_TOKEN, sleep, startPulseCluster } from '../../scripts/reliability/harness.ts';

const HMAC_SECRET = 'reliability-hmac-secret-0123456789';
const PHONE = '13987654321';

/**
 * A full run of a server and a worker process at LOG_LEVEL=debug — logins good and bad, ingest by token
 * and by signature, a wrong token, personal data, live sockets — then every line they logged and every
 * manager-reachable GET answer are searched for each secret and for the caller's number in clear.
 */
describe('no secret and no personal data in logs or answers', () => {
  it('logs none of the admin password, ingest token, HMAC secret, session token, PII key or a caller’s number', async () => {
    const cluster = await startPulseCluster({ servers: 1, workers: 1, env: { LOG_LEVEL: 'debug', INGEST_HMAC_SECRET: HMAC_SECRET } });
    const base = cluster.baseUrls[0]!;
    let piiKey: string;
    let session: string;
    const answers: string[] = [];
    try {
      await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: `${ADMIN_PASSWORD}-wrong` }),
      });
      session = await cluster.login();
      const record = { ticketId: 'PII-LOG-1', type: 'signed', at: '2022-06-01T09:00:00+08:00', callerPhone: PHONE, category: '城市管理' };
      const byToken = await fetch(`${base}/api/ingest/hotline`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
        body: JSON.stringify({ events: [record, { ...record, ticketId: 'PII-LOG-2', type: 'nonsense', callerPhone: PHONE }] }),
      });
      answers.push(await byToken.text());
      const raw = JSON.stringify({ events: [{ ...record, ticketId: 'PII-LOG-3' }] });
      const ts = Math.floor(Date.now() / 1000);
      const signed = await fetch(`${base}/api/ingest/hotline`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-pulse-timestamp': String(ts),
          'x-pulse-signature': signIngest(HMAC_SECRET, ts, raw),
        },
        body: raw,
      });
      expect(signed.status).toBe(202);
      await fetch(`${base}/api/ingest/hotline`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}x` },
        body: raw,
      });
      const good = io(`${base}/live`, { auth: { token: session }, transports: ['websocket'] });
      const bad = io(`${base}/live`, { auth: { token: `${session}x` }, transports: ['websocket'], reconnection: false });
      await Promise.all([
        new Promise((resolve) => good.once('snapshot', resolve)),
        new Promise((resolve) => bad.once('connect_error', resolve)),
      ]);
      good.emit('resync');
      await cluster.waitIdle(session, 30_000);
      for (const path of [
        '/api/kpis?from=2022-06-01&to=2022-06-30',
        '/api/kpis?from=2022-06-01&to=2022-06-30&groupBy=street',
        '/api/kpis/series?ids=hotline.signed&from=2022-06-01&to=2022-06-30&interval=day',
        '/api/ingest/status',
        '/api/feeds/health',
        '/api/admin/audit',
      ]) {
        const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${session}` } });
        answers.push(`${path} ${res.status} ${await res.text()}`);
      }
      good.disconnect();
      bad.disconnect();
      const redis = new Redis(cluster.env.REDIS_URL!);
      piiKey = (await redis.get('rel:secret:pii-key')) ?? '';
      redis.disconnect();
      await sleep(200);
    } finally {
      await cluster.stop();
    }
    const logs = [...cluster.servers, ...cluster.workers].map((p) => p.output()).join('\n');
    expect(logs.split('\n').length).toBeGreaterThan(5); // debug logging did run
    expect(piiKey.length).toBeGreaterThan(10);
    for (const [name, secret] of Object.entries({
      ADMIN_PASSWORD,
      INGEST_TOKEN,
      HMAC_SECRET,
      session,
      piiKey,
      phone: PHONE,
      'phone digits': PHONE.slice(3),
    })) {
      expect(logs.includes(secret), `${name} in the logs`).toBe(false);
      expect(
        answers.some((a) => a.includes(secret)),
        `${name} in an API answer`,
      ).toBe(false);
    }
  }, 120_000);
});
