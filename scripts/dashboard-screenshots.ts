/**
 * `pnpm dashboard:screenshots [--out DIR]`: starts the dashboard's real stack on free ports (cloud on a scratch
 * PostgreSQL database, a provisioned device simulator), seeds it, and writes a PNG of every page at 360×740 and
 * 1440×900 into DIR (default dashboard/screenshots/), printing their paths. Exit 0 done, 2 bad input, 1 failure.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from './dashboard/browser';
import { takeScreenshots } from './dashboard/screenshots';
import { startDashboardStack } from './dashboard/stack';

async function main(): Promise<number> {
  let out: string;
  try {
    const { values } = parseArgs({ options: { out: { type: 'string' } } });
    out = resolve(values.out ?? resolve(import.meta.dirname, '../dashboard/screenshots'));
  } catch (err) {
    console.error(`${(err as Error).message}\nhint: pnpm dashboard:screenshots [--out DIR]`);
    return 2;
  }
  const stack = await startDashboardStack({
    alertRule: true,
    log: (m) => console.error(`[screenshots] ${m}`),
  });
  const browser = await launchChromium();
  try {
    const { paths, errors } = await takeScreenshots(stack, browser, out);
    for (const p of paths) console.log(p);
    if (errors.length) {
      console.error(`browser console errors:\n${errors.join('\n')}`);
      return 1;
    }
    return 0;
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error((err as Error).stack ?? String(err));
    process.exit(1);
  },
);
