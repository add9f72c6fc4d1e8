import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@tally/proto/log';
import { Agent } from '../../src/agent';
import { parseSettings } from '../../src/config/load-settings';
import { CloudIngest } from '../helpers/cloud-ingest';
import { freePort, startAedes, startMosquitto } from '../helpers/brokers';
import { camera, configFor } from '../helpers/configs';
import { syntheticRunners } from '../helpers/synthetic-runner';
import { tempDir, waitFor } from '../helpers/temp-dir';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const log = createLogger('broker-down', 'silent');

/** A broker the test can take down and bring back on the same port. */
interface KillableBroker {
  url: string;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

const BROKERS: { name: string; start: () => Promise<KillableBroker> }[] = [
  {
    // Our own Mosquitto process: the system one on 1883 cannot be stopped by a test.
    name: 'Mosquitto (own process, killed with SIGKILL)',
    start: async () => {
      const m = await startMosquitto();
      return { url: m.url, down: m.kill, up: m.restart, close: m.kill };
    },
  },
  {
    name: 'embedded aedes (closed and restarted)',
    start: async () => {
      const port = await freePort();
      let b = await startAedes({ port });
      let up = true;
      return {
        url: b.url,
        down: async () => {
          up = false;
          await b.close();
        },
        up: async () => {
          b = await startAedes({ port });
          up = true;
        },
        close: async () => {
          if (up) await b.close();
        },
      };
    },
  },
];

describe.each(BROKERS)('fault: the broker is down during counting — $name', ({ start }) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
  });

  it('every event counted while it was down arrives once after it returns', async () => {
    const broker = await start();
    cleanups.push(() => broker.close());
    const consumer = new CloudIngest(broker.url);
    await consumer.start();
    cleanups.push(() => consumer.stop());
    const t = tempDir('broker-down');
    cleanups.push(t.remove);
    const deviceId = `dev-down-${Math.random().toString(16).slice(2, 8)}`;
    const configFile = join(t.dir, 'device.json');
    writeFileSync(configFile, JSON.stringify(configFor(deviceId, 1, [camera('cam-a')])));
    const runners = syntheticRunners();
    const agent = new Agent({
      settings: parseSettings(
        {
          dataDir: t.dir,
          deviceId,
          deviceConfigFile: configFile,
          mqtt: { url: broker.url, reconnectPeriodMs: 200 },
          sync: { batchSize: 50, cycleMs: 20, ackTimeoutMs: 2000 },
          health: { enabled: false },
        },
        t.dir,
      ),
      runnerFactory: runners.factory,
      log,
    });
    await agent.start();
    cleanups.push(() => agent.stop());
    const cam = runners.live('cam-a')!;

    cam.emit(100);
    await waitFor(() => consumer.ackedFor(deviceId) === 100, 'first 100 acknowledged');

    await broker.down();
    await waitFor(() => !agent.link!.connected, 'agent notices the broker is gone');
    for (let i = 0; i < 30; i++) cam.emit(10); // counting goes on: 300 events into the store
    // 300 new events, plus any whose ack was on its way when the broker went down.
    expect(agent.store.events.backlog()).toBeGreaterThanOrEqual(300);

    await broker.up();
    await waitFor(
      () => consumer.ackedFor(deviceId) === 400,
      'all 400 acknowledged after the broker returned',
      60_000,
    );
    expect(await consumer.stored(deviceId)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    // Exactly once where a duplicate would show: the cloud's analytics count what the edge counted.
    expect(await consumer.counted(deviceId)).toBe(400);
    await waitFor(() => agent.store.events.backlog() === 0, 'backlog empty');
  }, 120_000);
});
