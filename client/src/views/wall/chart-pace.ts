/**
 * The wall's charts redraw together, at most once per CHART_PACE_MS (issue 19, item 7). Each ECharts update
 * animates for a good part of a second, a canvas frame on the page's main thread every display frame; with a
 * delta every few hundred milliseconds the charts animated almost without pause, each on its own schedule.
 * Paced, a chart's latest data waits for the next multiple of CHART_PACE_MS on the clock, and every chart with
 * something to draw draws in that same task, so their animations share the same frames and then all rest.
 *
 * A chart's first draw (its screen just came up) does not wait: `pace` runs it at once when the owner has not
 * drawn yet, or when the caller says so (`now`: e.g. the first figures after an empty chart). Later calls keep
 * only the owner's newest draw. `drop` forgets an owner's pending draw (unmount).
 */
export const CHART_PACE_MS = 3_000;

/**
 * The wall's charts draw without animation: a chart's animated frame costs the page's main thread 7–11 ms, and a
 * redraw, a new ranking order (ECharts enters re-ordered bars anew, 1 s) or the screen coming up animated for ~20–60
 * frames (bench/RESULTS.md "wall-renderer-notes-2"). They redraw at once, at most every CHART_PACE_MS.
 */
export const UNANIMATED = { animation: false } as const;

const pending = new Map<object, () => void>();
const drawn = new WeakSet<object>();
let timer: ReturnType<typeof setTimeout> | undefined;

function flush(): void {
  timer = undefined;
  const draws = [...pending.values()];
  pending.clear();
  for (const draw of draws) draw();
}

/** Runs `draw` for `owner` now if it never drew (or `now`), else at the next pace boundary (only its newest draw). */
export function pace(owner: object, draw: () => void, now = false): void {
  if (now || !drawn.has(owner)) {
    drawn.add(owner);
    pending.delete(owner);
    draw();
    return;
  }
  pending.set(owner, draw);
  if (timer === undefined) timer = setTimeout(flush, CHART_PACE_MS - (Date.now() % CHART_PACE_MS));
}

/** Forgets `owner`'s pending draw; the timer stops when nothing is left to draw. */
export function drop(owner: object): void {
  pending.delete(owner);
  if (pending.size === 0 && timer !== undefined) {
    clearTimeout(timer);
    timer = undefined;
  }
}
