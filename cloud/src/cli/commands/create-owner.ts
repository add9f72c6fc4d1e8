import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '@tally/proto/cli';
import { createOwner } from '../../auth/create-owner';
import { openDatabase } from '../../db/client';
import { AppError } from '../../errors';
import { configFromCli, refuseWhileServing } from './serve';

/** `tally-cloud create-owner --email E --password P [--org NAME]`: the first account of an organisation. */
export function registerCreateOwner(program: Command): void {
  program
    .command('create-owner')
    .description('create an owner account (and its organisation when new)')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--password <password>', 'at least 10 characters')
    .option('--org <name>', 'organisation name', 'Default')
    .option('--data-dir <dir>', 'data folder (DATA_DIR)')
    .action(async (opts: { email: string; password: string; org: string; dataDir?: string }) => {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(opts.email)) {
        throw new UsageError(
          `invalid --email ${JSON.stringify(opts.email)}`,
          'use an address such as owner@example.com',
        );
      }
      const { config } = configFromCli(opts.dataDir ? { dataDir: opts.dataDir } : {});
      refuseWhileServing(config);
      const database = await openDatabase(
        config.databaseUrl ? { url: config.databaseUrl } : { dataDir: join(config.dataDir, 'pglite') },
      );
      try {
        const created = await createOwner(database.db, {
          email: opts.email,
          password: opts.password,
          org: opts.org,
        });
        process.stdout.write(
          `${JSON.stringify({ ok: true, ...created, email: opts.email.toLowerCase() })}\n`,
        );
      } catch (err) {
        if (err instanceof AppError)
          throw new UsageError(err.message, 'choose another email, or sign in with it');
        throw err;
      } finally {
        await database.close();
      }
    });
}
