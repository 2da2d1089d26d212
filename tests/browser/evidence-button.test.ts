import { readFile } from 'node:fs/promises';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';

let app: TestApp;
let browser: Browser;

/** manifest.json of a ZIP. */
function manifestOf(zip: Buffer): Promise<{ from?: string; kpis: Record<string, { files: { rows: number }[] }> }> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, file) => {
      if (err) return reject(err);
      file.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== 'manifest.json') return file.readEntry();
        file.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        });
      });
      file.on('end', () => reject(new Error('no manifest.json')));
      file.readEntry();
    });
  });
}

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
  const admin = await app.login();
  await app.ingest(
    'hotline',
    ['E-1', 'E-2'].map((ticketId) => ({
      ticketId,
      type: 'signed',
      at: '2022-03-04T09:00:00+08:00',
      urgency: '普通',
      category: '城市管理',
    })),
  );
  await app.waitIdle(admin);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the export page', () => {
  it('has 下载佐证材料 beside the export button, busy while the pack is built, and downloads the period’s pack', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(20_000);
    await page.goto(`${app.baseUrl}/console/exports?from=2022-03-01&to=2022-03-31`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    const button = page.locator('[data-testid=evidence-download]');
    await expect.poll(() => button.textContent()).toBe('下载佐证材料');
    // Beside the export button, in the same row.
    expect(
      await page
        .locator('.row', { has: page.locator('[data-testid=export-start]') })
        .locator('[data-testid=evidence-download]')
        .count(),
    ).toBe(1);
    // While the request is out (the server builds the pack before its first byte) the page says it is busy.
    let busyWhileBuilding = false;
    await page.route('**/api/export/evidence?**', async (route) => {
      busyWhileBuilding =
        (await page.locator('[data-testid=evidence-busy]').isVisible()) &&
        ((await button.getAttribute('class')) ?? '').includes('is-loading');
      await route.continue();
    });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(busyWhileBuilding).toBe(true);
    expect(download.suggestedFilename()).toBe('佐证材料_2022-03.zip');
    const manifest = await manifestOf(await readFile((await download.path())!));
    expect(manifest.from).toBe('2022-03-01');
    expect(manifest.kpis['hotline.signed']!.files[0]!.rows).toBe(2);
    await page.locator('[data-testid=evidence-busy]').waitFor({ state: 'detached' });
    await page.close();
  });
});
