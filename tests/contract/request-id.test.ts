import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_TOKEN, testConfig } from '../support/app.ts';
import { startServer, type RunningServer } from '../../server/server-process.ts';
import { startWorker, type RunningWorker } from '../../workers/worker-process.ts';

/** Every JSON line the in-process server and worker log. */
const lines: Record<string, unknown>[] = [];
const log = pino(
  { level: 'info', name: 'test' },
  { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
);

let server: RunningServer;
let worker: RunningWorker;
let baseUrl: string;

beforeAll(async () => {
  const config = testConfig({ LOG_LEVEL: 'info' });
  worker = startWorker(config, config.REDIS_URL!, log);
  server = await startServer(config, config.REDIS_URL!, log);
  baseUrl = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await worker?.close();
  await server?.close();
});

/** Waits until a logged line matches (the worker logs after the 202), at most 10 s. */
async function lineWith(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  for (let i = 0; i < 400; i++) {
    const found = lines.find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no such log line among ${lines.length}:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
}

async function ingest(ticketId: string, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${baseUrl}/api/ingest/hotline`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}`, ...headers },
    body: JSON.stringify({ events: [{ ticketId, type: 'signed', at: '2022-06-01T09:00:00+08:00' }] }),
  });
  expect(res.status).toBe(202);
  return res;
}

describe('request ids', () => {
  it('keeps a sane X-Request-Id, answers it, and logs it on the access line and on the worker’s lines for that batch', async () => {
    const res = await ingest('RID-1', { 'x-request-id': 'sender-42.batch:7' });
    expect(res.headers.get('x-request-id')).toBe('sender-42.batch:7');
    const { batchId } = (await res.json()) as { batchId: string };
    const access = await lineWith((l) => l.msg === 'request' && l.reqId === 'sender-42.batch:7');
    expect(access).toMatchObject({ method: 'POST', route: '/api/ingest/:feed', path: '/api/ingest/hotline', status: 202 });
    const applied = await lineWith((l) => l.msg === 'batch applied' && l.batchId === batchId);
    expect(applied).toMatchObject({ reqId: 'sender-42.batch:7', feed: 'hotline', new: 1 });
  });

  it('generates an id when there is none, or the one given is not sane, and the worker’s line carries it', async () => {
    for (const headers of [{}, { 'x-request-id': 'two words' }, { 'x-request-id': 'x'.repeat(129) }] as Record<string, string>[]) {
      const res = await ingest(`RID-${lines.length}`, headers);
      const id = res.headers.get('x-request-id')!;
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const { batchId } = (await res.json()) as { batchId: string };
      expect(await lineWith((l) => l.msg === 'request' && l.reqId === id)).toMatchObject({ status: 202 });
      expect(await lineWith((l) => l.msg === 'batch applied' && l.batchId === batchId)).toMatchObject({ reqId: id });
    }
  });

  it('logs every answered request, refused ones too, without the query string', async () => {
    const res = await fetch(`${baseUrl}/api/kpis?from=2022-01-01&secret=typed-by-a-user`);
    expect(res.status).toBe(401);
    const id = res.headers.get('x-request-id')!;
    const access = await lineWith((l) => l.msg === 'request' && l.reqId === id);
    expect(access).toMatchObject({ method: 'GET', route: '/api/kpis', path: '/api/kpis', status: 401 });
    expect(JSON.stringify(access)).not.toContain('typed-by-a-user');
  });
});
