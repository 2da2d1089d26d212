/**
 * Runtime APIs newer than the supported floor (Chromium 87, client/browser-floor.ts) that the bundle
 * calls, each defined only where the browser lacks it. Keep this list minimal: the bundle test
 * (tests/contract/browser-floor.test.ts) names any other such call it finds; avoid it in our code, or
 * add it here when a dependency needs it.
 */
export const POLYFILLED = ['Object.hasOwn'] as const;

// Pinia's $patch and store hydration call Object.hasOwn (Chromium 93).
if (typeof Object.hasOwn !== 'function') {
  Object.defineProperty(Object, 'hasOwn', {
    value: (object: object, key: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(object, key),
    writable: true,
    configurable: true,
  });
}
