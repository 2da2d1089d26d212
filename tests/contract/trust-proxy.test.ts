import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestApp, type TestApp } from '../support/app.ts';

/** The TRUST_PROXY the compose file gives the servers when the deployer sets none (`${TRUST_PROXY:-…}`). */
function composeTrustProxy(): string {
  const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')) as {
    services: { server: { environment: Record<string, string> } };
  };
  return /^\$\{TRUST_PROXY:-(.+)\}$/.exec(compose.services.server.environment.TRUST_PROXY!)![1]!;
}

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Four failed logins, each forwarded by the proxy for another citizen's address; the statuses. */
async function failFromFourAddresses(a: TestApp): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 1; i <= 4; i++) {
    const res = await fetch(`${a.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.1.2.${i}` },
      body: JSON.stringify({ username: `user${i}`, password: 'wrong-password' }),
    });
    statuses.push(res.status);
  }
  return statuses;
}

describe('TRUST_PROXY', () => {
  it('counts login failures per forwarded client address behind a trusted proxy (default: loopback)', async () => {
    app = await startTestApp({ LOGIN_FAILURES_PER_IP: '3' }, { worker: false });
    expect(await failFromFourAddresses(app)).toEqual([401, 401, 401, 401]);
  });

  it('counts them all as the proxy’s own address when no proxy is trusted', async () => {
    app = await startTestApp({ LOGIN_FAILURES_PER_IP: '3', TRUST_PROXY: 'false' }, { worker: false });
    expect(await failFromFourAddresses(app)).toEqual([401, 401, 401, 429]);
  });

  it('with the compose file’s setting, a client other than its nginx (here: loopback) cannot pick its address', async () => {
    app = await startTestApp({ LOGIN_FAILURES_PER_IP: '3', TRUST_PROXY: composeTrustProxy() }, { worker: false });
    expect(await failFromFourAddresses(app)).toEqual([401, 401, 401, 429]);
  });
});
