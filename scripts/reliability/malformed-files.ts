/**
 * Scenario 4 — bad input through POST /api/imports on a server process: one CSV with `bad` bad rows
 * (impossible dates, a missing queue number, an unknown step, a step written in GBK inside a UTF-8
 * file) among `good` good ones; optionally a file of about 50 MB; an XLSX zip bomb; an empty file; a
 * header-only file. Good rows are kept, every bad row is reported by its row number, the server's
 * peak memory is measured, and the process is alive and answering at the end.
 *
 *   node scripts/reliability/malformed-files.ts [--visits 30000] [--big-mb 50]
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import iconv from 'iconv-lite';
import { runVerify } from './checks.ts';
import { sleep, startPulseCluster } from './harness.ts';
import { runAsScript, timed, type ScenarioReport } from './report.ts';
import { shuffle } from './senders.ts';
import { zip } from '../../tests/support/zip.ts';

const HEADER = '排队号,环节,时间,大厅,业务类型\n';
const STEPS = ['取号', '叫号', '办结'] as const;

/** Three good rows (取号, 叫号, 办结) for visit `i`: 1,000 visits a day from 2022-01-01. */
function goodRows(i: number): string[] {
  const day = new Date(Date.UTC(2022, 0, 1 + Math.floor(i / 1000))).toISOString().slice(0, 10);
  const minute = 9 * 60 + (i % 1000) * 0.4;
  return STEPS.map((step, k) => {
    const m = Math.floor(minute) + k * 5;
    return `A${i % 1000},${step},${day} ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')},区政务服务大厅,不动产登记`;
  });
}

/** Bad row `j`, one of four kinds; the GBK one is bytes, not text. */
function badRow(j: number): Buffer {
  const kinds = [
    `B${j},取号,2022-02-30 09:00,区政务服务大厅,社保\n`, // no 30 February
    `,取号,2022-03-01 09:00,区政务服务大厅,社保\n`, // no queue number
    `B${j},传送,2022-03-01 09:00,区政务服务大厅,社保\n`, // no such step
  ];
  if (j % 4 < 3) return Buffer.from(kinds[j % 4]!);
  return Buffer.concat([Buffer.from(`B${j},`), iconv.encode('取号', 'gbk'), Buffer.from(',2022-03-01 09:00,区政务服务大厅,社保\n')]);
}

interface ImportResult {
  phase: string;
  error?: string;
  recordsQueued: number;
  rejectedRows: number;
  counts: { accepted: number; duplicate: number };
}

export function runMalformedFiles(options: { visits: number; bad: number; bigMb: number }): Promise<ScenarioReport> {
  return timed(
    'malformed-files',
    { 'good rows': options.visits * 3, 'bad rows': options.bad, 'large file (MB)': options.bigMb },
    async (report) => {
      // Built first: deflating 300 MB takes seconds, long enough for the server to drop the idle
      // keep-alive connection fetch is about to reuse (a write EPIPE).
      const bomb = zip([
        { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
        { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
        { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(300 * 2 ** 20) },
      ]);
      const cluster = await startPulseCluster({ servers: 1, workers: 1 });
      const base = cluster.baseUrls[0]!;
      const serverPid = cluster.servers[0]!.pid;
      try {
        const token = await cluster.login();
        const upload = async (name: string, body: Buffer): Promise<{ status: number; result?: ImportResult & { importId: string } }> => {
          const form = new FormData();
          form.set('feed', 'hall');
          form.set('file', new Blob([new Uint8Array(body)]), name);
          const res = await fetch(`${base}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
          if (res.status !== 202) return { status: res.status };
          const { importId } = (await res.json()) as { importId: string };
          for (let i = 0; i < 6_000; i++) {
            const result = (await (
              await fetch(`${base}/api/imports/${importId}`, { headers: { authorization: `Bearer ${token}` } })
            ).json()) as ImportResult;
            if (result.phase === 'done' || result.phase === 'failed') return { status: 202, result: { ...result, importId } };
            await sleep(100);
          }
          throw new Error(`import ${name} did not finish`);
        };

        // One file: good and bad rows shuffled together; row numbers as Excel shows them (header = 1).
        const lines: Buffer[] = [];
        for (let i = 0; i < options.visits; i++) for (const row of goodRows(i)) lines.push(Buffer.from(`${row}\n`));
        for (let j = 0; j < options.bad; j++) lines.push(badRow(j));
        const order = shuffle(
          lines.map((_, k) => k),
          4,
        );
        const badRowNumbers = new Set(order.flatMap((k, position) => (k >= options.visits * 3 ? [position + 2] : [])));
        const mixed = await upload('mixed.csv', Buffer.concat([Buffer.from(HEADER), ...order.map((k) => lines[k]!)]));
        const r = mixed.result!;
        const reported = new Set<number>();
        for (let offset = 0; offset < r.rejectedRows; offset += 1000) {
          const page = (await (
            await fetch(`${base}/api/imports/${r.importId}?offset=${offset}&limit=1000`, { headers: { authorization: `Bearer ${token}` } })
          ).json()) as { rejected: { row: number }[] };
          for (const { row } of page.rejected) reported.add(row);
        }
        const missed = [...badRowNumbers].filter((n) => !reported.has(n));
        const wrong = [...reported].filter((n) => !badRowNumbers.has(n));
        if (r.phase !== 'done') report.problems.push(`mixed file: ${r.phase} ${r.error ?? ''}`);
        if (r.counts.accepted !== options.visits * 3)
          report.problems.push(`mixed file: accepted ${r.counts.accepted} of ${options.visits * 3} good rows`);
        if (missed.length > 0 || wrong.length > 0)
          report.problems.push(
            `bad rows not reported: ${missed.slice(0, 5).join(', ')} (${missed.length}); good rows reported bad: ${wrong.slice(0, 5).join(', ')} (${wrong.length})`,
          );
        report.measured['mixed file: good rows kept'] = `${r.counts.accepted} of ${options.visits * 3}`;
        report.measured['mixed file: bad rows reported by row number'] = `${reported.size - wrong.length} of ${options.bad}`;

        // The other bad files: each answered clearly, none takes the process down.
        for (const [name, body] of [
          ['bomb.xlsx', bomb],
          ['empty.csv', Buffer.alloc(0)],
          ['header-only.csv', Buffer.from(HEADER)],
        ] as const) {
          const { status, result } = await upload(name, body);
          const answer = result ? `${result.phase}: ${result.error ?? ''}` : `HTTP ${status}`;
          report.measured[`${name} (${Math.round(body.length / 1024)} KB)`] = answer.slice(0, 120);
          if (result?.phase !== 'failed' && status < 400) report.problems.push(`${name} was not refused: ${answer}`);
        }

        if (options.bigMb > 0) {
          const rows: string[] = [];
          let bytes = HEADER.length;
          for (let i = 0; bytes < options.bigMb * 2 ** 20; i++) {
            for (const row of goodRows(options.visits + i)) {
              rows.push(row);
              bytes += Buffer.byteLength(row) + 1;
            }
          }
          const big = Buffer.from(HEADER + rows.join('\n') + '\n');
          const { result } = await upload('big.csv', big);
          report.measured[`${Math.round(big.length / 2 ** 20)} MB file (${rows.length} rows)`] =
            `${result?.phase}: ${result?.counts.accepted} accepted`;
          if (result?.phase !== 'done' || result.counts.accepted !== rows.length)
            report.problems.push(`big file: ${JSON.stringify(result)}`);
        }
        const status = await readFile(`/proc/${serverPid}/status`, 'utf8');
        report.measured['server peak memory (VmHWM)'] = `${Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024)} MiB`;
        const alive = (await fetch(`${base}/api/health`)).status === 200;
        report.measured['server alive and answering at the end'] = alive ? 'yes' : 'NO';
        if (!alive) report.problems.push('the server stopped answering');
        await cluster.waitIdle(token, 120_000);
        const verify = await runVerify(cluster.env);
        report.measured['npm run verify'] = verify.zeroDifference ? 'zero difference' : 'DIFFERENCES';
        if (!verify.zeroDifference) report.problems.push(verify.output);
      } finally {
        await cluster.stop();
      }
    },
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      visits: { type: 'string', default: '30000' },
      bad: { type: 'string', default: '10000' },
      'big-mb': { type: 'string', default: '50' },
    },
  });
  await runAsScript(() => runMalformedFiles({ visits: Number(values.visits), bad: Number(values.bad), bigMb: Number(values['big-mb']) }));
}
