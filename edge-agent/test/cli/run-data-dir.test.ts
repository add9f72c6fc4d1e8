/**
 * `provision --data-dir D` prints `run --data-dir D` as the next step: the daemon must start from that alone (no
 * settings file) or with a settings file whose dataDir the flag overrides. Runs the real CLI in a child process.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings, parseSettings } from '../../src/config/load-settings';
import { tempDir, waitFor } from '../helpers/temp-dir';

const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');

/** Starts `tally-edge run …`, waits for its store to appear in `dataDir`, stops it with SIGTERM; its exit code. */
async function runUntilStoreExists(args: string[], dataDir: string): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'run', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  try {
    await waitFor(() => existsSync(join(dataDir, 'tally-edge.db')), 'the agent to create its store', 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`the agent did not create its store in ${dataDir}: ${stderr.slice(-2000)}`, {
      cause: err,
    });
  }
  child.kill('SIGTERM');
  return exited;
}

describe('tally-edge run --data-dir', () => {
  const t = tempDir('run-data-dir');
  afterAll(() => t.remove());

  it('overrides the settings file: the store is created in the given folder, not in the file’s dataDir', async () => {
    const fileDir = join(t.dir, 'from-file');
    const flagDir = join(t.dir, 'from-flag');
    const settingsFile = join(t.dir, 'settings.json');
    writeFileSync(
      settingsFile,
      JSON.stringify({ dataDir: fileDir, deviceId: 'local-box', health: { port: 0 } }),
    );
    expect(await runUntilStoreExists(['--config', settingsFile, '--data-dir', flagDir], flagDir)).toBe(0);
    expect(existsSync(join(fileDir, 'tally-edge.db'))).toBe(false);
  }, 90_000);

  it('settings without a file are the defaults with the given folder', () => {
    const settings = parseSettings({ dataDir: 'box' }, t.dir);
    expect(settings.dataDir).toBe(join(t.dir, 'box'));
    expect(settings.health.port).toBe(parseSettings({}, t.dir).health.port);
  });

  it('a settings file that is not an object is refused with its name', () => {
    const file = join(t.dir, 'list.json');
    writeFileSync(file, '[1,2]');
    expect(() => loadSettings(file)).toThrow(/must hold a JSON object/);
  });
});
