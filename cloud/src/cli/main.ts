#!/usr/bin/env node
import { Command } from 'commander';
import { runProgram } from '@tally/proto/cli';
import pkg from '../../package.json' with { type: 'json' };
import { registerCreateOwner } from './commands/create-owner';
import { registerMigrate } from './commands/migrate';
import { registerServe } from './commands/serve';
import { registerTopics } from './commands/topics';

/** The cloud's command-line tool: `pnpm cloud <command>` from the repository root. */
export function buildProgram(): Command {
  const program = new Command()
    .name('tally-cloud')
    .description('Tally cloud control plane: provisioning, ingest, analytics, alerts and the API')
    .version(pkg.version);
  registerServe(program);
  registerMigrate(program);
  registerCreateOwner(program);
  registerTopics(program);
  return program;
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) {
  process.exitCode = await runProgram(buildProgram(), process.argv);
}
