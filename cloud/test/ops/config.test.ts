import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

describe('environment config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and types variables, with defaults', () => {
    const { config } = loadConfig({
      PORT: '9000',
      DATA_DIR: dir,
      CORS_ORIGINS: 'https://a.example, https://b.example',
      JWT_SECRET: 'x'.repeat(32),
      DATABASE_URL: 'postgres://u@h/db',
    });
    expect(config).toMatchObject({
      port: 9000,
      mqttPort: 1884, // clear of Mosquitto's 1883
      corsOrigins: ['https://a.example', 'https://b.example'],
      databaseUrl: 'postgres://u@h/db',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the proxy, metrics and webhook settings', () => {
    const { config } = loadConfig({
      DATA_DIR: dir,
      JWT_SECRET: 'x'.repeat(32),
      TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1',
      METRICS_TOKEN: 'm'.repeat(20),
      ALLOW_PRIVATE_WEBHOOKS: 'true',
    });
    expect(config).toMatchObject({
      trustProxy: ['127.0.0.1', '10.0.0.0/8', '::1'],
      metricsToken: 'm'.repeat(20),
      allowPrivateWebhooks: true,
    });
    const defaults = loadConfig({ DATA_DIR: dir, JWT_SECRET: 'x'.repeat(32) }).config;
    expect(defaults).toMatchObject({ trustProxy: [], allowPrivateWebhooks: false });
    expect(defaults.metricsToken).toBeUndefined();
    expect(() => loadConfig({ DATA_DIR: dir, TRUST_PROXY: 'proxy.local' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ DATA_DIR: dir, TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ DATA_DIR: dir, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('names the bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATA_DIR: dir })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000', DATA_DIR: dir })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', DATA_DIR: dir })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ JWT_SECRET: 'short', DATA_DIR: dir })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ TLS_CERT: '/nope.pem', DATA_DIR: dir })).toThrow(/TLS_CERT and TLS_KEY/);
  });

  it('generates a JWT secret once and keeps it in the data dir', () => {
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.generatedJwtSecret).toBe(true);
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8').trim()).toBe(first.config.jwtSecret);
    expect(loadConfig({ DATA_DIR: dir }).config.jwtSecret).toBe(first.config.jwtSecret);
  });

  it('takes TALLY_SECRET_KEY as base64 or hex, refuses anything else, and without it generates one (0600) once', () => {
    const key = randomBytes(32);
    for (const text of [key.toString('base64'), key.toString('hex')]) {
      const { config, generatedSecretKey } = loadConfig({ DATA_DIR: dir, TALLY_SECRET_KEY: text });
      expect(generatedSecretKey).toBe(false);
      expect(config.secretKey).toBe(text);
    }
    const previous = loadConfig({
      DATA_DIR: dir,
      TALLY_SECRET_KEY: key.toString('hex'),
      TALLY_SECRET_KEYS_PREVIOUS: `${randomBytes(32).toString('base64')}, ${randomBytes(32).toString('hex')}`,
    }).config.secretKeysPrevious;
    expect(previous).toHaveLength(2);
    const bad = 'not-a-key-not-a-key';
    for (const env of [
      { TALLY_SECRET_KEY: bad },
      { TALLY_SECRET_KEYS_PREVIOUS: randomBytes(16).toString('hex') },
    ]) {
      let message = '';
      try {
        loadConfig({ DATA_DIR: dir, ...env });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(
        /^invalid configuration: TALLY_SECRET_KEY(S_PREVIOUS)? must be 32 random bytes/,
      );
      expect(message).not.toContain(bad);
    }
    const fresh = mkdtempSync(join(tmpdir(), 'tally-config-key-'));
    try {
      const first = loadConfig({ DATA_DIR: fresh });
      expect(first.generatedSecretKey).toBe(true);
      expect(Buffer.from(first.config.secretKey, 'base64')).toHaveLength(32);
      expect(statSync(join(fresh, 'secret-key')).mode & 0o777).toBe(0o600);
      expect(loadConfig({ DATA_DIR: fresh }).config.secretKey).toBe(first.config.secretKey);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
