import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * End to end, every part real: the cloud (PGlite + embedded aedes) serving the built dashboard, claim-code
 * provisioning, config pushed over MQTT, the edge agent running YOLOX-Nano on vtest.avi in a worker, sync,
 * exactly-once ingest, rollups and the analytics API. It runs `pnpm demo` itself, twice, as a user would.
 */
const root = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'tally-demo-test-'));

function demo(seconds: number) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/demo.ts', '--duration', String(seconds), '--data-dir', dataDir, '--json'],
    { cwd: root, encoding: 'utf8', timeout: 420_000 }, // generous: a busy 2-core machine
  );
  expect(r.status, r.stderr).toBe(0);
  return { summary: JSON.parse(r.stdout.trim().split('\n').at(-1)!), log: r.stderr };
}

describe('pnpm demo', () => {
  it('counts people on the real video, the cloud reports them, and a second run carries on', () => {
    const first = demo(25);
    expect(first.summary.configStatus).toBe('applied');
    expect(first.summary.deviceStatus).toBe('online');
    // People walk through the lower plaza from the first seconds of the video.
    expect(first.summary.zoneEvents).toBeGreaterThan(0);
    expect(first.summary.zonePeak).toBeGreaterThan(0);
    expect(first.log).toContain(`dashboard: ${first.summary.dashboardUrl}`);
    expect(first.log).toMatch(/sign in as owner@demo\.tally \/ demo-password-1/);

    const second = demo(10);
    expect(second.log).toContain('reusing the demo folder');
    // Same ports (the box was provisioned with them) and the same data: the counts carry on.
    expect(second.summary.dashboardUrl).toBe(first.summary.dashboardUrl);
    expect(second.summary.zoneEvents).toBeGreaterThanOrEqual(first.summary.zoneEvents);
    expect(second.summary.configStatus).toBe('applied');
  }, 900_000);
});
