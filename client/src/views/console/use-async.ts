import { ref, shallowRef, watch, type Ref, type WatchSource } from 'vue';

/**
 * Loads data whenever `source` changes, keeping the last answer while the next loads; a load that
 * a newer one overtook is dropped. `error` holds the message of the last failure.
 */
export function useAsync<T, S>(
  source: WatchSource<S>,
  load: (value: S) => Promise<T>,
): { data: Ref<T | null>; loading: Ref<boolean>; error: Ref<string | null>; reload: () => Promise<void> } {
  const data = shallowRef<T | null>(null) as Ref<T | null>;
  const loading = ref(false);
  const error = ref<string | null>(null);
  let generation = 0;
  let last: S;
  async function run(value: S): Promise<void> {
    last = value;
    const mine = ++generation;
    loading.value = true;
    try {
      const result = await load(value);
      if (mine !== generation) return;
      data.value = result;
      error.value = null;
    } catch (err) {
      if (mine === generation) error.value = err instanceof Error ? err.message : String(err);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }
  watch(source, (value) => void run(value), { immediate: true, deep: true });
  return { data, loading, error, reload: () => run(last) };
}
