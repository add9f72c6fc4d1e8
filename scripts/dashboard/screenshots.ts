import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, signIn, SIZES } from './browser';
import type { DashboardStack } from './stack';

interface Shot {
  name: string;
  path: (s: DashboardStack) => string;
  /** What must be on screen before the picture is taken. */
  ready: (page: Page) => Promise<unknown>;
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
    name: 'devices',
    path: (s) => `/sites/${s.siteId}/devices`,
    ready: (p) => p.getByText('Last heartbeat').first().waitFor(),
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

/**
 * Signs in as the site's manager and writes a full-page PNG of the sign-in page and every page at phone and desktop
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
  for (const [size, viewport] of Object.entries(SIZES)) {
    // The box reports as a live agent does (occupancy every second, heartbeats): current, not stale, values.
    await stack.sim.sendOccupancy(stack.cameraKey, stack.zoneKey, { person: 4 });
    await stack.sim.sendHeartbeat([{ cameraId: stack.cameraKey, fps: 9.8 }]);
    const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: stack.timezone });
    const page = await context.newPage();
    errors.push(...collectErrors(page));
    await page.goto(`${stack.url}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const signInPath = join(outDir, `sign-in-${size}.png`);
    await page.screenshot({ path: signInPath, fullPage: true });
    paths.push(signInPath);
    await signIn(page, stack.manager);
    for (const shot of SHOTS) {
      await page.goto(`${stack.url}${shot.path(stack)}`);
      await shot.ready(page);
      // Let charts lay out (ResponsiveContainer measures after the first paint).
      await page.waitForLoadState('networkidle').catch(() => {});
      const path = join(outDir, `${shot.name}-${size}.png`);
      await page.screenshot({ path, fullPage: true });
      paths.push(path);
    }
    await context.close();
  }
  return { paths, errors };
}
