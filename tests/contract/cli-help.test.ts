import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const scripts = (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;

/**
 * Every package.json script that runs one of Pulse's own TypeScript entry points (`node [flags] <file.ts>
 * [args]`, or `exec node …`): its Node flags, file and arguments as package.json says.
 */
const ENTRY_POINTS = Object.entries(scripts).flatMap(([name, command]) => {
  const words = command.split(/\s+/).filter((w, i) => !(i === 0 && w === 'exec'));
  const file = words.findIndex((w) => w.endsWith('.ts'));
  if (words[0] !== 'node' || file < 0) return [];
  const flags = words.slice(1, file);
  return [{ name, args: [...flags, ...words.slice(file)] }];
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // No REDIS_URL, no configuration: --help and a bad argument must be answered before anything starts.
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('every command line', () => {
  it('finds the entry points in package.json', () => {
    expect(ENTRY_POINTS.map((e) => e.name).sort()).toEqual(
      expect.arrayContaining(['bench', 'demo', 'dev', 'export', 'health:server', 'import', 'reliability', 'simulate', 'start', 'verify']),
    );
  });

  it.each(ENTRY_POINTS)('$name: --help prints the usage and exits 0', async ({ args }) => {
    const result = await run([...args, '--help']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^usage: /m);
    expect(result.code).toBe(0);
  });

  it.each(ENTRY_POINTS)('$name: an unknown option is one line on stderr pointing at --help, exit 2', async ({ args }) => {
    const result = await run([...args, '--no-such-option']);
    expect(result.stderr).toMatch(/^[^\n]*'--no-such-option'[^\n]*\(see [^\n]*--help\)\n$/);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
  });

  it.each([
    ['import', ['--feed'], /^npm run import: Option '--feed <value>' argument missing \(see npm run import -- --help\)\n$/],
    ['import', ['--feed', 'weather', 'a.csv'], /^npm run import: unknown feed 'weather': one of hotline, .*\n$/],
    ['import', ['--feed', 'hall', 'a.csv', '--column-map', '{nope'], /^npm run import: --column-map is not JSON: .*\n$/],
    ['export', ['--year', '22'], /^npm run export: `year` must be YYYY \(see npm run export -- --help\)\n$/],
    ['simulate', ['--scale', 'lots'], /^npm run simulate: --scale must be .*\(got 'lots'\) \(see npm run simulate -- --help\)\n$/],
    ['bench', ['nonsense'], /^npm run bench: unknown part\(s\) nonsense; parts are ingest, .*\n$/],
    ['reliability', ['--only', 'nonsense'], /^npm run reliability: no scenario nonsense; known: kill-worker, .*\n$/],
    ['health:server', ['extra'], /^node scripts\/healthcheck.ts: unexpected argument 'extra' .*\n$/],
  ] as const)('%s %j: one clear line, exit 2', async (name, extra, message) => {
    const entry = ENTRY_POINTS.find((e) => e.name === name)!;
    const result = await run([...entry.args, ...extra]);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
  });
});
