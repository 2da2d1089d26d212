/**
 * Runs `fn` at most once per `intervalMs`: the first call runs at once, calls inside the interval collapse
 * into one trailing run at its end. `cancel()` drops a pending trailing run.
 */
export function throttle(fn: () => void, intervalMs: number): { (): void; cancel(): void } {
  let lastRunAt = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const run = () => {
    timer = undefined;
    lastRunAt = Date.now();
    fn();
  };

  const throttled = () => {
    if (timer !== undefined) return;
    const waitMs = lastRunAt + intervalMs - Date.now();
    if (waitMs <= 0) run();
    else timer = setTimeout(run, waitMs);
  };
  throttled.cancel = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  return throttled;
}
