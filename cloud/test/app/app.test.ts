import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from './build';

describe('app skeleton', () => {
  let database: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    database = await freshPostgres();
    t = await buildTestApp(database);
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  it('answers /healthz and /readyz', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ ok: true });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ ok: true, database: true, broker: true });
  });

  it('reports 503 on /readyz when the broker is down', async () => {
    const down = await buildTestApp(database, { brokerReady: () => false });
    try {
      const res = await down.app.inject('/readyz');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ ok: false, broker: false });
    } finally {
      await down.close();
    }
  });

  it('serves Prometheus metrics including the database pool', async () => {
    const res = await t.app.inject('/metrics');
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/tally_cloud_db_pool_connections\{state="total"\} [1-9]/);
  });

  it('answers unknown routes with the ApiError body', async () => {
    const res = await t.app.inject('/api/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'TALLY_NOT_FOUND', message: 'no route GET /api/nope' } });
  });

  it('sets security headers', async () => {
    const res = await t.app.inject('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
  });

  it('serves the OpenAPI document at /api/docs', async () => {
    const res = await t.app.inject('/api/docs/json');
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toMatch(/^3\./);
  });

  it('serves the built dashboard with its client-side routes, keeping /api 404s in JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-dashboard-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Tally</title>');
    writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    const withUi = await buildTestApp(database, { dashboardDir: dir });
    try {
      expect((await withUi.app.inject('/')).body).toContain('<title>Tally</title>');
      expect((await withUi.app.inject('/app.js')).headers['content-type']).toMatch(/javascript/);
      const deep = await withUi.app.inject('/sites/123/cameras');
      expect([deep.statusCode, deep.body]).toEqual([200, '<!doctype html><title>Tally</title>']);
      expect((await withUi.app.inject('/api/nope')).json().error.code).toBe('TALLY_NOT_FOUND');
    } finally {
      await withUi.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers a missing asset and bare /api with a 404, and caches hashed assets but not index.html', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-dashboard-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Tally</title>');
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'index-4f2a.js'), 'console.log(1)');
    const withUi = await buildTestApp(database, { dashboardDir: dir });
    try {
      // A page built before a deploy asks for an asset that no longer exists: not HTML with status 200.
      const gone = await withUi.app.inject('/assets/index-0000.js');
      expect(gone.statusCode).toBe(404);
      expect(gone.json().error.code).toBe('TALLY_NOT_FOUND');
      const api = await withUi.app.inject('/api');
      expect([api.statusCode, api.json().error.code]).toEqual([404, 'TALLY_NOT_FOUND']);
      const asset = await withUi.app.inject('/assets/index-4f2a.js');
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect((await withUi.app.inject('/')).headers['cache-control']).toBe('no-cache');
      const deep = await withUi.app.inject('/sites/6a0c7d1e-0000-4000-8000-000000000000?range=today');
      expect([deep.statusCode, deep.headers['cache-control']]).toEqual([200, 'no-cache']);
    } finally {
      await withUi.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
