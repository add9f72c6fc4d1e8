import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alive, waitUntil } from '@tally/proto/test-process';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `pnpm edge run` as an operator or a supervisor starts it: node under pnpm and a shell. A SIGTERM to pnpm alone
 * ends pnpm and never reaches node, which used to keep running (cameras, health port, the store) with nobody to stop
 * it. A local-only box (a device id, no cloud, no cameras) is enough to see it stop.
 */
describe('`pnpm edge run` stopped through pnpm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-pnpm-run-'));
  let nodePid: number | undefined;
  afterAll(() => {
    // Only if the test failed: the node it left behind.
    if (nodePid !== undefined && alive(nodePid)) process.kill(nodePid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM to the pnpm process stops the agent too, in order', async () => {
    const settings = join(dir, 'settings.json');
    writeFileSync(settings, JSON.stringify({ dataDir: dir, deviceId: 'dev-local', health: { port: 0 } }));
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const pnpm = spawn('pnpm', ['edge', 'run', '--config', settings], { cwd: root, env: process.env });
    let log = '';
    pnpm.stdout.on('data', (c: Buffer) => (log += c.toString()));
    pnpm.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const running = await waitUntil(
      () => /"pid":(\d+)[^\n]*"msg":"agent running"/.exec(log),
      'the agent running',
      120_000,
    );
    nodePid = Number(running[1]);
    expect(nodePid).not.toBe(pnpm.pid);
    pnpm.kill('SIGTERM');
    await waitUntil(() => !alive(nodePid!), `node (pid ${nodePid}) to exit`, 60_000);
    // It stopped as the agent stops (not killed): the last log lines say so.
    expect(log).toMatch(/"msg":"stopping"/);
    expect(log).toMatch(/"msg":"stopped"/);
  }, 300_000);
});
