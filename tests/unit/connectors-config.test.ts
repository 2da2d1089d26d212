import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/platform/config.ts';
import { connectorMeta, loadConnectorsFile, parseConnectors, type ConnectorConfig } from '../../core/connectors/config.ts';
import { connectorState } from '../../core/connectors/health.ts';
import { failingIntervalMs, normalIntervalMs } from '../../workers/connector-scheduler.ts';
import { cursorTimeMs, getPath, mapFields } from '../../core/connectors/source-records.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulse-connectors-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The example of the connectors file format, as an operator would write it. */
const EXAMPLE = {
  connectors: [
    {
      id: 'hotline-12345',
      kind: 'http',
      feed: 'hotline',
      url: 'https://12345.example.gov.cn/api/export/tickets',
      auth: { in: 'header', name: 'Authorization', prefix: 'Bearer ', value: 'env:HOTLINE_TOKEN' },
      query: { pageSize: '500' },
      cursor: { kind: 'page', param: 'pageToken' },
      paging: { itemsPath: 'data.list', nextPath: 'data.nextPageToken' },
      fieldMap: { 'gd.bh': 'ticketId', hj: 'type', clsj: 'at' },
      timeoutSeconds: 20,
      intervalSeconds: 60,
      expectedIntervalSeconds: 21_600,
    },
    {
      id: 'online-yiwang',
      kind: 'http',
      feed: 'online',
      url: 'https://zwfw.example.gov.cn/open/volumes',
      auth: { in: 'query', name: 'access_token', value: 'env:YIWANG_TOKEN' },
      cursor: { kind: 'since', param: 'updatedSince', field: 'updatedAt', initial: '2022-01-01T00:00:00+08:00' },
      paging: { itemsPath: 'rows' },
      fieldMap: { updatedAt: 'asOf' },
      intervalSeconds: 300,
    },
    {
      id: 'hall-drop',
      kind: 'folder',
      feed: 'hall',
      path: 'drop/hall',
      intervalSeconds: 30,
      stableForSeconds: 10,
      expectedIntervalSeconds: 86_400,
    },
  ],
};

describe('connectors file', () => {
  it('validates the example, fills defaults, resolves env: secrets and relative folders', () => {
    const env = { HOTLINE_TOKEN: 'h-secret', YIWANG_TOKEN: 'y-secret' };
    const [hotline, online, hall] = parseConnectors(EXAMPLE, { env, baseDir: '/etc/pulse' }) as [
      ConnectorConfig,
      ConnectorConfig,
      ConnectorConfig,
    ];
    expect(hotline).toMatchObject({
      kind: 'http',
      method: 'GET',
      auth: { in: 'header', value: 'h-secret', prefix: 'Bearer ' },
      failAfter: 3,
      retry: { attempts: 3, backoffSeconds: 5 },
      maxPagesPerRun: 100,
      expectedIntervalSeconds: 21_600,
    });
    expect(online).toMatchObject({
      auth: { in: 'query', value: 'y-secret' },
      timeoutSeconds: 30,
      expectedIntervalSeconds: 3_600,
      headers: {},
    });
    expect(hall).toMatchObject({ kind: 'folder', path: '/etc/pulse/drop/hall', stableForSeconds: 10 });
    // What the registry and the health API show carries no secret.
    expect(JSON.stringify(connectorMeta(hotline))).not.toContain('secret');
  });

  it('lists every bad entry at once, without echoing secrets', () => {
    let error: unknown;
    try {
      parseConnectors(
        {
          connectors: [
            { ...EXAMPLE.connectors[0], id: 'Hotline!', timeoutSeconds: -1 },
            { ...EXAMPLE.connectors[1], cursor: { kind: 'page', param: 'p' } },
            { ...EXAMPLE.connectors[2], feed: 'weather', stableFor: 3 },
            { ...EXAMPLE.connectors[2] },
            { id: 'x', kind: 'ftp' },
          ],
        },
        { env: { YIWANG_TOKEN: 'y-secret' } },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/connectors\[0\] "Hotline!" id: must be lower-case/);
    expect(problems).toMatch(/connectors\[0\] "Hotline!" timeoutSeconds: must be at least/);
    expect(problems).toMatch(/connectors\[0\] "Hotline!" auth\.value: environment variable HOTLINE_TOKEN is not set/);
    expect(problems).toMatch(/connectors\[1\] "online-yiwang" paging\.nextPath: is required with a page cursor/);
    expect(problems).toMatch(/connectors\[2\] "hall-drop" feed: must be one of hotline/);
    expect(problems).toMatch(/connectors\[2\] "hall-drop" \(entry\): Unrecognized key: "stableFor"/);
    expect(problems).toMatch(/connectors\[3\] "hall-drop" id: "hall-drop" is used by another connector/);
    expect(problems).toMatch(/connectors\[4\] "x" kind: kind must be "http" or "folder"/);
    expect(problems).not.toContain('y-secret');
  });

  it('reads CONNECTORS_FILE; no file at the default path means no connectors, a named missing file or bad JSON stops', () => {
    const file = join(dir, 'connectors.json');
    writeFileSync(file, `\uFEFF${JSON.stringify({ connectors: [EXAMPLE.connectors[2]] })}`);
    expect(loadConnectorsFile({ CONNECTORS_FILE: file })).toMatchObject([{ id: 'hall-drop', path: join(dir, 'drop/hall') }]);
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      rmSync(file);
      expect(loadConnectorsFile({})).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
    expect(() => loadConnectorsFile({ CONNECTORS_FILE: join(dir, 'nope.json') })).toThrow(/CONNECTORS_FILE cannot be read/);
    writeFileSync(file, '{ "connectors": [ }');
    expect(() => loadConnectorsFile({ CONNECTORS_FILE: file })).toThrow(/CONNECTORS_FILE is not valid JSON/);
    writeFileSync(file, '[]');
    expect(() => loadConnectorsFile({ CONNECTORS_FILE: file })).toThrow(/must be a JSON object \{ "connectors"/);
  });
});

describe('source records', () => {
  it('renames by dotted path, passes other fields with their own names, and leaves non-objects to the feed module', () => {
    const item = { gd: { bh: 'T1' }, hj: '签收', street: '朝阳街道', type: 'ignored' };
    expect(mapFields(item, { 'gd.bh': 'ticketId', hj: 'type' })).toEqual({ ticketId: 'T1', type: '签收', street: '朝阳街道' });
    expect(mapFields('nope', { a: 'b' })).toBe('nope');
    expect(getPath({ data: { list: [1, 2] } }, 'data.list')).toEqual([1, 2]);
    expect(getPath([1], '')).toEqual([1]);
    expect(getPath({ data: null }, 'data.list')).toBeUndefined();
  });

  it('reads cursor times from epoch milliseconds or ISO text (local time without an offset)', () => {
    expect(cursorTimeMs(1_650_000_000_000, 'Asia/Shanghai')).toBe(1_650_000_000_000);
    expect(cursorTimeMs('2022-04-01T08:00:00', 'Asia/Shanghai')).toBe(Date.parse('2022-04-01T00:00:00Z'));
    expect(cursorTimeMs('not a time', 'Asia/Shanghai')).toBeNull();
    expect(cursorTimeMs(undefined, 'Asia/Shanghai')).toBeNull();
  });
});

describe('schedule and state', () => {
  const [c] = parseConnectors({
    connectors: [{ ...EXAMPLE.connectors[2], intervalSeconds: 30, failAfter: 3, maxFailingIntervalSeconds: 600 }],
  });

  it('doubles the interval per failure from failAfter on, up to its cap', () => {
    expect(normalIntervalMs(c!)).toBe(30_000);
    expect([3, 4, 5, 6, 7, 20].map((n) => failingIntervalMs(c!, n))).toEqual([60_000, 120_000, 240_000, 480_000, 600_000, 600_000]);
  });

  it('is failing before silent before ok, silent counted from the last new record or the first start', () => {
    const meta = connectorMeta(c!); // expected every 86,400 s
    const now = Date.parse('2022-04-02T00:00:00Z');
    expect(connectorState(meta, { registeredAt: String(now - 1_000) }, now).state).toBe('ok');
    expect(connectorState(meta, { registeredAt: String(now - 90_000_000) }, now)).toEqual({ state: 'silent', silentForSeconds: 90_000 });
    expect(connectorState(meta, { registeredAt: String(now - 90_000_000), lastDataAt: String(now - 60_000) }, now).state).toBe('ok');
    expect(connectorState(meta, { state: 'failing', lastDataAt: String(now) }, now).state).toBe('failing');
  });
});
