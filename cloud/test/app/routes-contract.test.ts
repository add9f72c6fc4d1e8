import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from './build';
import { seedOrg, signedIn } from './seed';

/** Routes reachable without a bearer token, each for a stated reason. */
const PUBLIC = new Set([
  'POST /api/auth/login', // signing in
  'POST /api/auth/refresh', // the refresh token is the credential
  'POST /api/auth/logout', // the refresh token is the credential
  'POST /api/provision', // the one-time claim code is the credential
  'GET /api/setup', // whether first-run setup is needed (true only while no account exists)
  'POST /api/setup', // the one-time setup token from the server log is the credential
]);

interface Operation {
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  security?: unknown[];
}

describe('every API route declares its contract', () => {
  let database: TestDatabase;
  let t: TestApp;
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    database = await freshPostgres();
    t = await buildTestApp(database);
    paths = (await t.app.inject('/api/docs/json')).json().paths;
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  it('has path params, a response schema, and security (or a reason to be public) on each /api operation', () => {
    const problems: string[] = [];
    let count = 0;
    for (const [path, ops] of Object.entries(paths)) {
      if (!path.startsWith('/api/') || path.startsWith('/api/docs')) continue;
      for (const [method, op] of Object.entries(ops)) {
        count += 1;
        const id = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
        for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
          if (!op.parameters?.some((p) => p.in === 'path' && p.name === name))
            problems.push(`${id}: no schema for :${name}`);
        }
        if (!op.responses || Object.keys(op.responses).length === 0)
          problems.push(`${id}: no response schema`);
        if (!op.security && !PUBLIC.has(id)) problems.push(`${id}: no security declared`);
      }
    }
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThan(30);
  });

  it('limits JSON bodies to the configured size', async () => {
    const big = await buildTestApp(database, { configOverrides: { bodyLimit: 2048 } });
    try {
      const res = await big.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'a@b.co', password: 'x'.repeat(4096) },
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('TALLY_PAYLOAD_TOO_LARGE');
    } finally {
      await big.close();
    }
  });

  it('answers CORS preflights only for configured origins', async () => {
    const cors = await buildTestApp(database, { configOverrides: { corsOrigins: ['https://dash.example'] } });
    try {
      const preflight = (origin: string) =>
        cors.app.inject({
          method: 'OPTIONS',
          url: '/api/sites',
          headers: { origin, 'access-control-request-method': 'GET' },
        });
      expect((await preflight('https://dash.example')).headers['access-control-allow-origin']).toBe(
        'https://dash.example',
      );
      expect(
        (await preflight('https://evil.example')).headers['access-control-allow-origin'],
      ).toBeUndefined();
    } finally {
      await cors.close();
    }
  });

  it('answers an unexpected failure with 500 and no internal detail', async () => {
    const orgId = await seedOrg(database.db);
    const { headers } = await signedIn(t.app, database.db, orgId, 'admin');
    // A real database failure: the table the query needs is gone.
    await database.query('alter table sites rename to sites_gone');
    try {
      const res = await t.app.inject({ url: '/api/sites', headers });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        error: { code: 'TALLY_INTERNAL', message: 'internal error; the server log has the detail' },
      });
      expect(res.body).not.toMatch(/sites|relation|select/i);
    } finally {
      await database.query('alter table sites_gone rename to sites');
    }
  });
});
