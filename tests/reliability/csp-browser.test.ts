import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

// Needs the built client (npm run build), as the other browser tests.
let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  app = await startTestApp();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** Loads `path`, lets it run, and returns every CSP violation the page reported. */
async function violationsOf(path: string, injectInlineScript = false): Promise<string[]> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(`${app.baseUrl}${path}`);
  await page.waitForLoadState('networkidle');
  if (injectInlineScript) await page.addScriptTag({ content: 'window.injected = 1' }).catch(() => undefined);
  await page.waitForTimeout(1_500);
  await page.close();
  return violations;
}

describe('the built client under the Content-Security-Policy', () => {
  it('runs the login page and a live wall (ECharts, socket.io) without a single violation', async () => {
    const token = await app.login();
    const created = await fetch(`${app.baseUrl}/api/admin/display-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'CSP test screen' }),
    });
    expect(created.status).toBe(201);
    const { wallUrl } = (await created.json()) as { wallUrl: string };
    const wallPath = wallUrl.replace(/^https?:\/\/[^/]+/, '');
    await app.ingest('hotline', [{ ticketId: 'CSP-1', type: 'signed', at: new Date().toISOString() }]);
    expect(await violationsOf('/login')).toEqual([]);
    expect(await violationsOf(wallPath)).toEqual([]);
    // The policy is enforced, and this test would see a violation: an injected inline script is blocked.
    expect((await violationsOf('/login', true)).join('\n')).toMatch(/script-src/);
  }, 90_000);
});
