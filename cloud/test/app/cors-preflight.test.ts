import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPglite, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from './build';

/**
 * A browser on an allowed origin must be able to use every method the API has: @fastify/cors allows only GET, HEAD
 * and POST unless told otherwise, so the dashboard on another origin could not PATCH or DELETE anything.
 */
describe('CORS preflight', () => {
  let database: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    database = await freshPglite();
    t = await buildTestApp(database, { configOverrides: { corsOrigins: ['https://dash.example'] } });
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  it('allows every method the API uses', async () => {
    const paths = (await t.app.inject('/api/docs/json')).json().paths as Record<
      string,
      Record<string, unknown>
    >;
    const used = new Set(Object.values(paths).flatMap((ops) => Object.keys(ops).map((m) => m.toUpperCase())));
    expect([...used].sort()).toEqual(expect.arrayContaining(['DELETE', 'GET', 'PATCH', 'POST', 'PUT']));
    const refused: string[] = [];
    for (const method of used) {
      const res = await t.app.inject({
        method: 'OPTIONS',
        url: '/api/sites',
        headers: {
          origin: 'https://dash.example',
          'access-control-request-method': method,
          'access-control-request-headers': 'authorization,content-type',
        },
      });
      const allowed = String(res.headers['access-control-allow-methods'] ?? '').split(/,\s*/);
      if (res.headers['access-control-allow-origin'] !== 'https://dash.example' || !allowed.includes(method))
        refused.push(method);
    }
    expect(refused).toEqual([]);
  });
});
