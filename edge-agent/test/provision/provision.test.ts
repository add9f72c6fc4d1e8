import { statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '@tally/proto/cli';
import { createLogger } from '@tally/proto/log';
// The REAL cloud app (cloud/src/app.ts via its test builder) on an in-memory PGlite database.
import { buildTestApp, type TestApp } from '../../../cloud/test/app/build';
import { createSite, seedOrg, signedIn } from '../../../cloud/test/app/seed';
import { freshPglite, type TestDatabase } from '../../../cloud/test/helpers/databases';
import { buildProgram } from '../../src/cli/main';
import { openStore } from '../../src/store';
import { databasePath } from '../../src/store/database';
import { freePort } from '../helpers/brokers';
import { claimCode } from '../helpers/claim-code';
import { tempDir } from '../helpers/temp-dir';

const cli = (args: string[]) => runCaptured(buildProgram(), ['node', 'tally-edge', ...args]);

describe('tally-edge provision against the real cloud app', () => {
  let database: TestDatabase;
  let t: TestApp;
  let url: string;
  let installer: { authorization: string };
  let siteId: string;
  const dir = tempDir('provision');
  const dataDir = join(dir.dir, 'data');

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'silent';
    database = await freshPglite();
    t = await buildTestApp(database, { configOverrides: { provisionRateLimit: 1000 } });
    const orgId = await seedOrg(database.db);
    const admin = (await signedIn(t.app, database.db, orgId, 'admin')).headers;
    siteId = await createSite(t.app, admin);
    installer = (await signedIn(t.app, database.db, orgId, 'installer', [siteId])).headers;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
    dir.remove();
  });

  function storedIdentity() {
    const store = openStore(dataDir, 1 << 30, createLogger('t', 'silent'));
    try {
      return store.identity.get();
    } finally {
      store.close();
    }
  }

  it('stores the identity and credentials (mode 0600) and says what it did', async () => {
    const r = await cli([
      'provision',
      '--cloud',
      url,
      '--code',
      await claimCode(t.app, siteId, installer),
      '--name',
      'Gate 3',
      '--data-dir',
      dataDir,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const id = storedIdentity()!;
    expect(id.deviceId).toMatch(/^dev-/);
    expect(id).toMatchObject({ name: 'Gate 3', siteId, mqttUsername: id.deviceId, cloudUrl: url });
    expect(id.mqttPassword.length).toBeGreaterThan(20);
    expect(r.stdout).toContain(`provisioned "Gate 3" as device ${id.deviceId} (site ${siteId})`);
    expect(r.stdout).not.toContain(id.mqttPassword);
    expect(statSync(databasePath(dataDir)).mode & 0o777).toBe(0o600);
  });

  it('a wrong or used code is a clear error (exit 2) and changes nothing', async () => {
    const before = storedIdentity();
    const r = await cli([
      'provision',
      '--cloud',
      url,
      '--code',
      'ZZZZ-ZZZZ',
      '--name',
      'Gate 3',
      '--data-dir',
      dataDir,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('provisioning failed: claim code unknown, used or expired');
    expect(r.stderr).toContain('TALLY_CLAIM_CODE_INVALID');
    expect(storedIdentity()).toEqual(before);
  });

  it('provisioning again replaces the identity and the credentials', async () => {
    const before = storedIdentity()!;
    const r = await cli([
      'provision',
      '--cloud',
      url,
      '--code',
      await claimCode(t.app, siteId, installer),
      '--name',
      'Gate 3b',
      '--data-dir',
      dataDir,
    ]);
    expect(r.code).toBe(0);
    const after = storedIdentity()!;
    expect(after.deviceId).not.toBe(before.deviceId);
    expect(after.mqttPassword).not.toBe(before.mqttPassword);
    expect(r.stdout).toContain(`replaced the previous identity ${before.deviceId}`);
  });

  it('an unreachable cloud is a clear error', async () => {
    const r = await cli([
      'provision',
      '--cloud',
      `http://127.0.0.1:${await freePort()}`,
      '--code',
      'ABCD-EFGH',
      '--data-dir',
      dataDir,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+\/api\/provision: ECONNREFUSED/);
  });
});
