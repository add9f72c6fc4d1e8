import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { createSite, seedOrg, signedIn } from '../app/seed';

/**
 * Regressions (issue 9, items 10 and 14): a site time zone Node accepts but PostgreSQL does not
 * (`US/Pacific-New`, dropped from the tz database in 2020) poisoned every ingest statement with the site's
 * events; and a time-zone change committed before its day-rollup rebuild, so a failed rebuild left the site in the
 * new zone with day rows of the old one.
 */
describe.each(DATABASES)('site time zones on $kind', ({ fresh }) => {
  let database: TestDatabase;
  let t: TestApp;
  let headers: { authorization: string };
  beforeAll(async () => {
    database = await fresh();
    t = await buildTestApp(database);
    const orgId = await seedOrg(database.db);
    ({ headers } = await signedIn(t.app, database.db, orgId, 'admin'));
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  it('refuses a zone the database does not know, on create and on update', async () => {
    expect(() => new Intl.DateTimeFormat('en', { timeZone: 'US/Pacific-New' })).not.toThrow();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/sites',
      headers,
      payload: { name: 'Poison', timezone: 'US/Pacific-New' },
    });
    expect(created.statusCode).toBe(400);
    expect(created.json().error.issues).toEqual([{ path: '/timezone', message: 'not an IANA time zone' }]);
    const id = await createSite(t.app, headers, 'Store', 'America/Los_Angeles');
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/sites/${id}`,
      headers,
      payload: { timezone: 'US/Pacific-New' },
    });
    expect(patched.statusCode).toBe(400);
    expect((await t.app.inject({ url: `/api/sites/${id}`, headers })).json().timezone).toBe(
      'America/Los_Angeles',
    );
  });

  it('changes the zone and rebuilds day rollups in one transaction: a failed rebuild keeps the old zone', async () => {
    const id = await createSite(t.app, headers, 'Shop', 'Europe/Berlin');
    // One minute counted at 23:30Z on 28 March 2026: 29 March in Berlin, 28 March in New York.
    await database.query(
      `INSERT INTO rollup_minute (site_id, bucket, device_id, camera_id, rule_id, kind, direction, object_class,
                                  raw_count, count)
       VALUES ($1, '2026-03-28T23:30:00Z', 'dev-1', 'cam-1', 'door', 'line_cross', 'in', 'person', 3, 3)`,
      [id],
    );
    await database.query(
      `INSERT INTO rollup_day (site_id, day, device_id, camera_id, rule_id, kind, direction, object_class, count)
       VALUES ($1, '2026-03-29', 'dev-1', 'cam-1', 'door', 'line_cross', 'in', 'person', 3)`,
      [id],
    );
    // The rebuild fails (a real failure inside the database, raised by a trigger on its insert).
    await database.query(`
      CREATE FUNCTION fail_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'rebuild failed on purpose'; END $$`);
    await database.query(
      `CREATE TRIGGER fail_rebuild BEFORE INSERT ON rollup_day FOR EACH ROW EXECUTE FUNCTION fail_rebuild()`,
    );
    const failed = await t.app.inject({
      method: 'PATCH',
      url: `/api/sites/${id}`,
      headers,
      payload: { timezone: 'America/New_York' },
    });
    expect(failed.statusCode).toBe(500);
    const days = () =>
      database.query<{ day: string }>(`SELECT day::text AS day FROM rollup_day WHERE site_id = $1`, [id]);
    expect((await t.app.inject({ url: `/api/sites/${id}`, headers })).json().timezone).toBe('Europe/Berlin');
    expect(await days()).toEqual([{ day: '2026-03-29' }]);

    await database.query(`DROP TRIGGER fail_rebuild ON rollup_day`);
    const changed = await t.app.inject({
      method: 'PATCH',
      url: `/api/sites/${id}`,
      headers,
      payload: { timezone: 'America/New_York' },
    });
    expect(changed.statusCode).toBe(200);
    expect(await days()).toEqual([{ day: '2026-03-28' }]);
  });
});
