import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Device, Model } from '@tally/proto';
import { collectErrors, launchChromium, signIn, SIZES } from '../dashboard/browser';
import { startDashboardStack, type Account, type DashboardStack } from '../dashboard/stack';

/**
 * Devices, claim codes and models end to end, at phone size in Debian's Chromium, against a real `cloud serve` on
 * PostgreSQL with the built dashboard: an installer creates a claim code, copies the command the page shows and
 * runs it (the real `pnpm edge provision` CLI, a temp data dir) and the new box appears; a code is revoked and then
 * refused by the real provision route; a manager rotates and revokes the box through confirmations naming it; an
 * owner uploads the real detector model with its progress bar. Also: the manifest and icons the phone installs.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const MODEL = resolve(ROOT, '../shared/models/yolox_nano.onnx');
let stack: DashboardStack;
let browser: Browser;
const installer: Account = { email: 'installer@example.com', password: 'installer-password-1' };
const errors: string[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'tally-devices-e2e-'));
const started = Date.now();
let provisionedId = '';

beforeAll(async () => {
  stack = await startDashboardStack({ log: (m) => console.error(`[devices-e2e] ${m}`) });
  browser = await launchChromium();
  await stack.api(stack.owner, 'POST', '/users', {
    ...installer,
    name: 'Ines Installer',
    role: 'installer',
    siteIds: [stack.siteId],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  console.error(`[devices-e2e] whole run ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 60_000);

async function phone(account: Account): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: SIZES.phone,
    locale: 'en-GB',
    timezoneId: stack.timezone,
    hasTouch: true,
    isMobile: true,
  });
  const page = await context.newPage();
  errors.push(...collectErrors(page));
  await page.goto(`${stack.url}/sites/${stack.siteId}/devices`);
  await signIn(page, account);
  await page.getByRole('heading', { name: /^Devices/ }).waitFor({ timeout: 30_000 });
  return { context, page };
}

describe('devices and claim codes end to end (phone size)', () => {
  it('serves the web app manifest and its icons from the real cloud', async () => {
    const res = await fetch(`${stack.url}/manifest.webmanifest`);
    expect(res.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const manifest = (await res.json()) as { icons: { src: string; sizes: string }[] };
    for (const icon of manifest.icons) {
      const png = await fetch(`${stack.url}${icon.src}`);
      expect(png.headers.get('content-type')).toBe('image/png');
      const buf = Buffer.from(await png.arrayBuffer());
      expect(`${buf.readUInt32BE(16)}x${buf.readUInt32BE(20)}`).toBe(icon.sizes);
    }
    const html = await (await fetch(`${stack.url}/`)).text();
    expect(html).toContain('rel="manifest"');
  });

  it('an installer creates a claim code, runs the command the page shows, and the new box appears', async () => {
    const { context, page } = await phone(installer);
    await page.getByLabel('Box name').fill('Gate 7');
    await page.getByRole('button', { name: 'Create claim code' }).click();
    const command = await page.getByTestId('provision-command').inputValue();
    expect(command).toMatch(
      new RegExp(`^pnpm edge provision --cloud ${stack.url} --code [A-Z0-9]{4}-[A-Z0-9]{4} --name 'Gate 7'$`),
    );
    await page.getByTestId('provision-qr').waitFor();
    const countdown = page.getByTestId('countdown');
    const first = await countdown.textContent();
    expect(first).toMatch(/^expires in (59:5\d|1:00:00)$/);
    await expect.poll(() => countdown.textContent(), { timeout: 5_000 }).not.toBe(first);

    // The command as shown, run by a shell on "the box" (here, with a temporary data directory).
    const run = spawnSync('bash', ['-c', `${command} --data-dir ${dataDir}`], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    provisionedId = /as device (dev-[a-z0-9]+)/.exec(run.stdout)![1]!;

    // The new box shows up by itself while its code is still on screen (no reload).
    const card = page.getByTestId(`device-${provisionedId}`);
    await card.waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await card.getByRole('heading').textContent()).toBe('Gate 7');
    expect(await card.textContent()).toContain('never connected');
    // The used code is no longer open; an installer has no rotate or revoke.
    expect(await page.getByTestId(/^claim-/).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Rotate credentials' }).count()).toBe(0);
    await context.close();
  }, 90_000);

  it('an installer revokes an open code; the real provision route then refuses it', async () => {
    const { context, page } = await phone(installer);
    await page.getByLabel('Box name').fill('Spare');
    await page.getByRole('button', { name: 'Create claim code' }).click();
    const code = (await page.getByTestId('claim-code').textContent())!;
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.getByTestId(/^claim-/).filter({ hasText: 'Spare' });
    await row.waitFor();
    expect(await row.textContent()).toContain(`${code.slice(0, 2)}··-····`);
    expect(await row.textContent()).not.toContain(code);
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Revoke the code for Spare' }).click();
    await page.getByText('No open claim codes.').waitFor({ timeout: 15_000 });
    const res = await fetch(`${stack.url}/api/provision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, name: 'Spare' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('TALLY_CLAIM_CODE_INVALID');
    await context.close();
  }, 60_000);

  it('a manager rotates the box credentials and revokes it, each confirmed by typing its name', async () => {
    const { context, page } = await phone(stack.manager);
    const card = page.getByTestId(`device-${provisionedId}`);
    await card.getByRole('button', { name: 'Rotate credentials' }).click();
    const rotate = card.getByRole('dialog', { name: 'Rotate the credentials of “Gate 7”?' });
    const confirmRotate = rotate.getByRole('button', { name: 'Rotate credentials' });
    await rotate.getByRole('textbox').fill('Gate');
    expect(await confirmRotate.isDisabled()).toBe(true);
    await rotate.getByRole('textbox').fill('Gate 7');
    await confirmRotate.click();
    const password = (await card.getByTestId('new-password').textContent())!;
    expect(password.length).toBeGreaterThanOrEqual(40);
    // The provisioned password (in the box's data dir) is not what the page shows: a new one was made.
    expect(readFileSync(join(dataDir, 'tally-edge.db')).includes(Buffer.from(password))).toBe(false);
    await card.getByRole('button', { name: 'Done' }).click();
    // The panel closes on the next render, not within the click: wait for it to go (fails after 5 s if it stays).
    await card.getByTestId('new-password').waitFor({ state: 'detached', timeout: 5_000 });

    await card.getByRole('button', { name: 'Revoke' }).click();
    const revoke = card.getByRole('dialog', { name: 'Revoke “Gate 7”?' });
    await revoke.getByRole('textbox').fill('Gate 7');
    await revoke.getByRole('button', { name: 'Revoke Gate 7' }).click();
    await card.locator('.pill.revoked').waitFor({ timeout: 15_000 });
    const device = await stack.api<Device>(stack.manager, 'GET', `/devices/${provisionedId}`);
    expect(device.revoked).toBe(true);
    const audit = await stack.api<{ action: string; targetId: string }[]>(stack.owner, 'GET', '/audit');
    const mine = audit.filter((a) => a.targetId === provisionedId).map((a) => a.action);
    expect(mine).toEqual(expect.arrayContaining(['device.rotate_credentials', 'device.revoke']));
    await context.close();
  }, 60_000);

  it('an owner uploads the real model with a progress bar; the sha256 shown is the file’s', async () => {
    const { context, page } = await phone(stack.owner);
    await page.goto(`${stack.url}/models`);
    await page.getByLabel('ONNX file').setInputFiles(MODEL);
    await page.getByRole('button', { name: 'Upload model' }).click();
    const done = page.getByTestId('upload-done');
    await done.waitFor({ timeout: 30_000 });
    const sha = createHash('sha256').update(readFileSync(MODEL)).digest('hex');
    expect(await done.textContent()).toContain(sha);
    expect(await done.textContent()).toContain('Matches the file as this browser read it');
    expect(await page.getByTestId('upload-progress').getAttribute('value')).toBe(
      String(readFileSync(MODEL).length),
    );
    const models = await stack.api<Model[]>(stack.owner, 'GET', '/models');
    expect(models.map((m) => m.sha256)).toContain(sha);
    await page.getByTestId(`fleet-${stack.deviceId}`).waitFor();
    await context.close();
    expect(errors).toEqual([]);
  }, 60_000);
});
