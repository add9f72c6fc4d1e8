import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CountsReport } from '@tally/proto';
import { collectErrors, launchChromium, signIn } from '../dashboard/browser';
import { takeScreenshots } from '../dashboard/screenshots';
import { startDashboardStack, type DashboardStack } from '../dashboard/stack';

/**
 * The dashboard end to end in Debian's Chromium against a real `cloud serve` on PostgreSQL, with a provisioned
 * device simulator publishing real EventBatch messages through the cloud's broker. Access tokens live 30 s here,
 * so silent refreshes (and the live socket's re-authentication) happen during the run.
 */
let stack: DashboardStack;
let browser: Browser;
const errors: string[] = [];
const started = Date.now();

beforeAll(async () => {
  stack = await startDashboardStack({ accessTokenTtlS: 30, log: (m) => console.error(`[e2e] ${m}`) });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  console.error(`[e2e] whole run ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 60_000);

/** Local midnight of a calendar date in a time zone, as an instant (from Intl: independent of the dashboard's code). */
function zonedMidnight(y: number, m: number, d: number, timeZone: string): number {
  const offsetAt = (ms: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
        .formatToParts(ms)
        .map((p) => [p.type, Number(p.value)]),
    );
    return (
      Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - ms
    );
  };
  const guess = Date.UTC(y, m - 1, d);
  return guess - offsetAt(guess - offsetAt(guess));
}

/** "Last 7 days" in the site's zone: six days ago at midnight to tomorrow at midnight. */
function last7Days(timeZone: string): { from: string; to: string } {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone })
    .format(Date.now())
    .split('-')
    .map(Number) as [number, number, number];
  const day = (offset: number) => {
    const t = new Date(Date.UTC(y, m - 1, d + offset));
    return zonedMidnight(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), timeZone);
  };
  return { from: new Date(day(-6)).toISOString(), to: new Date(day(1)).toISOString() };
}

const text = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).first().textContent()) ?? '';
/** Parses a number the page formatted for the en-GB locale ("1,234"). */
const num = (s: string) => Number(s.replace(/[^\d-]/g, ''));

describe('dashboard end to end', () => {
  let context: BrowserContext;
  let page: Page;

  it('signs in and shows the overview with the site', async () => {
    context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'en-GB',
      acceptDownloads: true,
    });
    page = await context.newPage();
    errors.push(...collectErrors(page));
    await page.goto(`${stack.url}/`);
    await page.waitForURL(/\/sign-in\?next=/);
    await signIn(page, stack.manager);
    await page.getByRole('heading', { name: 'Overview' }).waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: stack.siteName }).waitFor({ timeout: 30_000 });
    const today = await stack.api<CountsReport>(
      stack.manager,
      'GET',
      `/sites/${stack.siteId}/analytics/counts?${new URLSearchParams({ ...last7Days(stack.timezone), bucket: 'day', kind: 'line_cross' })}`,
    );
    expect(today.byKind.line_cross.in).toBeGreaterThan(0);
  }, 60_000);

  it('opens the site and a live counter increases without reloading', async () => {
    await page.getByRole('link', { name: stack.siteName }).click();
    const counter = page.getByTestId(`counter-${stack.lineKey}`).getByTestId('counter-in');
    await counter.waitFor({ timeout: 30_000 });
    await page.getByTestId('live-status').and(page.locator('.open')).waitFor({ timeout: 30_000 });
    const before = num((await counter.textContent()) ?? '');
    const navigations: string[] = [];
    page.on('framenavigated', (f) => f === page.mainFrame() && navigations.push(f.url()));
    const now = Date.now();
    await stack.sim.sendEvents(
      [0, 1, 2].map((i) => ({
        cameraId: stack.cameraKey,
        ruleId: stack.lineKey,
        kind: 'line_cross' as const,
        direction: 'in' as const,
        objectClass: 'person',
        ts: now - 1000 + i,
      })),
    );
    await expect
      .poll(async () => num((await counter.textContent()) ?? ''), { timeout: 30_000, interval: 200 })
      .toBe(before + 3);
    expect(navigations).toEqual([]);
  }, 60_000);

  it('switches range and bucket; the totals equal the analytics API', async () => {
    await page.getByTestId('range-preset').selectOption('last-7-days');
    await page.getByTestId('bucket').selectOption('hour');
    await expect
      .poll(() => new URL(page.url()).searchParams.toString(), { timeout: 30_000 })
      .toMatch(/^(?=.*range=last-7-days)(?=.*bucket=hour)/);
    const range = last7Days(stack.timezone);
    const report = await stack.api<CountsReport>(
      stack.manager,
      'GET',
      `/sites/${stack.siteId}/analytics/counts?${new URLSearchParams({ ...range, bucket: 'hour', groupBy: 'none', kind: 'line_cross' })}`,
    );
    const want = report.byKind.line_cross;
    await expect.poll(async () => num(await text(page, 'total-in')), { timeout: 30_000 }).toBe(want.in);
    expect(num(await text(page, 'total-out'))).toBe(want.out);
    expect(num(await text(page, 'total-all'))).toBe(want.total);
    // The table has one row per hour of the 7 days (zero-filled by the API), as many as the API's points.
    const points = report.series.find((s) => s.key.kind === 'line_cross')!.points.length;
    expect(points).toBe(7 * 24);
    await expect
      .poll(() => page.getByTestId('counts-table').locator('tbody tr').count(), { timeout: 30_000 })
      .toBe(points);
  }, 60_000);

  it('exports exactly the CSV the export API gives for the same query', async () => {
    const download = page.waitForEvent('download', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8');
    const range = last7Days(stack.timezone);
    const fromApi = await stack.api<string>(
      stack.manager,
      'GET',
      `/sites/${stack.siteId}/analytics/export?${new URLSearchParams({ ...range, bucket: 'hour', groupBy: 'none', kind: 'line_cross', format: 'csv' })}`,
    );
    expect(csv).toBe(fromApi);
    const [header, ...lines] = csv.trim().split('\n');
    const col = header!.split(',').indexOf('in');
    const inSum = lines.reduce((sum, l) => sum + Number(l.split(',')[col]), 0);
    expect(inSum).toBe(num(await text(page, 'total-in')));
  }, 60_000);

  it('shows an alert the moment it fires', async () => {
    await stack.api(stack.owner, 'POST', `/sites/${stack.siteId}/alert-rules`, {
      name: 'Rush at the doors',
      condition: { kind: 'count_above', threshold: 2, periodMinutes: 1, ruleId: stack.lineKey },
    });
    const now = Date.now();
    await stack.sim.sendEvents(
      [0, 1, 2, 3].map((i) => ({
        cameraId: stack.cameraKey,
        ruleId: stack.lineKey,
        kind: 'line_cross' as const,
        direction: 'in' as const,
        objectClass: 'person',
        ts: now - 500 + i,
      })),
    );
    await page.getByTestId('toasts').locator('.toast.alert').first().waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByTestId('alerts-table').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('alerts-table').first().locator('.pill').count()).toBeGreaterThan(0);
    // A site manager acknowledges it; the page shows who did.
    await page.getByRole('button', { name: 'Acknowledge' }).first().click();
    await page.getByText(`by ${stack.manager.email}`).first().waitFor({ timeout: 30_000 });
  }, 90_000);

  it('after the session ends, signing in again returns to the same page', async () => {
    const sitePage = `/sites/${stack.siteId}?range=yesterday&by=none&kind=line_cross`;
    await page.goto(`${stack.url}${sitePage}`);
    await page.getByTestId('counts-totals').waitFor({ timeout: 30_000 });
    const errorsBefore = errors.length;
    // The refresh cookie goes away (as when it expires or is revoked): the next silent refresh fails.
    await context.clearCookies();
    await page.waitForURL(/\/sign-in\?next=/, { timeout: 90_000 });
    await page.getByText('Your session ended').waitFor();
    // Expected here and only here: Chromium logs the refused refresh (401) as a console error.
    const during = errors.splice(errorsBefore);
    expect(during.every((e) => /401/.test(e))).toBe(true);
    await signIn(page, stack.manager);
    const url = new URL(page.url());
    expect(`${url.pathname}${url.search}`).toBe(sitePage);
    await page.getByTestId('counts-totals').waitFor({ timeout: 30_000 });
  }, 120_000);

  it('a viewer sees no export or acknowledge button', async () => {
    const viewerContext = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: 'en-GB',
    });
    const viewerPage = await viewerContext.newPage();
    errors.push(...collectErrors(viewerPage));
    await viewerPage.goto(`${stack.url}/sites/${stack.siteId}`);
    await signIn(viewerPage, stack.viewer);
    await viewerPage.getByTestId('counts-totals').waitFor({ timeout: 30_000 });
    expect(await viewerPage.getByRole('button', { name: /Export/ }).count()).toBe(0);
    await viewerPage.goto(`${stack.url}/sites/${stack.siteId}/alerts`);
    await viewerPage.getByTestId('alerts-table').first().waitFor({ timeout: 30_000 });
    expect(await viewerPage.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    await viewerContext.close();
    await context.close();
  }, 60_000);

  it('takes the screenshots of every page at both sizes, with no console errors anywhere', async () => {
    const out =
      process.env.TALLY_SCREENSHOTS_DIR ?? resolve(import.meta.dirname, '../../dashboard/screenshots');
    const shots = await takeScreenshots(stack, browser, out);
    expect(shots.paths.length).toBe(14);
    expect([...errors, ...shots.errors]).toEqual([]);
  }, 120_000);
});
