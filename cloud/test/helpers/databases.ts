import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client';

/** The PostgreSQL running on this machine (trust auth). Override with TEST_PG_URL. */
const ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends Database {
  /** Drops the per-run database (PostgreSQL) or closes PGlite. */
  destroy(): Promise<void>;
}

/** A fresh, migrated PostgreSQL database with a random name, dropped by destroy(). */
export async function freshPostgres(): Promise<TestDatabase> {
  const name = `tally_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 4 });
  return {
    ...database,
    destroy: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A fresh in-memory PGlite database. */
export async function freshPglite(): Promise<TestDatabase> {
  const database = await openDatabase();
  return { ...database, destroy: () => database.close() };
}

/** Both real databases: suites run once against each (`describe.each(DATABASES)`). */
export const DATABASES = [
  { kind: 'pglite', fresh: freshPglite },
  { kind: 'postgres', fresh: freshPostgres },
] as const;
