import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@tally/proto/log';
import { Agent } from '../../src/agent';
import { parseSettings } from '../../src/config/load-settings';
import { camera, configFor } from '../helpers/configs';
import { syntheticRunners } from '../helpers/synthetic-runner';
import { tempDir } from '../helpers/temp-dir';

const log = createLogger('local-config', 'silent');

/** Installers without a cloud: a proto DeviceConfig file next to the settings, no broker at all. */
describe('local config file, no cloud', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
  });

  async function run(dir: string, file: string) {
    const runners = syntheticRunners();
    const agent = new Agent({
      settings: parseSettings({ dataDir: dir, deviceConfigFile: file, health: { enabled: false } }, dir),
      runnerFactory: runners.factory,
      log,
    });
    await agent.start();
    cleanups.push(() => agent.stop());
    return { agent, runners };
  }

  it('runs the file, counts locally, and restarts from the stored config when the file turns bad', async () => {
    const t = tempDir('local');
    cleanups.push(t.remove);
    const file = join(t.dir, 'device.json');
    writeFileSync(file, JSON.stringify(configFor('dev-local', 1, [camera('cam-a'), camera('cam-b')])));
    const first = await run(t.dir, file);
    expect(first.agent.deviceId).toBe('dev-local'); // taken from the file: never provisioned
    expect(first.agent.link).toBeUndefined();
    expect(first.agent.configs.applied?.version).toBe(1);
    first.runners.live('cam-a')!.emit(3);
    expect(first.agent.store.events.lastSeq()).toBe(3);
    await first.agent.stop();
    cleanups.pop();

    // A broken edit: the agent reports it and keeps running the last good config from its database.
    writeFileSync(
      file,
      JSON.stringify({ ...configFor('dev-local', 2, [camera('cam-a')]), cameras: [{ id: 'cam-a' }] }),
    );
    const second = await run(t.dir, file);
    expect(second.agent.configs.applied?.version).toBe(1);
    expect(second.runners.live('cam-a')?.started).toBe(true);
    expect(second.runners.live('cam-b')?.started).toBe(true);
    expect(second.agent.store.configs.history()[0]).toMatchObject({
      version: 2,
      source: 'file',
      status: 'rejected',
    });
    second.runners.live('cam-b')!.emit(2);
    expect(second.agent.store.events.lastSeq()).toBe(5); // seq continues across restarts
  });
});
