import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Device, Rule } from '@tally/proto';
import { assets, requireAsset } from '@tally/proto/assets';
import { collectErrors, launchChromium, signIn } from '../dashboard/browser';
import { provisionAgent, runAgent, type RealAgent } from '../dashboard/real-agent';
import { startDashboardStack, type DashboardStack } from '../dashboard/stack';

/**
 * Issue 11 item 1 end to end: in Chromium at phone size with touch, against a real `cloud serve` on PostgreSQL and
 * a real edge agent (provisioned with a claim code through the edge CLI) counting ../shared/media/vtest.avi with
 * the real model. The installer asks the box for a snapshot, draws a line across the path people walk along and a
 * zone with taps, saves, sees the box apply it, and the new line's counts appear on the site page.
 */
let stack: DashboardStack;
let agent: RealAgent;
let browser: Browser;
let deviceId: string;
let cameraId: string;
const work = mkdtempSync(join(tmpdir(), 'tally-setup-e2e-'));
const installer = { email: 'installer@example.com', password: 'installer-password-1' };
const errors: string[] = [];
const started = Date.now();
const log = (m: string) => console.error(`[setup-e2e] ${m}`);

beforeAll(async () => {
  const video = requireAsset(assets.video());
  stack = await startDashboardStack({ log });
  const { owner, siteId } = stack;
  await stack.api(owner, 'POST', '/users', { ...installer, role: 'installer', siteIds: [siteId] });
  const claim = await stack.api<{ code: string }>(owner, 'POST', `/sites/${siteId}/claim-codes`, {});
  deviceId = provisionAgent({ cloudUrl: stack.url, code: claim.code, name: 'Path box', workDir: work });
  // The camera itself is set up through the API (the source form is tested in the dashboard's component tests).
  const created = await stack.api<{ camera: { id: string } }>(owner, 'POST', `/devices/${deviceId}/cameras`, {
    key: 'path-cam',
    name: 'Path camera',
    setup: {
      source: { url: video, loop: true },
      fps: 10,
      detectFps: 5,
      inputSize: { width: 768, height: 576 },
      classes: ['person'],
      scoreThreshold: 0.3,
    },
  });
  cameraId = created.camera.id;
  agent = runAgent({ deviceId, workDir: work });
  browser = await launchChromium();
  // A snapshot needs the camera running: wait for the box to apply its config and report the camera live.
  const deadline = Date.now() + 120_000;
  let state = '';
  while (state !== 'applied live') {
    if (Date.now() > deadline)
      throw new Error(`the box never ran its camera (last: ${state}); see ${agent.logFile}`);
    await new Promise((r) => setTimeout(r, 1000));
    const d = await stack.api<Device>(owner, 'GET', `/devices/${deviceId}`);
    state = `${d.config.status} ${d.health?.cameras[0]?.state ?? 'no heartbeat'}`;
  }
  log(`stack and agent up in ${((Date.now() - started) / 1000).toFixed(1)} s (agent log ${agent.logFile})`);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await agent?.stop();
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
  log(`whole run ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 60_000);

/** Taps the picture at a camera point, through the SVG's box (the box has the frame's aspect: no bars). */
async function tapAt(page: Page, x: number, y: number) {
  const box = (await page.getByTestId('rule-canvas').boundingBox())!;
  await page.touchscreen.tap(box.x + x * box.width, box.y + y * box.height);
}

describe('camera setup on a phone, end to end', () => {
  it('installer: snapshot, draw a line and a zone, save, applied, and the line counts on the site page', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
      locale: 'en-GB',
    });
    const page = await context.newPage();
    errors.push(...collectErrors(page));
    onTestFailed(async () => {
      const alerts = await page
        .getByRole('alert')
        .allTextContents()
        .catch(() => []);
      log(`on the page: ${JSON.stringify(alerts)}`);
      log(`agent log, last lines:\n${readFileSync(agent.logFile, 'utf8').split('\n').slice(-25).join('\n')}`);
    });
    await page.goto(`${stack.url}/sites/${stack.siteId}/camera-setup?device=${deviceId}`);
    await signIn(page, installer);
    await page.getByTestId('rule-canvas').waitFor({ timeout: 30_000 });

    await page.getByRole('button', { name: 'Fresh snapshot' }).tap();
    await page.getByAltText('Camera snapshot').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('snapshot-age').textContent()).toMatch(/Snapshot taken/);
    const image = await page.getByAltText('Camera snapshot').evaluate((img) => {
      const { naturalWidth, naturalHeight } = img as unknown as {
        naturalWidth: number;
        naturalHeight: number;
      };
      return [naturalWidth, naturalHeight];
    });
    expect(image).toEqual([768, 576]);

    // People walk left and right along the path: a line down the middle of the picture, top to bottom.
    await page.getByRole('button', { name: 'Add line' }).tap();
    await tapAt(page, 0.5, 0.15);
    await tapAt(page, 0.5, 0.95);
    // A zone over the lower part of the path, tap by tap, closed on its first corner.
    await page.getByRole('button', { name: 'Add zone' }).tap();
    for (const [x, y] of [
      [0.05, 0.6],
      [0.95, 0.6],
      [0.95, 0.95],
      [0.05, 0.95],
      [0.05, 0.6],
    ] as const) {
      await tapAt(page, x, y);
    }
    await page.getByLabel('Name of line-1').fill('Middle of the path');
    await page.getByRole('button', { name: 'Save lines and zones' }).tap();
    await expect
      .poll(() => page.getByTestId('config-latest').textContent(), { timeout: 60_000, interval: 500 })
      .toMatch(/Version \d+: applied/);

    // Where the finger landed is what the cloud stores (normalised, the contract's coordinates).
    const rules = await stack.api<Rule[]>(installer, 'GET', `/cameras/${cameraId}/rules`);
    const line = rules.find((r) => r.key === 'line-1')!;
    const zone = rules.find((r) => r.key === 'zone-1')!;
    expect(line.name).toBe('Middle of the path');
    const { p1, p2 } = line.definition as { p1: { x: number; y: number }; p2: { x: number; y: number } };
    for (const [got, want] of [
      [p1, { x: 0.5, y: 0.15 }],
      [p2, { x: 0.5, y: 0.95 }],
    ] as const) {
      expect(Math.abs(got.x - want.x)).toBeLessThan(0.01);
      expect(Math.abs(got.y - want.y)).toBeLessThan(0.01);
    }
    expect((zone.definition as { polygon: unknown[] }).polygon).toHaveLength(4);

    await page.getByRole('link', { name: 'Site', exact: true }).tap();
    const counter = page.getByTestId('counter-line-1');
    await counter.waitFor({ timeout: 30_000 });
    const total = async () =>
      Number((await counter.getByTestId('counter-in').textContent())?.replace(/\D/g, '') || 0) +
      Number((await counter.getByTestId('counter-out').textContent())?.replace(/\D/g, '') || 0);
    await expect.poll(total, { timeout: 120_000, interval: 1000 }).toBeGreaterThan(0);
    await context.close();
  }, 300_000);

  it('a viewer cannot reach the setup page, and nothing logged an error', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
    const page = await context.newPage();
    errors.push(...collectErrors(page));
    await page.goto(`${stack.url}/sites/${stack.siteId}/camera-setup`);
    await signIn(page, stack.viewer);
    await page.getByTestId('forbidden').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('rule-canvas').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Setup', exact: true }).count()).toBe(0);
    await context.close();
    expect(errors).toEqual([]);
    // The camera's password-free URL aside, the agent never logged a secret: its own credentials stay out.
    expect(readFileSync(agent.logFile, 'utf8')).not.toMatch(/"password"\s*:\s*"[^*]/);
  }, 60_000);
});
