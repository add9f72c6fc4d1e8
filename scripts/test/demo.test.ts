import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * End to end, every part real: the cloud (PGlite + embedded aedes), claim-code provisioning, config pushed over
 * MQTT, the edge agent running YOLOX-Nano on vtest.avi in a worker, sync, exactly-once ingest, rollups and the
 * analytics API. It runs `pnpm demo` itself, as a user would.
 */
describe('pnpm demo', () => {
  it('counts people on the real video and the cloud reports them', () => {
    const root = resolve(import.meta.dirname, '../..');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/demo.ts', '--seconds', '25', '--json'],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 240_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(summary.configStatus).toBe('applied');
    expect(summary.deviceStatus).toBe('online');
    // People walk through the lower plaza from the first seconds of the video.
    expect(summary.zoneEvents).toBeGreaterThan(0);
    expect(summary.zonePeak).toBeGreaterThan(0);
  }, 300_000);
});
