import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '@tally/proto/log';
import { openStore } from '../../src/store';
import { CloudIngest } from '../helpers/cloud-ingest';
import { camera, configFor } from '../helpers/configs';
import { tempDir, waitFor } from '../helpers/temp-dir';

const CHILD = resolve(import.meta.dirname, 'agent-child.ts');
const REPO = resolve(import.meta.dirname, '../../..');
const BROKER = 'mqtt://127.0.0.1:1883'; // the system Mosquitto

function startChild(settingsFile: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, settingsFile], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const state = { ready: false, lastStored: 0 };
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const line of lines) {
      if (line === 'ready') state.ready = true;
      const m = /^stored (\d+)$/.exec(line);
      if (m) state.lastStored = Math.max(state.lastStored, Number(m[1]));
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  return { child, state, exited };
}

describe('fault: the agent is SIGKILLed in the middle of sending, then restarted (Mosquitto 127.0.0.1:1883)', () => {
  const t = tempDir('sigkill');
  const deviceId = `dev-kill-${Math.random().toString(16).slice(2, 8)}`;
  const consumer = new CloudIngest(BROKER, { devices: [deviceId], database: 'postgres' });
  const children: ChildProcess[] = [];
  afterAll(async () => {
    children.forEach((c) => c.exitCode === null && c.kill('SIGKILL'));
    await consumer.stop();
    t.remove();
  });

  it('loses nothing that was stored and stores nothing twice', async () => {
    await consumer.start();
    const configFile = join(t.dir, 'device.json');
    writeFileSync(configFile, JSON.stringify(configFor(deviceId, 1, [camera('cam-a')])));
    const settingsFile = join(t.dir, 'settings.json');
    writeFileSync(
      settingsFile,
      JSON.stringify({
        dataDir: join(t.dir, 'data'),
        deviceId,
        deviceConfigFile: configFile,
        mqtt: { url: BROKER, reconnectPeriodMs: 200 },
        sync: { batchSize: 100, cycleMs: 20, ackTimeoutMs: 3000 },
        health: { enabled: false },
      }),
    );

    // 1. Counting at 2,000 events/s while the outbox sends; kill it once some are acknowledged and more are not.
    const first = startChild(settingsFile, { EMIT_BATCH: '20', EMIT_EVERY_MS: '10' });
    children.push(first.child);
    await waitFor(() => first.state.ready, 'agent ready', 60_000);
    await waitFor(
      () => consumer.ackedFor(deviceId) >= 300 && first.state.lastStored >= 1500,
      'acks under way',
      60_000,
    );
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const reportedStored = first.state.lastStored;

    // 2. What survived: every batch the process reported as stored is in the database (WAL, synchronous=FULL).
    const store = openStore(join(t.dir, 'data'), 1 << 30, createLogger('check', 'silent'));
    const lastSeq = store.events.lastSeq();
    const ackedBefore = store.events.syncState().ackedSeq;
    store.close();
    expect(lastSeq).toBeGreaterThanOrEqual(reportedStored);
    expect(ackedBefore).toBeLessThan(lastSeq); // it really died with unacknowledged events

    // 3. Restarted without new events: the backlog drains, each seq stored exactly once by the consumer.
    const second = startChild(settingsFile, { EMIT_BATCH: '0' });
    children.push(second.child);
    await waitFor(() => consumer.ackedFor(deviceId) === lastSeq, `ack of all ${lastSeq} events`, 90_000);
    const stored = await consumer.stored(deviceId);
    expect(stored.length).toBe(lastSeq);
    expect(stored).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    expect(consumer.deliveries).toBeGreaterThanOrEqual(lastSeq);
    // Exactly once where a duplicate would show: the cloud's analytics total equals the edge's own count.
    expect(await consumer.counted(deviceId)).toBe(lastSeq);

    // 4. SIGTERM is a graceful stop: exit code 0.
    await waitFor(() => second.state.ready, 'second agent ready', 60_000);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 240_000);
});
