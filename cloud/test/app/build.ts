import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps, type Publish } from '../../src/app';
import { loadConfig, type CloudConfig } from '../../src/config';
import type { TestDatabase } from '../helpers/databases';

export interface Published {
  topic: string;
  payload: string;
  retain: boolean;
}

/** A config for tests: a temp data dir, a fixed JWT secret, no env. */
export function testConfig(overrides: Partial<CloudConfig> = {}): CloudConfig {
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-cloud-test-'));
  return loadConfig({}, { dataDir, jwtSecret: 'test-secret-test-secret-test-secret!', ...overrides }).config;
}

export interface TestApp {
  app: FastifyInstance;
  config: CloudConfig;
  /** What the app published (when no `publish` was given). */
  published: Published[];
  close(): Promise<void>;
}

/**
 * Builds the app on a test database. Without a `publish` in deps, publications are recorded in `published`:
 * the broker itself is exercised by the broker and config-push tests, which pass a real one.
 */
export async function buildTestApp(
  database: TestDatabase,
  deps: Partial<AppDeps> & { configOverrides?: Partial<CloudConfig> } = {},
): Promise<TestApp> {
  const config = deps.config ?? testConfig(deps.configOverrides);
  const published: Published[] = [];
  const publish: Publish = async (topic, payload, opts) => {
    published.push({ topic, payload: payload.toString(), retain: opts.retain });
  };
  const app = await buildApp({ publish, ...deps, database, config });
  await app.ready();
  return {
    app,
    config,
    published,
    close: async () => {
      await app.close();
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
