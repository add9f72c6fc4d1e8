import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, launchChromium, signIn } from '../dashboard/browser';
import { startDashboardStack, type Account, type DashboardStack } from '../dashboard/stack';

/**
 * The admin pages end to end in Debian's Chromium against a real `cloud serve` on PostgreSQL: an owner creates a
 * viewer on the users page, the viewer signs in and cannot reach the setup pages (users, audit, camera setup) nor
 * their API, and the audit page shows the creation, filters, and exports it as CSV.
 */
let stack: DashboardStack;
let browser: Browser;
const errors: string[] = [];
const started = Date.now();
const casey = { email: 'casey@example.com', password: '' };

beforeAll(async () => {
  stack = await startDashboardStack({ history: false, log: (m) => console.error(`[admin-e2e] ${m}`) });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  console.error(`[admin-e2e] whole run ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 60_000);

/** A signed-in page; `watch` collects its console errors (not for the viewer, whose refused requests may log). */
async function signedInPage(
  account: Account,
  viewport = { width: 1440, height: 900 },
  watch = true,
): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', acceptDownloads: true });
  const page = await context.newPage();
  if (watch) errors.push(...collectErrors(page));
  await page.goto(`${stack.url}/`);
  await signIn(page, account);
  return page;
}

/** The status of an API call as `account` (stack.api throws "METHOD path: status body" on failure). */
async function statusOf(account: Account, method: string, path: string, body?: unknown): Promise<number> {
  try {
    await stack.api(account, method, path, body);
    return 200;
  } catch (err) {
    return Number(/: (\d{3}) /.exec((err as Error).message)?.[1] ?? 0);
  }
}

describe('admin pages end to end', () => {
  let owner: Page;
  let caseyId = '';

  it('an owner creates a viewer on the users page and is shown the password once', async () => {
    owner = await signedInPage(stack.owner, { width: 360, height: 740 });
    await owner.getByRole('link', { name: 'Users' }).click();
    await owner.getByTestId('users-table').waitFor();
    await owner.getByRole('button', { name: 'Add user' }).click();
    const form = owner.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Email').fill(casey.email);
    await form.getByLabel('Name').fill('Casey Viewer');
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByLabel(stack.siteName).check();
    casey.password = await form.getByLabel('Initial password').inputValue();
    await form.getByRole('button', { name: 'Create user' }).click();
    const shown = await owner.getByTestId('secret-value').textContent();
    expect(shown).toBe(casey.password);
    const row = owner.getByTestId('users-table').getByRole('row', { name: /Casey Viewer/ });
    await expect.poll(() => row.textContent()).toMatch(/Viewer.*Riverside Mall.*Active/);
    const users = await stack.api<{ id: string; email: string; role: string; siteIds: string[] }[]>(
      stack.owner,
      'GET',
      '/users',
    );
    const made = users.find((u) => u.email === casey.email)!;
    expect(made).toMatchObject({ role: 'viewer', siteIds: [stack.siteId] });
    caseyId = made.id;
  });

  it('the viewer signs in with it and cannot reach users, audit or camera setup, in the page or the API', async () => {
    const viewer = await signedInPage(casey, undefined, false);
    const nav = viewer.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Overview' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Users' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Audit' }).count()).toBe(0);
    for (const path of ['/users', '/audit']) {
      await viewer.goto(`${stack.url}${path}`);
      await viewer.getByTestId('forbidden').waitFor();
    }
    // Camera setup (another page's work): whatever it shows a viewer (forbidden, not found or a redirect), it
    // offers nothing to change.
    await viewer.goto(`${stack.url}/setup`);
    await viewer.waitForLoadState('networkidle');
    await viewer.locator('main').waitFor();
    const controls = viewer
      .locator('main')
      .getByRole('button', { name: /save|create|add|draw|snapshot|delete|restart|apply/i });
    expect(await controls.count()).toBe(0);
    expect(await viewer.locator('main canvas, main svg[data-editor]').count()).toBe(0);
    await viewer.context().close();

    expect(await statusOf(casey, 'GET', '/users')).toBe(403);
    expect(await statusOf(casey, 'GET', '/audit')).toBe(403);
    expect(await statusOf(casey, 'GET', '/audit/export')).toBe(403);
    expect(await statusOf(casey, 'POST', `/users/${caseyId}/password-reset`)).toBe(403);
    expect(await statusOf(casey, 'POST', `/sites/${stack.siteId}/claim-codes`, { ttlMinutes: 5 })).toBe(403);
    const cameras = await stack.api<{ id: string }[]>(casey, 'GET', `/cameras?siteId=${stack.siteId}`);
    expect(cameras.length).toBeGreaterThan(0);
    const rule = {
      key: 'sneaky',
      kind: 'line',
      name: 'x',
      definition: { p1: { x: 0, y: 0 }, p2: { x: 1, y: 1 } },
    };
    expect(await statusOf(casey, 'POST', `/cameras/${cameras[0]!.id}/rules`, rule)).toBe(403);
  });

  it('the audit page shows the creation, filters by action and exports the filtered CSV', async () => {
    await owner.setViewportSize({ width: 1440, height: 900 });
    await owner.getByRole('link', { name: 'Audit' }).click();
    const table = owner.getByTestId('audit-table');
    await table.waitFor();
    await owner.getByLabel('Action').fill('user.create');
    await owner.getByRole('button', { name: 'Apply filters' }).click();
    await owner.waitForURL((u) => u.search === '?action=user.create');
    // The independent truth: the API's own answer for the same filter (the owner, the stack's two users, Casey).
    const expected = await stack.api<{ id: number }[]>(stack.owner, 'GET', '/audit?action=user.create');
    expect(expected.length).toBeGreaterThanOrEqual(3);
    await expect.poll(() => table.locator('tbody tr').count()).toBe(expected.length);
    const newest = table.locator('tbody tr').first();
    expect(await newest.textContent()).toMatch(
      new RegExp(`${stack.owner.email}.*user\\.create.*user.*${caseyId}.*email: ${casey.email}`),
    );

    const [download] = await Promise.all([
      owner.waitForEvent('download'),
      owner.getByRole('button', { name: 'Export filtered CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      'id,created_at,action,actor_user_id,actor_email,actor_device_id,target_type,target_id,ip,details',
    );
    expect(lines).toHaveLength(1 + expected.length);
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'user.create')).toBe(true);
    expect(lines[1]).toContain(`,${stack.owner.email},`);
    expect(lines[1]).toContain(caseyId);
    expect(await owner.getByTestId('export-done').textContent()).toBe(`Exported ${expected.length} entries.`);
    expect(errors).toEqual([]);
  });
});
