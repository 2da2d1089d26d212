/**
 * `npm run reliability` — every scenario of docs/RELIABILITY.md at full size, one after another, then
 * the security tests and `npm audit`; the measured results replace the section between the
 * `reliability:results` markers of docs/RELIABILITY.md (never written by hand). Exit 1 if any failed.
 *
 *   npm run reliability [-- --only kill-worker,redis-restart]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { runFuzzScenario } from './fuzz/index.ts';
import { cliUsageError, parseCli } from '../../core/platform/cli.ts';
import { ROOT } from './harness.ts';
import { runKillWorker } from './kill-worker.ts';
import { runMalformedFiles } from './malformed-files.ts';
import { runRedisRestart } from './redis-restart.ts';
import type { ScenarioReport } from './report.ts';
import { runTripleSend } from './triple-send.ts';

const SCENARIOS: Record<string, () => Promise<ScenarioReport>> = {
  'kill-worker': () => runKillWorker({ kills: 20, scale: 0.1 }),
  'redis-restart': () => runRedisRestart({ restarts: 3, scale: 0.1, downMs: 3_000 }),
  'redis-crash': () => runRedisRestart({ restarts: 2, scale: 0.05, downMs: 2_000, signal: 'SIGKILL' }),
  'triple-send': () => runTripleSend({ scale: 0.1 }),
  'malformed-files': () => runMalformedFiles({ visits: 30_000, bad: 10_000, bigMb: 50 }),
  // A new seed each run (written into the table, so a failure reproduces).
  fuzz: () => runFuzzScenario({ cases: 150, seed: Date.now() % 2 ** 31, maxRecords: 40, timeLimitMs: 1_200_000 }),
};

const COMMAND = 'npm run reliability';
const { values } = parseCli({
  command: COMMAND,
  usage: `usage: npm run reliability [-- --only <scenario,…>]

Every scenario of docs/RELIABILITY.md at full size, then the security tests and npm audit; the results
replace the measured section of docs/RELIABILITY.md. Exit code 1 if any failed.

  --only LIST   comma-separated scenarios: ${Object.keys(SCENARIOS).join(', ')}`,
  options: { only: { type: 'string' } },
});
const chosen = values.only ? values.only.split(',') : Object.keys(SCENARIOS);
const unknownScenarios = chosen.filter((id) => !(id in SCENARIOS));
if (unknownScenarios.length > 0) {
  cliUsageError(COMMAND, `no scenario ${unknownScenarios.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
}
const reports: ScenarioReport[] = [];
for (const id of chosen) {
  const run = SCENARIOS[id];
  if (!run) throw new Error(`no scenario ${id}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  console.log(`— ${id} …`);
  const report = await run();
  console.log(JSON.stringify(report, null, 2));
  reports.push(report);
}

/** The security suite's vitest result, as a line for the table. */
function securityTests(): { ok: boolean; line: string } {
  const res = spawnSync(
    'npx',
    [
      'vitest',
      'run',
      'tests/reliability/security.test.ts',
      'tests/reliability/secrets-in-logs.test.ts',
      'tests/contract/ingest-auth.test.ts',
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  const text = `${res.stdout}${res.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
  const tests = /Tests\s+(.+?)\s*\(/.exec(text)?.[1] ?? 'no result';
  return { ok: res.status === 0, line: tests };
}

/** `npm audit` as run here: its summary, or exactly why it could not run. */
function audit(omitDev: boolean): string {
  const res = spawnSync('npm', ['audit', ...(omitDev ? ['--omit=dev'] : [])], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  const text = `${res.stdout}${res.stderr}`;
  const summary = /found \d+ vulnerabilit[^\n]*|\d+ (?:low|moderate|high|critical)[^\n]*/.exec(text)?.[0];
  const error = /npm (?:warn|error) audit[^\n]*/.exec(text)?.[0];
  // The registry's address is no result: keep what it answered.
  return `exit ${res.status}: ${summary ?? error ?? text.trim().split('\n').at(-1)}`.replace(/\s*-?\s*https?:\/\/\S+/g, '');
}

const security = chosen.length === Object.keys(SCENARIOS).length ? securityTests() : null;
const cell = (v: unknown) => String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const lines = [
  `Measured by \`npm run reliability\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${(await import('node:os')).cpus().length} cores).`,
  '',
  '| scenario | parameters | result | measured | seconds |',
  '|---|---|---|---|---|',
  ...reports.map(
    (r) =>
      `| ${r.id} | ${cell(
        Object.entries(r.parameters)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      )} | ${r.problems.length === 0 ? 'pass' : `**FAIL**: ${cell(r.problems.join('; ').slice(0, 400))}`} | ${cell(
        Object.entries(r.measured)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; '),
      )} | ${r.seconds} |`,
  ),
  ...(security
    ? [`| security tests | security, secrets-in-logs, ingest-auth | ${security.ok ? 'pass' : '**FAIL**'} | ${cell(security.line)} | |`]
    : []),
  ...(security ? [`| npm audit --omit=dev | | | ${cell(audit(true))} | |`, `| npm audit | | | ${cell(audit(false))} | |`] : []),
];
const doc = `${ROOT}docs/RELIABILITY.md`;
const text = readFileSync(doc, 'utf8');
const start = '<!-- reliability:results:start -->';
const end = '<!-- reliability:results:end -->';
const section = text.slice(text.indexOf(start) + start.length, text.indexOf(end));
let table: string[];
if (chosen.length === Object.keys(SCENARIOS).length || !section.includes('| scenario |')) table = lines;
else {
  // --only: the chosen scenarios' rows are replaced in the table of the last full run, the others kept.
  const fresh = new Map(lines.filter((l) => l.startsWith('| ')).map((l) => [l.split('|')[1]!.trim(), l]));
  const rerun = (id: string) => `${fresh.get(id)!.replace(/ \|$/, '')} (re-run ${new Date().toISOString().slice(0, 10)}) |`;
  const old = section.trim().split('\n');
  table = old.map((l) => (l.startsWith('| ') && fresh.has(l.split('|')[1]!.trim()) ? rerun(l.split('|')[1]!.trim()) : l));
  // A scenario the last full run did not have yet: its row goes after the other scenarios' rows.
  const known = new Set(old.filter((l) => l.startsWith('| ')).map((l) => l.split('|')[1]!.trim()));
  const added = chosen.filter((id) => !known.has(id)).map(rerun);
  const at = table.findIndex((l) => l.startsWith('| security tests'));
  table.splice(at < 0 ? table.length : at, 0, ...added);
}
writeFileSync(doc, `${text.slice(0, text.indexOf(start) + start.length)}\n${table.join('\n')}\n${text.slice(text.indexOf(end))}`);
console.log('results written to docs/RELIABILITY.md');
process.exit(reports.every((r) => r.problems.length === 0) && (security?.ok ?? true) ? 0 : 1);
