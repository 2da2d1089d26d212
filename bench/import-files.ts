/**
 * File imports to idle: a 1,000,000-row CSV (the hall's queue log, UTF-8 with BOM) and a 200,000-row
 * XLSX (一网通办 volume sheet), each uploaded to POST /api/imports of a server process with a worker
 * process beside it. Prints rows/s and the peak memory of each process; writes bench/RESULTS.md.
 */
import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { Redis } from 'ioredis';
import { freePort, startTestRedis } from '../tests/support/redis-server.ts';
import { startProcess, waitForHttp } from './processes.ts';
import { writeSection } from './results.ts';

const ADMIN_PASSWORD = 'bench-root-passphrase';
const lines: string[] = [];
const say = (line: string) => {
  console.log(line);
  lines.push(line);
};

async function peakRssMiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

async function writeHallCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('\uFEFF排队号,环节,时间,大厅,窗口,业务类型\r\n');
  const types = ['取号', '叫号', '办结'];
  for (let i = 0; i < rows; i++) {
    const visit = Math.floor(i / 3);
    const day = 1 + (Math.floor(visit / 1000) % 365);
    const date = new Date(Date.UTC(2022, 0, day));
    const hour = 9 + (visit % 8);
    const minute = (i % 3) * 15 + (visit % 10);
    const line = `Q${visit % 1000},${types[i % 3]},${date.getUTCFullYear()}/${date.getUTCMonth() + 1}/${date.getUTCDate()} ${hour}:${String(minute).padStart(2, '0')},区政务服务大厅,${(visit % 30) + 1}号窗口,不动产登记\r\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function writeOnlineXlsx(path: string, rows: number): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
  const sheet = book.addWorksheet('办件量');
  sheet.addRow(['日期', '事项编码', '事项名称', '部门', '渠道', '是否全程网办', '办件量']).commit();
  const channels = ['网上办', '掌上办', '窗口办', '自助办'];
  for (let i = 0; i < rows; i++) {
    const day = new Date(Date.UTC(2022, 0, 1 + (i % 365)));
    const item = Math.floor(i / 365) % 200;
    sheet
      .addRow([
        day,
        `ITEM-${item}-${Math.floor(i / 73_000)}`,
        `事项${item}`,
        '区市场监管局',
        channels[Math.floor(i / 73_000) % 4],
        i % 3 === 0 ? '是' : '否',
        (i % 17) + 1,
      ])
      .commit();
  }
  sheet.commit();
  await book.commit();
}

const dir = await mkdtemp(join(tmpdir(), 'pulse-bench-import-'));
const redis = await startTestRedis({ appendonly: true });
const port = await freePort();
const env = {
  REDIS_URL: redis.url,
  PORT: String(port),
  HOST: '127.0.0.1',
  ADMIN_PASSWORD,
  INGEST_TOKEN: 'bench-ingest-token-0123456789',
  INGEST_MAX_BACKLOG_JOBS: '100000',
};
const server = startProcess('server/main.ts', env);
const worker = startProcess('workers/main.ts', env);
const client = new Redis(redis.url);
const base = `http://127.0.0.1:${port}`;

try {
  await waitForHttp(`${base}/api/health`);
  const { token } = (await (
    await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    })
  ).json()) as { token: string };
  const files = [
    { feed: 'hall', rows: 1_000_000, path: join(dir, 'hall-queue-log.csv'), write: writeHallCsv },
    { feed: 'online', rows: 200_000, path: join(dir, 'online-volume.xlsx'), write: writeOnlineXlsx },
  ];
  for (const file of files) {
    await file.write(file.path, file.rows);
    const size = (await stat(file.path)).size;
    const form = new FormData();
    form.set('feed', file.feed);
    form.set('file', await openAsBlob(file.path), file.path.split('/').pop()!);
    const started = performance.now();
    const res = await fetch(`${base}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
    const { importId } = (await res.json()) as { importId: string };
    let result: { phase: string; rowsRead: number; rejectedRows: number; counts: Record<string, number>; error?: string };
    for (;;) {
      result = (await (
        await fetch(`${base}/api/imports/${importId}?limit=1`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as typeof result;
      if (result.phase === 'done' || result.phase === 'failed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - started) / 1000;
    if (result.phase !== 'done') throw new Error(`import failed: ${result.error}`);
    say(
      `${file.path.split('/').pop()} (${file.rows} rows, ${(size / 2 ** 20).toFixed(0)} MB) imported to idle in ${seconds.toFixed(1)} s → ${Math.round(file.rows / seconds)} rows/s; ` +
        `accepted ${result.counts.accepted}, rejected rows ${result.rejectedRows}`,
    );
  }
  const info = await client.info('memory');
  const redisPeak = Math.round(Number(/used_memory_peak:(\d+)/.exec(info)?.[1] ?? 0) / 2 ** 20);
  say(
    `peak memory: server ${await peakRssMiB(server.child.pid!)} MiB RSS, worker ${await peakRssMiB(worker.child.pid!)} MiB RSS, Redis used_memory_peak ${redisPeak} MiB`,
  );
  writeSection('import-files', lines.map((l) => `- ${l}`).join('\n'));
} finally {
  client.disconnect();
  await worker.stop();
  await server.stop();
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
}
