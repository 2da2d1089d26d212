/**
 * The evidence pack (佐证材料, core/export/evidence-pack.ts) of a year of the 2022 report's magnitude
 * (BENCH_SCALE, default 1): the year is loaded the way the ingest bench loads it (bench/year-batches.ts
 * over HTTP into one server and one worker process, bench/ingest-run.ts), then `GET /api/export/evidence`
 * is downloaded EVIDENCE_RUNS times (default 2): seconds to the last byte, the ZIP's size, and the server
 * process's resident memory sampled every 100 ms during the download (its peak) against before it.
 * Target: under a minute, with memory bounded. Figures go to bench/RESULTS.md, section "Evidence pack".
 */
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { deploy, ingestToIdle } from './ingest-run.ts';
import { fmt, writeSection } from './results.ts';
import { BENCH_YEAR, benchYear } from './year-batches.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Math.max(1, Number(process.env.EVIDENCE_RUNS ?? 2));
const lines: string[] = [];
const say = (line: string) => {
  console.log(`  [evidence] ${line}`);
  lines.push(line);
};

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

const year = benchYear(SCALE);
say(`year ${BENCH_YEAR} at scale ${SCALE}: ${fmt(year.total)} records (${year.mix})`);
const d = await deploy(1);
try {
  const timing = await ingestToIdle(d, year.batches);
  say(`loaded over HTTP, one worker, in ${fmt(timing.idleSeconds, 1)} s (setup, not timed below)`);
  const pid = d.server.child.pid!;
  for (let run = 1; run <= RUNS; run++) {
    say(`run ${run}: load average before ${load()} (1 / 5 / 15 min; the machine is shared with other work)`);
    const before = await rssMiB(pid);
    let peak = before;
    const sampler = setInterval(() => {
      void rssMiB(pid).then((mib) => (peak = Math.max(peak, mib)));
    }, 100);
    const started = performance.now();
    const res = await fetch(`${d.base}/api/export/evidence?year=${BENCH_YEAR}`, { headers: { authorization: `Bearer ${d.token}` } });
    if (res.status !== 200 || !res.body) throw new Error(`evidence pack: ${res.status} ${await res.text()}`);
    let bytes = 0;
    let firstByte = 0;
    for await (const chunk of res.body) {
      if (bytes === 0) firstByte = performance.now() - started;
      bytes += (chunk as Uint8Array).length;
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, await rssMiB(pid));
    say(
      `run ${run}: last byte after ${fmt(seconds, 1)} s (first byte after ${fmt(firstByte / 1000, 1)} s: the ledger is read and the CSVs ` +
        `hashed before the ZIP starts); ZIP ${fmt(bytes / 2 ** 20, 1)} MiB; server RSS ${fmt(before)} MiB before, peak ${fmt(peak)} MiB ` +
        `during (+${fmt(peak - before)} MiB) — target < 60 s`,
    );
  }
} finally {
  await d.stop();
}
writeSection(SCALE === 1 ? 'Evidence pack' : `Evidence pack (scale ${SCALE})`, lines.map((l) => `- ${l}`).join('\n'));
