import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from './client';

/** The PostgreSQL tests and benchmarks use by default (this machine's, trust auth); TEST_PG_URL overrides it. */
export const DEFAULT_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  database: Database;
  /** Connection URL of the scratch database, for a second pool (another cloud instance). */
  url: string;
  /** Closes the pool and drops the database (FORCE: other connections are ended). */
  drop(): Promise<void>;
}

async function admin<T>(adminUrl: string, run: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

/**
 * A fresh, migrated PostgreSQL database with a random name (`<prefix>_<hex>`), for one test file or one benchmark
 * run, so runs never see each other's rows.
 */
export async function scratchDatabase(
  prefix: string,
  options: { poolSize?: number; adminUrl?: string } = {},
): Promise<ScratchDatabase> {
  const adminUrl = options.adminUrl ?? DEFAULT_ADMIN_URL;
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: options.poolSize ?? 4 });
  return {
    database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      await admin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
