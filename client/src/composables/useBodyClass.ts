import { onBeforeUnmount, onMounted } from 'vue';

/**
 * Puts `name` on <body> while the calling page is mounted, for page-wide styles (`body.name { … }`).
 * Stands in for `body:has(.page)`, which the supported floor (Chromium 87; :has() came in 105) ignores
 * together with the whole rule.
 */
export function useBodyClass(name: string): void {
  onMounted(() => document.body.classList.add(name));
  onBeforeUnmount(() => document.body.classList.remove(name));
}
