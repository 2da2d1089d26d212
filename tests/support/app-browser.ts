import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from './app.ts';
import { launchChromium } from './browser.ts';

/** What a browser test file works with: Pulse (Redis, server, worker), Chromium, and an admin session. */
export interface AppAndBrowser {
  app: TestApp;
  browser: Browser;
  admin: string;
}

/**
 * Registers a browser test file's hooks: Pulse and Chromium started together before its tests, an admin logged in,
 * both closed after them. `use` receives them once started.
 */
export function withAppAndBrowser(use: (started: AppAndBrowser) => void): void {
  let started: Partial<AppAndBrowser> = {};
  beforeAll(async () => {
    const [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
    started = { app, browser };
    const admin = await app.login();
    use({ app, browser, admin });
  });
  afterAll(async () => {
    await started.browser?.close();
    await started.app?.close();
  });
}
