import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { withAppAndBrowser } from '../support/app-browser.ts';
import { CATEGORIES, STREETS, wallNow } from './wall-records.ts';

/**
 * The wall's ticker moves item by item and then stands still (issue 19, item 7): an endless scroll kept the
 * page's renderer busy on a wall where nothing changed. Items that fit the strip never move; more than fit move
 * one item at a time, each move ending with the next item at the strip's left edge; a whole pass with nothing new
 * leaves the strip resting at the newest, with no animation left running.
 */
let app: TestApp;
let browser: Browser;
let admin: string;

withAppAndBrowser((started) => ({ app, browser, admin } = started));

const POLL = { timeout: 15_000 };
const track = '[data-testid=ticker] .track';

/** The ticker's animations and transitions, running or about to: [endless ones, all]. */
const tickerAnimations = (page: Page) =>
  page.evaluate(() => {
    const animations = document.querySelector('[data-testid=ticker]')!.getAnimations({ subtree: true });
    return [animations.filter((a) => a.effect?.getComputedTiming().endTime === Infinity).length, animations.length];
  });

/** How far the `index`-th item (first copy) stands from the strip's left edge, in CSS pixels. */
const itemFromEdge = (page: Page, index: number) =>
  page.evaluate((i) => {
    const strip = document.querySelector('[data-testid=ticker]')!.getBoundingClientRect();
    const item = document.querySelectorAll('[data-testid=ticker] [data-ticker-id]')[i]!.getBoundingClientRect();
    return Math.round(item.left - strip.left) || 0; // never -0
  }, index);

async function hotlineEvents(prefix: string, count: number): Promise<void> {
  const now = wallNow();
  await app.ingest(
    'hotline',
    Array.from({ length: count }, (_, i) => ({
      ticketId: `${prefix}-${i}`,
      type: 'signed',
      at: new Date(now - (count - i) * 60_000).toISOString(),
      street: STREETS[i % STREETS.length],
      category: CATEGORIES[i % CATEGORIES.length],
    })),
  );
}

async function openWall(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${app.baseUrl}/wall?token=${admin}&screens=hotline`);
  return { page, errors };
}

describe('wall ticker', () => {
  it('stands still with items that fit the strip: one copy, nothing animating', async () => {
    await hotlineEvents('FIT', 2);
    const { page, errors } = await openWall();
    await expect.poll(() => page.locator('[data-testid=ticker] [data-ticker-id]').count(), POLL).toBe(2);
    await expect.poll(() => page.getAttribute(track, 'data-resting'), POLL).toBe('true');
    expect(await page.locator('[data-testid=ticker] .run').count()).toBe(1);
    expect(await tickerAnimations(page)).toEqual([0, 0]);
    expect(await itemFromEdge(page, 0)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('moves more items than fit one at a time, still between moves, and rests at the newest after a pass with nothing new', async () => {
    await hotlineEvents('PASS', 6); // with the two above: 8 items, some 4,000 px against the strip's 1,920
    const { page, errors } = await openWall();
    await expect.poll(() => page.locator('[data-testid=ticker] [data-ticker-id]').count(), POLL).toBe(8);
    await expect.poll(() => page.locator('[data-testid=ticker] .run').count(), POLL).toBe(2);

    // The first move: once it has ended, the second item stands at the left edge and nothing animates.
    await expect.poll(() => page.getAttribute(track, 'data-step'), POLL).toBe('1');
    await expect.poll(() => tickerAnimations(page), POLL).toEqual([0, 0]);
    expect(await itemFromEdge(page, 1)).toBe(0);
    await expect.poll(() => page.getAttribute(track, 'data-step'), POLL).toBe('2');
    await expect.poll(() => tickerAnimations(page), POLL).toEqual([0, 0]);
    expect(await itemFromEdge(page, 2)).toBe(0);

    // A whole pass (8 moves) with nothing new: back at the start, resting, the newest first at the edge.
    await expect.poll(() => page.getAttribute(track, 'data-resting'), { timeout: 60_000 }).toBe('true');
    expect(await page.getAttribute(track, 'data-step')).toBe('0');
    expect(await tickerAnimations(page)).toEqual([0, 0]);
    expect(await itemFromEdge(page, 0)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
