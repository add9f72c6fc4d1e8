import { join } from 'node:path';
import type { Command } from 'commander';
import { openDatabase } from '../../db/client';
import { configFromCli, refuseWhileServing } from './serve';

/** `tally-cloud migrate`: applies pending migrations to DATABASE_URL (or PGlite in the data dir) and exits. */
export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations (DATABASE_URL, or PGlite in the data dir) and exit')
    .option('--data-dir <dir>', 'data folder (DATA_DIR)')
    .action(async (opts: { dataDir?: string }) => {
      const { config } = configFromCli(opts.dataDir ? { dataDir: opts.dataDir } : {});
      refuseWhileServing(config);
      const database = await openDatabase(
        config.databaseUrl ? { url: config.databaseUrl } : { dataDir: join(config.dataDir, 'pglite') },
      );
      await database.close();
      process.stdout.write(`${JSON.stringify({ ok: true, database: database.kind })}\n`);
    });
}
