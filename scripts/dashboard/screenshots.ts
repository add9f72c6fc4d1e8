import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, signIn, SIZES } from './browser';
import type { Account, DashboardStack } from './stack';

const MODEL_FILE = resolve(import.meta.dirname, '../../../shared/models/yolox_nano.onnx');

interface Shot {
  name: string;
  path: (s: DashboardStack) => string;
  /** What must be on screen before the picture is taken (and what to do first, e.g. make a claim code). */
  ready: (page: Page) => Promise<unknown>;
  /** Who takes it: the site's manager unless the page is for the organisation's owner or admins. */
  as?: 'owner';
}

const SHOTS: Shot[] = [
  { name: 'overview', path: () => '/', ready: (p) => p.getByTestId('today-in').first().waitFor() },
  {
    name: 'site',
    path: (s) => `/sites/${s.siteId}?range=last-7-days&by=none&kind=line_cross`,
    ready: async (p) => {
      await p.getByTestId('live-counters').waitFor();
      await p.getByTestId('counts-table').waitFor();
      await p.getByTestId('occupancy-table').waitFor();
    },
  },
  {
    name: 'alerts',
    path: (s) => `/sites/${s.siteId}/alerts`,
    ready: (p) => p.getByRole('heading', { name: 'Open' }).waitFor(),
  },
  {
    name: 'alert-rules',
    path: (s) => `/sites/${s.siteId}/alert-rules`,
    ready: (p) => p.getByTestId('alert-rules').waitFor(),
  },
  {
    name: 'alert-rule-form',
    path: (s) => `/sites/${s.siteId}/alert-rules`,
    ready: async (p) => {
      await p.getByRole('button', { name: 'New rule' }).click();
      await p.getByTestId('rule-form').waitFor();
    },
  },
  {
    name: 'devices',
    path: (s) => `/sites/${s.siteId}/devices`,
    ready: (p) => p.getByText('Last heartbeat').first().waitFor(),
  },
  {
    name: 'devices-claim-code',
    path: (s) => `/sites/${s.siteId}/devices`,
    ready: async (p) => {
      await p.getByLabel('Box name').fill('Gate 7');
      await p.getByRole('button', { name: 'Create claim code' }).click();
      await p.getByTestId('provision-qr').waitFor();
    },
  },
  {
    name: 'devices-confirm-revoke',
    path: (s) => `/sites/${s.siteId}/devices`,
    ready: async (p) => {
      const box = p.getByTestId(/^device-/).first();
      await box.getByRole('button', { name: 'Revoke', exact: true }).click();
      await box.getByRole('dialog').waitFor();
    },
  },
  {
    name: 'models',
    path: () => '/models',
    as: 'owner',
    ready: async (p) => {
      await p.getByRole('heading', { name: 'Which box runs which model' }).waitFor();
      // The first size uploads the real detector model (progress and sha256 on screen); the next shows it listed.
      if ((await p.getByTestId('model-yolox-nano').count()) === 0) {
        await p.getByLabel('ONNX file').setInputFiles(MODEL_FILE);
        await p.getByRole('button', { name: 'Upload model' }).click();
        await p.getByTestId('upload-done').waitFor({ timeout: 60_000 });
      }
    },
  },
  {
    name: 'users',
    path: () => '/users',
    ready: (p) => p.getByTestId('users-table').waitFor(),
    as: 'owner',
  },
  {
    name: 'audit',
    path: () => '/audit',
    ready: (p) => p.getByTestId('audit-table').waitFor(),
    as: 'owner',
  },
  {
    name: 'camera-setup',
    path: (s) => `/sites/${s.siteId}/camera-setup?device=${s.deviceId}&camera=${s.cameraKey}`,
    ready: async (p) => {
      await p.getByTestId('rule-canvas').waitFor();
      await p.getByAltText('Camera snapshot').waitFor();
      await p.getByTestId('config-latest').waitFor();
    },
  },
  {
    name: 'account',
    path: () => '/account',
    ready: (p) => p.getByRole('heading', { name: 'Change password' }).waitFor(),
  },
];

/** How many PNGs takeScreenshots writes: the sign-in page and every page, at each size. */
export const SHOT_COUNT = (SHOTS.length + 1) * Object.keys(SIZES).length;

/**
 * Signs in as the site's manager (the owner for organisation pages) and writes a full-page PNG of the sign-in page and every page at phone and desktop
 * size into `outDir`. Returns the paths and any console errors seen.
 */
export async function takeScreenshots(
  stack: DashboardStack,
  browser: Browser,
  outDir: string,
): Promise<{ paths: string[]; errors: string[] }> {
  mkdirSync(outDir, { recursive: true });
  const paths: string[] = [];
  const errors: string[] = [];
  // The owner's pages from a second session (the manager cannot open them), signed in once: sign-ins are rate
  // limited per address.
  const ownerContext = await browser.newContext({ locale: 'en-GB', timezoneId: stack.timezone });
  const ownerPage = await ownerContext.newPage();
  errors.push(...collectErrors(ownerPage));
  await ownerPage.goto(`${stack.url}/`);
  await signIn(ownerPage, stack.owner);
  for (const [size, viewport] of Object.entries(SIZES)) {
    // The box reports as a live agent does (occupancy every second, heartbeats): current, not stale, values.
    await stack.sim.sendOccupancy(stack.cameraKey, stack.zoneKey, { person: 4 });
    await stack.sim.sendHeartbeat([{ cameraId: stack.cameraKey, fps: 9.8 }]);
    const open = async (account: Account) => {
      const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: stack.timezone });
      const page = await context.newPage();
      errors.push(...collectErrors(page));
      await page.goto(`${stack.url}/`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      return { context, page, signIn: () => signIn(page, account) };
    };
    const manager = await open(stack.manager);
    const signInPath = join(outDir, `sign-in-${size}.png`);
    await manager.page.screenshot({ path: signInPath, fullPage: true });
    paths.push(signInPath);
    await manager.signIn();
    await ownerPage.setViewportSize(viewport);
    for (const shot of SHOTS) {
      const page = shot.as === 'owner' ? ownerPage : manager.page;
      await page.goto(`${stack.url}${shot.path(stack)}`);
      await shot.ready(page);
      // Let charts lay out (ResponsiveContainer measures after the first paint).
      await page.waitForLoadState('networkidle').catch(() => {});
      const path = join(outDir, `${shot.name}-${size}.png`);
      await page.screenshot({ path, fullPage: true });
      paths.push(path);
    }
    await manager.context.close();
  }
  await ownerContext.close();
  return { paths, errors };
}
