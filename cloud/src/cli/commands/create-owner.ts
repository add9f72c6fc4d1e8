import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '@tally/proto/cli';
import { createOwner, type OwnerTarget } from '../../auth/create-owner';
import { openDatabase } from '../../db/client';
import { AppError } from '../../errors';
import { configFromCli, refuseWhileServing } from './serve';

/**
 * `tally-cloud create-owner --email E --password P (--org NAME | --invitation CODE)`: an owner account, either of
 * a new organisation (a name already in use is refused: names are not identities) or, with an invitation an owner
 * issued (POST /api/invitations), of that owner's organisation.
 */
export function registerCreateOwner(program: Command): void {
  program
    .command('create-owner')
    .description('create an owner account of a new organisation, or of an existing one with an invitation')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--password <password>', 'at least 10 characters')
    .option('--org <name>', 'name of the new organisation (refused when the name is taken)')
    .option(
      '--invitation <code>',
      'join the organisation of the owner who issued this code (POST /api/invitations)',
    )
    .option('--data-dir <dir>', 'data folder (DATA_DIR)')
    .action(
      async (opts: {
        email: string;
        password: string;
        org?: string;
        invitation?: string;
        dataDir?: string;
      }) => {
        if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(opts.email)) {
          throw new UsageError(
            `invalid --email ${JSON.stringify(opts.email)}`,
            'use an address such as owner@example.com',
          );
        }
        if (Boolean(opts.org) === Boolean(opts.invitation)) {
          throw new UsageError(
            'give exactly one of --org NAME (a new organisation) or --invitation CODE (join an existing one)',
            'an owner of an existing organisation issues invitations with POST /api/invitations',
          );
        }
        const target: OwnerTarget = opts.invitation ? { invitation: opts.invitation } : { org: opts.org! };
        const { config } = configFromCli(opts.dataDir ? { dataDir: opts.dataDir } : {});
        refuseWhileServing(config);
        const database = await openDatabase(
          config.databaseUrl ? { url: config.databaseUrl } : { dataDir: join(config.dataDir, 'pglite') },
        );
        try {
          const created = await createOwner(database.db, {
            email: opts.email,
            password: opts.password,
            ...target,
          });
          process.stdout.write(
            `${JSON.stringify({ ok: true, ...created, email: opts.email.toLowerCase() })}\n`,
          );
        } catch (err) {
          if (err instanceof AppError) throw new UsageError(err.message, hintFor(target));
          throw err;
        } finally {
          await database.close();
        }
      },
    );
}

function hintFor(target: OwnerTarget): string {
  return 'invitation' in target
    ? 'ask an owner for a new invitation for this email'
    : 'choose another email or organisation name, or join an existing organisation with --invitation';
}
