/**
 * Sums a Chromium trace (CDP Tracing events) of one page: per event name on the renderer's main thread, its
 * compositor thread and its raster workers, as events/s and ms/s over the trace's span; the main thread's busy
 * time (its top-level slices merged); the area Paint events cover per second, by size; and the largest
 * FunctionCall sources. Durations are inclusive (a Layout inside a FunctionCall counts in both).
 */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  cat?: string;
  args?: { name?: string; data?: Record<string, unknown> };
}

interface Sum {
  count: number;
  us: number;
}

const THREADS = ['CrRendererMain', 'Compositor', 'CompositorTileWorker'] as const;

function threadGroup(name: string): (typeof THREADS)[number] | null {
  if (name.startsWith('CompositorTileWorker')) return 'CompositorTileWorker';
  return (THREADS as readonly string[]).includes(name) ? (name as (typeof THREADS)[number]) : null;
}

/** Area of a Paint clip quad [x1, y1, …, x4, y4] (shoelace). */
function quadArea(q: unknown): number {
  if (!Array.isArray(q) || q.length < 8) return 0;
  let a = 0;
  for (let i = 0; i < 4; i++) {
    const j = (i + 1) % 4;
    a += (q[2 * i] as number) * (q[2 * j + 1] as number) - (q[2 * j] as number) * (q[2 * i + 1] as number);
  }
  return Math.abs(a) / 2;
}

const add = (map: Map<string, Sum>, key: string, us: number) => {
  const s = map.get(key) ?? { count: 0, us: 0 };
  s.count += 1;
  s.us += us;
  map.set(key, s);
};

export function summariseTrace(events: TraceEvent[], top = 25): string {
  const threadNames = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, String(e.args?.name));
  // The renderer: the process whose main thread has the most events.
  const perPid = new Map<number, number>();
  for (const e of events) if (threadNames.get(`${e.pid}:${e.tid}`) === 'CrRendererMain') perPid.set(e.pid, (perPid.get(e.pid) ?? 0) + 1);
  const pid = [...perPid].sort((a, b) => b[1] - a[1])[0]?.[0];
  const timed = events.filter((e) => e.ph !== 'M' && e.ts > 0);
  const span = (timed.reduce((m, e) => Math.max(m, e.ts), -Infinity) - timed.reduce((m, e) => Math.min(m, e.ts), Infinity)) / 1e6;

  const sums = new Map<string, Map<string, Sum>>(THREADS.map((t) => [t, new Map()]));
  const slices = new Map<string, [number, number][]>();
  const open = new Map<string, TraceEvent[]>();
  const paintBySize = new Map<string, Sum>();
  const calls = new Map<string, Sum>();
  const invalidations = new Map<string, Sum>();
  let paintArea = 0;
  for (const e of events) {
    if (e.pid !== pid || e.ph === 'M') continue;
    if (e.name.endsWith('InvalidationTracking')) {
      const data = e.args?.data ?? {};
      add(
        invalidations,
        `${e.name.replace('InvalidationTracking', '')} ${String(data.nodeName ?? '')} ${String(data.reason ?? data.invalidationSet ?? '')}`,
        0,
      );
    }
    const thread = threadNames.get(`${e.pid}:${e.tid}`) ?? '';
    const group = threadGroup(thread);
    if (!group) continue;
    let dur: number | undefined;
    let ts = e.ts;
    if (e.ph === 'X') dur = e.dur ?? 0;
    else if (e.ph === 'B') {
      const stack = open.get(thread + e.tid) ?? [];
      stack.push(e);
      open.set(thread + e.tid, stack);
    } else if (e.ph === 'E') {
      const begin = open.get(thread + e.tid)?.pop();
      if (begin) {
        dur = e.ts - begin.ts;
        ts = begin.ts;
      }
    } else if (e.ph === 'I' || e.ph === 'i' || e.ph === 'n') add(sums.get(group)!, `${e.name} (instant)`, 0);
    if (dur === undefined) continue;
    add(sums.get(group)!, e.name, dur);
    const key = `${group}:${e.tid}`;
    (slices.get(key) ?? slices.set(key, []).get(key)!).push([ts, ts + dur]);
    if (e.name === 'Paint' && group === 'CrRendererMain') {
      const area = quadArea(e.args?.data?.clip);
      paintArea += area;
      const q = e.args?.data?.clip as number[] | undefined;
      const size = q ? `${Math.round(Math.abs(q[2]! - q[0]!))}×${Math.round(Math.abs(q[5]! - q[1]!))}` : '?';
      add(paintBySize, size, area);
    }
    if (e.name === 'FunctionCall' && group === 'CrRendererMain') {
      const data = e.args?.data ?? {};
      const where = `${String(data.functionName ?? '') || '(anonymous)'} ${String(data.url ?? '').replace(/^.*\//, '')}:${String(data.lineNumber ?? '')}`;
      add(calls, where, dur);
    }
  }
  /** Busy time of one thread's slices: the union of their intervals. */
  const busy = (key: string) => {
    const list = (slices.get(key) ?? []).sort((a, b) => a[0] - b[0]);
    let total = 0;
    let end = -Infinity;
    for (const [s, f] of list) {
      if (f <= end) continue;
      total += f - Math.max(s, end);
      end = f;
    }
    return total;
  };
  const lines: string[] = [`span ${span.toFixed(1)} s, renderer pid ${pid}`];
  for (const key of [...slices.keys()].sort()) lines.push(`busy ${key}: ${(busy(key) / 1000 / span).toFixed(1)} ms/s`);
  const row = (name: string, s: Sum) =>
    `  ${name.padEnd(58).slice(0, 58)} ${(s.count / span).toFixed(1).padStart(8)}/s ${(s.us / 1000 / span).toFixed(2).padStart(8)} ms/s`;
  for (const [group, map] of sums) {
    lines.push(`${group}:`);
    for (const [name, s] of [...map].sort((a, b) => b[1].us - a[1].us || b[1].count - a[1].count).slice(0, top)) lines.push(row(name, s));
  }
  lines.push(`Paint area: ${Math.round(paintArea / span).toLocaleString('en')} px²/s; by clip size (count/s, px²/s):`);
  for (const [size, s] of [...paintBySize].sort((a, b) => b[1].us - a[1].us).slice(0, 12))
    lines.push(
      `  ${size.padEnd(14)} ${(s.count / span).toFixed(1).padStart(6)}/s ${Math.round(s.us / span)
        .toLocaleString('en')
        .padStart(12)} px²/s`,
    );
  if (invalidations.size > 0) lines.push('Invalidations by node and reason (/s):');
  for (const [what, s] of [...invalidations].sort((a, b) => b[1].count - a[1].count).slice(0, 20))
    lines.push(`  ${what.padEnd(70).slice(0, 70)} ${(s.count / span).toFixed(1).padStart(8)}/s`);
  lines.push('FunctionCall by source (count/s, ms/s):');
  for (const [where, s] of [...calls].sort((a, b) => b[1].us - a[1].us).slice(0, 10)) lines.push(row(where, s));
  return lines.join('\n');
}
