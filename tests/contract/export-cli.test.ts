import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpisResponse } from '../../shared/api-types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

/** `npm run export` against the same Redis as a running Pulse: the files, their figures, the audit entry. */

let app: TestApp;
let token: string;
let out: string;

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/export-cli.ts', ...args], {
      env: { ...process.env, REDIS_URL: app.config.REDIS_URL, REDIS_PREFIX: app.config.REDIS_PREFIX, LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  app = await startTestApp();
  token = await app.login();
  out = await mkdtemp(join(tmpdir(), 'pulse-export-cli-'));
  const at = (day: string, time: string) => `${day}T${time}:00+08:00`;
  await app.ingest('hotline', [
    { ticketId: 'GD-1', type: 'signed', at: at('2022-03-02', '09:00'), urgency: '普通', street: '文艺路街道' },
    { ticketId: 'GD-1', type: 'completed', at: at('2022-03-03', '09:00') },
    { ticketId: 'GD-2', type: 'signed', at: at('2022-07-02', '10:00'), urgency: '普通', street: '朝阳街道' },
  ]);
  await app.waitIdle(token);
});
afterAll(async () => {
  await app?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

describe('npm run export', () => {
  it('writes the year in the formats asked, with the KPI API’s figures, and audits it', async () => {
    const result = await runCli(['--year', '2022', '--format', 'md,json', '--out', out]);
    expect(result.stderr).not.toContain('failed');
    expect(result.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['政务服务效能数据_2022.json', '政务服务效能数据_2022.md']);
    const api = ((await (await app.get('/api/kpis?from=2022-01-01&to=2022-12-31', token)).json()) as KpisResponse).kpis;
    const json = JSON.parse(await readFile(join(out, '政务服务效能数据_2022.json'), 'utf8')) as { kpis: KpisResponse['kpis'] };
    expect(json.kpis['hotline.signed']).toEqual(api['hotline.signed']);
    expect(await readFile(join(out, '政务服务效能数据_2022.md'), 'utf8')).toContain('共签收“一呼即应”工单2条，办结1条');
    const audit = (await (await app.get('/api/admin/audit?limit=20', token)).json()) as {
      entries: { actor: string; action: string; target: string }[];
    };
    expect(audit.entries.find((e) => e.action === 'export')).toMatchObject({ target: '2022-01-01~2022-12-31' });
    expect(audit.entries.find((e) => e.action === 'export')!.actor).toMatch(/^cli:/);
  }, 120_000);

  it('refuses bad arguments in one line that points at --help', async () => {
    const result = await runCli(['--year', '22', '--format', 'pdf']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^npm run export: .*year.* \(see npm run export -- --help\)\n$/);
  }, 60_000);
});
