import { ElMessage } from 'element-plus';
import { i18n } from '../../i18n.ts';

/**
 * Runs an administrator's change and says how it went: 已保存 on success, the API's own message on
 * failure. Resolves to whether it succeeded; never rejects.
 */
export async function saveWithMessage(work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    ElMessage.success(i18n.global.t('console.admin.saved'));
    return true;
  } catch (err) {
    ElMessage.error(err instanceof Error ? err.message : String(err));
    return false;
  }
}
