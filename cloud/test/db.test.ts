import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations } from '../src/db/schema/index';
import { DATABASES, freshPostgres, type TestDatabase } from './helpers/databases';
import { waitFor } from './ingest/support';

describe.each(DATABASES)('database on $kind', ({ fresh }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await fresh();
  }, 60_000);
  afterAll(() => database?.destroy());

  it('applies the migrations and round-trips a row through drizzle', async () => {
    const [org] = await database.db.insert(organisations).values({ name: 'Acme' }).returning();
    expect(org!.id).toMatch(/^[0-9a-f-]{36}$/);
    const rows = await database.db.select().from(organisations);
    expect(rows.map((r) => r.name)).toEqual(['Acme']);
  });
});

describe('PostgreSQL pool', () => {
  it('survives its idle connections being terminated (server restart, admin command) and reconnects', async () => {
    const database = await freshPostgres();
    try {
      await database.query('select 1');
      const db = (await database.query<{ db: string }>('select current_database() as db'))[0]!.db;
      const admin = await freshPostgres();
      // From another database, end every connection to this one: the pool's idle client gets a FATAL 57P01.
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [db]);
      await admin.destroy();
      // Wait for the pool to notice (its idle client's 'error'), not a fixed 200 ms: on a loaded machine the
      // FATAL may be read later, and the query below would go to the dead connection.
      await waitFor(() => database.poolStats().total === 0, 'the pool dropping its terminated client');
      const [row] = await database.query<{ one: number }>('select 1 as one');
      expect(row!.one).toBe(1);
    } finally {
      await database.destroy();
    }
  });
});
