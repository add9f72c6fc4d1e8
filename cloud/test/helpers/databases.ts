import { openDatabase, type Database } from '../../src/db/client';
import { DEFAULT_ADMIN_URL, scratchDatabase } from '../../src/db/scratch-database';

/** The PostgreSQL running on this machine (trust auth). Override with TEST_PG_URL. */
const ADMIN_URL = DEFAULT_ADMIN_URL;

export interface TestDatabase extends Database {
  /** Drops the per-run database (PostgreSQL) or closes PGlite. */
  destroy(): Promise<void>;
}

/** A fresh, migrated PostgreSQL database with a random name, dropped by destroy(). */
export async function freshPostgres(): Promise<TestDatabase> {
  const { database, drop } = await scratchDatabase('tally_test', { adminUrl: ADMIN_URL });
  return { ...database, destroy: drop };
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
