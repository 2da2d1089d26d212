/**
 * The oldest browser Pulse supports: Chromium 87 (README and docs/DEPLOY.md, "Supported browsers"). Wall
 * PCs run 360/QQ browsers on Chromium 86–109, Windows 7's last Chrome (109) and the Chromium-based browsers
 * of 信创 systems. The build lowers syntax and CSS to it (client/vite.config.ts); the bundle test
 * (tests/contract/browser-floor.test.ts) checks the result against it.
 */
export const FLOOR_CHROMIUM = 87;

/** The floor as a Vite/oxc/lightningcss build target. */
export const FLOOR_BUILD_TARGET = `chrome${FLOOR_CHROMIUM}`;

/** The floor as a browserslist query (caniuse data). */
export const FLOOR_BROWSERSLIST = `chrome ${FLOOR_CHROMIUM}`;
