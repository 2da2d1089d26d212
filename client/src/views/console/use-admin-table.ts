import { ElMessage } from 'element-plus';
import { ref, type Ref } from 'vue';
import { saveWithMessage } from './save-with-message.ts';
import { useAsync } from './use-async.ts';

export interface AdminTable<T> {
  data: Ref<T | null>;
  loading: Ref<boolean>;
  /** The message of the last failed load. */
  error: Ref<string | null>;
  /** Loads the table again. */
  reload(): void;
  /** Runs a change, says how it went (已保存 or the API's message) and reloads the table; resolves to whether it succeeded. */
  act(work: () => Promise<unknown>): Promise<boolean>;
  /** Runs a change without a success message: reloads on success, shows the API's message on failure; resolves to whether it succeeded. */
  change(work: () => Promise<unknown>): Promise<boolean>;
}

/**
 * The scaffolding of an administration table (users, display tokens, templates, alerts): loaded when
 * the module is set up, again after each change, with its loading and error state.
 */
export function useAdminTable<T>(load: () => Promise<T>): AdminTable<T> {
  const tick = ref(0);
  const { data, loading, error } = useAsync(tick, load);
  const reload = () => {
    tick.value += 1;
  };
  return {
    data,
    loading,
    error,
    reload,
    async act(work) {
      const saved = await saveWithMessage(work);
      reload();
      return saved;
    },
    async change(work) {
      try {
        await work();
        reload();
        return true;
      } catch (err) {
        ElMessage.error(err instanceof Error ? err.message : String(err));
        return false;
      }
    },
  };
}
