import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings, parseSettings, SettingsError } from '../../src/config/load-settings';
import { tempDir } from '../helpers/temp-dir';

describe('agent settings file', () => {
  it('fills every default from an empty object, resolves paths against the file, and freezes the result', () => {
    const s = parseSettings(
      { dataDir: 'data', deviceConfigFile: 'device.json', mqtt: { caFile: 'ca.pem' } },
      '/etc/tally',
    );
    expect(s).toMatchObject({
      dataDir: '/etc/tally/data',
      deviceConfigFile: '/etc/tally/device.json',
      mqtt: { caFile: '/etc/tally/ca.pem', reconnectPeriodMs: 2000, keepaliveS: 30 },
      sync: { batchSize: 500, backfillRatePerS: 5000, ackTimeoutMs: 30_000, heartbeatIntervalS: 30 },
      store: { diskBudgetBytes: 1_073_741_824 },
      health: { enabled: true, host: '127.0.0.1', port: 9464 },
    });
    expect(Object.isFrozen(s.sync)).toBe(true);
    expect(parseSettings({}, '/x').dataDir).toBe('/var/lib/tally-edge');
  });

  it('rejects unknown keys and bad values, naming the field', () => {
    expect(() => parseSettings({ sync: { batchsize: 10 } }, '/x')).toThrow(/\/sync\/batchsize/);
    expect(() => parseSettings({ sync: { batchSize: 0 } }, '/x')).toThrow(/\/sync\/batchSize/);
    expect(() => parseSettings({ detector: { threads: 0 } }, '/x')).toThrow(/\/detector\/threads/);
    expect(parseSettings({ detector: { threads: 2 } }, '/x').detector.threads).toBe(2);
  });

  it('refuses a health server off loopback without a token', () => {
    expect(() => parseSettings({ health: { host: '0.0.0.0' } }, '/x')).toThrow(SettingsError);
    expect(() => parseSettings({ health: { host: '0.0.0.0' } }, '/x')).toThrow(/health.token/);
    expect(
      parseSettings({ health: { host: '0.0.0.0', token: 'a-long-enough-token' } }, '/x').health.host,
    ).toBe('0.0.0.0');
  });

  it('reports an unreadable or non-JSON file clearly', () => {
    const t = tempDir('settings');
    const file = join(t.dir, 'settings.json');
    writeFileSync(file, '{ nope');
    expect(() => loadSettings(file)).toThrow(/is not JSON/);
    expect(() => loadSettings(join(t.dir, 'missing.json'))).toThrow(/cannot read .*ENOENT/);
    t.remove();
  });
});
