import type { Logger } from 'pino';
import { ConfigStore } from './config-store';
import { databasePath, openDatabase, type OpenedDatabase } from './database';
import { DiskBudget } from './disk-budget';
import { EventStore } from './event-store';
import { IdentityStore } from './identity-store';

/** Everything the agent keeps on disk, opened together from one data directory. */
export interface Store {
  database: OpenedDatabase;
  events: EventStore;
  configs: ConfigStore;
  identity: IdentityStore;
  disk: DiskBudget;
  close(): void;
}

export function openStore(dataDir: string, diskBudgetBytes: number, log: Logger): Store {
  const database = openDatabase(databasePath(dataDir));
  return {
    database,
    events: new EventStore(database.db),
    configs: new ConfigStore(database.db),
    identity: new IdentityStore(database.db),
    disk: new DiskBudget(database, diskBudgetBytes, log),
    close: () => database.close(),
  };
}
