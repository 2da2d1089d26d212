import { nextTick, onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue';

/** How long the ticker stands still on an item before moving on to the next. */
export const TICKER_STEP_MS = 4_000;
/** How long a move by one item takes (the `.moving` transition in ticker-strip.vue). */
export const TICKER_MOVE_MS = 700;

/**
 * The ticker moves item by item instead of scrolling without end (issue 19, item 7): every TICKER_STEP_MS the
 * track slides left by the width of the item at the left edge, a short `transform` transition, and then stands
 * still — no frame is drawn between two moves. After the last item of the first copy it is where the second copy
 * begins, so it jumps back to the start unseen. A whole pass with no new item leaves it resting at the start
 * (newest first), with no timer running, until the items change; items that fit the strip never move.
 *
 * `track` is the element slid; its first child is the first copy of the items (one element each, carrying
 * `data-ticker-id`). `itemsKey` changes whenever the items do. The caller binds `offsetPx` to the track's
 * transform and `moving` to the class that carries the transition.
 */
export function useTickerSteps(strip: Ref<HTMLElement | null>, track: Ref<HTMLElement | null>, itemsKey: () => string) {
  /** Index of the item at the left edge; the item count when a pass has just ended (the second copy's start). */
  const step = ref(0);
  const offsetPx = ref(0);
  const moving = ref(false);
  /** The items fit the strip: one copy, standing still. */
  const fits = ref(true);
  /** No timer: the ticker stands still at the start until the items change. */
  const resting = ref(true);

  /** Left of each item of the first copy from the first one's, then the copy's width (where the second copy starts). */
  let lefts: number[] = [];
  let ids: string[] = [];
  let changedSincePass = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let snapTimer: ReturnType<typeof setTimeout> | undefined;

  function stop(): void {
    clearTimeout(timer);
    clearTimeout(snapTimer);
    timer = snapTimer = undefined;
  }

  function place(at: number, animate: boolean): void {
    step.value = at;
    moving.value = animate;
    offsetPx.value = -(lefts[at] ?? 0);
  }

  function rest(): void {
    stop();
    place(0, false);
    resting.value = true;
  }

  function schedule(): void {
    clearTimeout(timer);
    timer = setTimeout(advance, TICKER_STEP_MS);
    resting.value = false;
  }

  function advance(): void {
    const count = lefts.length - 1;
    if (fits.value || count < 1) return rest();
    if (step.value === 0) {
      // A whole pass went by with nothing new: stand still at the newest until something arrives.
      if (!changedSincePass) return rest();
      changedSincePass = false;
    }
    place(step.value + 1, true);
    if (step.value >= count) {
      // At the second copy's start, which looks the same as the first's: jump back once the move has ended.
      snapTimer = setTimeout(() => place(0, false), TICKER_MOVE_MS + 100);
    }
    schedule();
  }

  /** After the items changed (DOM updated): measure, keep the item at the left edge there, and move on. */
  function measure(): void {
    const run = track.value?.firstElementChild as HTMLElement | null | undefined;
    const box = strip.value;
    const items = run ? Array.from(run.children as HTMLCollectionOf<HTMLElement>) : [];
    const atEdge = ids[step.value];
    const origin = items[0]?.offsetLeft ?? 0;
    lefts = items.length > 0 && run ? [...items.map((item) => item.offsetLeft - origin), run.offsetWidth] : [];
    ids = items.map((item) => item.dataset.tickerId ?? '');
    fits.value = !run || !box || run.offsetWidth <= box.clientWidth;
    if (fits.value) return rest();
    changedSincePass = true;
    clearTimeout(snapTimer);
    const kept = atEdge === undefined ? -1 : ids.indexOf(atEdge);
    place(Math.max(kept, 0), false);
    if (resting.value) schedule();
  }

  onMounted(() => {
    watch(itemsKey, () => void nextTick(measure), { immediate: true, flush: 'post' });
  });
  onBeforeUnmount(stop);

  return { step, offsetPx, moving, fits, resting };
}
