import { ref } from 'vue';
import { i18n } from './i18n.ts';

/**
 * The bureau's name (a setting of the server, GET /api/bureau; an administrator edits it): the wall's,
 * the console's and the login page's titles put it before the product's name. Empty until loaded, or
 * when never set: the product's name alone.
 */
export const bureauName = ref('');

let loading: Promise<void> | null = null;

/** Loads the name once per page (again with `force`, after an administrator changed it). */
export function loadBureauName(force = false): Promise<void> {
  if (loading && !force) return loading;
  loading = fetch('/api/bureau', { headers: { Accept: 'application/json' } })
    .then(async (response) => {
      if (!response.ok) return;
      const body = (await response.json()) as { name?: unknown };
      if (typeof body.name === 'string') bureauName.value = body.name;
    })
    .catch(() => undefined); // the title without the name is still right; the next page load tries again
  return loading;
}

/** `key`'s text with the bureau's name before it (`<key>WithBureau`), or `key`'s alone when no name is set. */
export function titled(key: 'title' | 'console.appName'): string {
  const name = bureauName.value;
  return name ? i18n.global.t(`${key}WithBureau`, { bureau: name }) : i18n.global.t(key);
}
