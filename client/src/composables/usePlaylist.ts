import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';

/** How long a screen that failed to render is left out before it is tried again. */
export const FAILED_SCREEN_RETRY_MS = 10 * 60_000;

/**
 * Rotates through `screens`, `rotateMs` each, forever. `fail(name)` takes a screen out of the rotation
 * (it is tried again after FAILED_SCREEN_RETRY_MS) and moves on at once; `current` is null only while
 * every screen has failed. One timer at a time, cleared on unmount.
 */
export function usePlaylist(screens: Readonly<Ref<readonly string[]>>, rotateMs: Readonly<Ref<number>>) {
  const index = ref(0);
  const failedAtMs = ref(new Map<string, number>());
  let timer: ReturnType<typeof setTimeout> | undefined;

  const usable = (name: string) => {
    const at = failedAtMs.value.get(name);
    return at === undefined || Date.now() - at >= FAILED_SCREEN_RETRY_MS;
  };

  /** The first usable screen at or after position `from` (wrapping), or -1. */
  function nextUsable(from: number): number {
    const list = screens.value;
    for (let step = 0; step < list.length; step++) {
      const i = (from + step) % list.length;
      if (usable(list[i]!)) return i;
    }
    return -1;
  }

  const current = computed(() => {
    const list = screens.value;
    const name = list[index.value];
    return name !== undefined && usable(name) ? name : null;
  });

  function schedule(): void {
    clearTimeout(timer);
    const waitMs = current.value === null ? Math.min(rotateMs.value, FAILED_SCREEN_RETRY_MS) : rotateMs.value;
    timer = setTimeout(advance, waitMs);
  }

  function advance(): void {
    const list = screens.value;
    if (list.length > 1 || current.value === null) {
      const i = nextUsable((index.value + 1) % Math.max(list.length, 1));
      if (i >= 0) index.value = i;
      else failedAtMs.value = new Map(failedAtMs.value); // re-evaluate `current` as retry times pass
    }
    schedule();
  }

  /** Marks `name` as failed and shows the next usable screen. */
  function fail(name: string): void {
    failedAtMs.value = new Map(failedAtMs.value).set(name, Date.now());
    const i = nextUsable(index.value);
    if (i >= 0) index.value = i;
    schedule();
  }

  watch(
    [screens, rotateMs],
    () => {
      index.value = Math.max(0, nextUsable(0));
      schedule();
    },
    { immediate: true },
  );
  onBeforeUnmount(() => clearTimeout(timer));

  return { current, fail };
}
