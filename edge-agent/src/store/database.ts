import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema';

export type StoreDb = BetterSQLite3Database<typeof schema> & { $client: Sqlite.Database };

export interface OpenedDatabase {
  db: StoreDb;
  sqlite: Sqlite.Database;
  path: string;
  close(): void;
}

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '../../migrations');

/** The agent's database file inside its data directory. */
export function databasePath(dataDir: string): string {
  return join(dataDir, 'tally-edge.db');
}

/**
 * Opens (creating if needed) the agent's SQLite database and applies the committed drizzle-kit migrations.
 *
 * - WAL: readers (health, sync) never block the writer (the cameras' event inserts).
 * - synchronous=FULL: in WAL mode NORMAL survives a crash of the process but may lose the last commits on power
 *   loss. A count that was stored and then vanishes is exactly the loss Tally promises not to have, and commits are
 *   few (one per frame that produced events, tens per second at most), so the extra fsync per commit is cheap.
 * - auto_vacuum=INCREMENTAL (set before the first table exists): pages freed by the disk budget are returned to
 *   the file system, so the budget measures the real file.
 * - The file is created with mode 0600: it holds the device's MQTT password.
 */
export function openDatabase(path: string): OpenedDatabase {
  mkdirSync(dirname(path), { recursive: true });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
  const sqlite = new Sqlite(path);
  sqlite.pragma('auto_vacuum = INCREMENTAL');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(sqlite, { schema }) as StoreDb;
  migrate(db, { migrationsFolder: MIGRATIONS });
  sqlite.prepare('INSERT OR IGNORE INTO sync_state (id) VALUES (1)').run();
  return {
    db,
    sqlite,
    path,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
