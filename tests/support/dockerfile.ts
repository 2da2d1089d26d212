import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';

/**
 * A Dockerfile read and its stages' COPY/RUN steps replayed in folders, for a build machine with no
 * Docker engine (tests/contract/dockerfile.test.ts). Each stage gets a folder standing for its root
 * file system; the base image's own files are not there (Node and npm come from this machine's PATH).
 */
export interface Instruction {
  op: string;
  args: string;
  /** The JSON (exec) form's parts, when the arguments are a JSON array. */
  exec?: string[];
}

export interface Stage {
  from: string;
  name: string;
  steps: Instruction[];
}

/** Stages of a Dockerfile: comments dropped, `\` continuations joined. */
export function parseDockerfile(text: string): Stage[] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(line)!;
    const upper = op!.toUpperCase();
    if (upper === 'FROM') {
      const [image, as, name] = args!.split(/\s+/);
      stages.push({ from: image!, name: as?.toUpperCase() === 'AS' ? name! : String(stages.length), steps: [] });
      continue;
    }
    let exec: string[] | undefined;
    const json = /(\[.*\])\s*$/.exec(args!)?.[1];
    if (json && (upper === 'CMD' || upper === 'HEALTHCHECK' || upper === 'ENTRYPOINT')) exec = JSON.parse(json) as string[];
    stages.at(-1)!.steps.push({ op: upper, args: args!, exec });
  }
  return stages;
}

/** .dockerignore patterns as a test of a context-relative path (`*` within a name, `**` across folders). */
export function dockerignore(text: string): (path: string) => boolean {
  const patterns = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .map((p) => {
      const body = p
        .split('/')
        .map((part) =>
          part === '**'
            ? '.*'
            : part
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/');
      // Docker matches a pattern without a slash at the top of the context only; `*.log` is the exception
      // people expect, so a bare `*.x` is matched at any depth, as most .dockerignore files assume.
      const anyDepth = p.startsWith('*.') ? '(.*/)?' : '';
      return new RegExp(`^${anyDepth}${body}(/.*)?$`);
    });
  return (path) => patterns.some((re) => re.test(path));
}

/** The build context: the files git knows (tracked, and new ones not ignored), less .dockerignore's. */
export function buildContext(root: string, into: string): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  const ignored = dockerignore(existsSync(join(root, '.dockerignore')) ? readFileSync(join(root, '.dockerignore'), 'utf8') : '');
  for (const path of listed.stdout.split('\0')) {
    if (path === '' || ignored(path) || !existsSync(join(root, path))) continue;
    mkdirSync(dirname(join(into, path)), { recursive: true });
    cpSync(join(root, path), join(into, path));
  }
}

export interface Replayed {
  /** Folder standing for each stage's root file system, by stage name. */
  roots: Map<string, string>;
  /** Each stage's WORKDIR and ENV at its end. */
  workdir: Map<string, string>;
  env: Map<string, Record<string, string>>;
  /** Everything the RUN steps printed. */
  output: string;
}

/**
 * Replays every stage's WORKDIR, ENV, COPY (from the context or `--from` a stage) and RUN (in `sh -c`,
 * in the stage's WORKDIR, with its ENV and `extraEnv`). A RUN that fails throws with its output.
 */
export function replayStages(stages: Stage[], context: string, under: string, extraEnv: Record<string, string>): Replayed {
  const roots = new Map<string, string>();
  const workdirs = new Map<string, string>();
  const envs = new Map<string, Record<string, string>>();
  let output = '';
  for (const stage of stages) {
    const root = join(under, stage.name);
    mkdirSync(root, { recursive: true });
    roots.set(stage.name, root);
    let workdir = '/';
    const env: Record<string, string> = {};
    const inRoot = (path: string) => join(root, posix.resolve(workdir, path));
    for (const step of stage.steps) {
      if (step.op === 'WORKDIR') {
        workdir = posix.resolve(workdir, step.args);
        mkdirSync(inRoot('.'), { recursive: true });
      } else if (step.op === 'ENV') {
        const [, key, value] = /^(\S+?)[=\s]\s*(.*)$/.exec(step.args)!;
        env[key!] = value!;
      } else if (step.op === 'COPY') {
        const parts = step.args.split(/\s+/);
        const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length);
        const paths = parts.filter((p) => !p.startsWith('--'));
        const dest = paths.pop()!;
        for (const src of paths) {
          const source = from ? join(roots.get(from)!, posix.resolve(workdirs.get(from) ?? '/', src)) : join(context, src);
          if (!existsSync(source)) throw new Error(`COPY ${src}: not in ${from ? `stage ${from}` : 'the build context'}`);
          const isDir = statSync(source).isDirectory();
          const target = !isDir && (dest.endsWith('/') || paths.length > 1) ? join(inRoot(dest), basename(src)) : inRoot(dest);
          mkdirSync(isDir ? target : dirname(target), { recursive: true });
          // From another stage, hard links: the same files as a copy, without writing node_modules twice.
          if (from && isDir) spawnSync('cp', ['-al', `${source}/.`, `${target}/`]);
          else cpSync(source, target, { recursive: true });
        }
      } else if (step.op === 'RUN') {
        // An absolute path in the command means the stage's file system (mkdir -p /app/data …).
        const command = step.args.replace(/(^|\s)\/(?=[a-z])/g, `$1${root}/`);
        const run = spawnSync('sh', ['-c', command], { cwd: inRoot('.'), env: { ...extraEnv, ...env }, encoding: 'utf8' });
        output += `$ ${step.args}\n${run.stdout}${run.stderr}`;
        if (run.status !== 0) throw new Error(`RUN ${step.args} failed (${run.status}):\n${run.stdout}${run.stderr}`);
      }
    }
    workdirs.set(stage.name, workdir);
    envs.set(stage.name, env);
  }
  return { roots, workdir: workdirs, env: envs, output };
}

/** Removes `dir` in a process of its own, not waited for: deleting a few hundred MB of node_modules is slow on some disks. */
export function removeLater(dir: string): void {
  spawn('rm', ['-rf', dir], { detached: true, stdio: 'ignore' }).unref();
}
