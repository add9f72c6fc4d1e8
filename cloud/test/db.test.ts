import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations } from '../src/db/schema/index';
import { DATABASES, type TestDatabase } from './helpers/databases';

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
