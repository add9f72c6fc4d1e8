#!/usr/bin/env node
import { Command } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { registerCheckConfig } from './commands/check-config';
import { registerConfig } from './commands/config';
import { registerCount } from './commands/count';
import { registerEvalCount } from './commands/eval-count';
import { registerEvalMot } from './commands/eval-mot';
import { registerProvision } from './commands/provision';
import { registerRun } from './commands/run';
import { registerSimulateDets } from './commands/simulate-dets';
import { runProgram } from '@tally/proto/cli';

/** The edge agent's command-line tool: `pnpm edge <command>` from the repository root. */
export function buildProgram(): Command {
  const program = new Command()
    .name('tally-edge')
    .description('Tally edge agent: count people and vehicles from camera streams')
    .version(pkg.version);
  registerCheckConfig(program);
  registerConfig(program);
  registerCount(program);
  registerEvalMot(program);
  registerEvalCount(program);
  registerSimulateDets(program);
  registerRun(program);
  registerProvision(program);
  return program;
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) {
  process.exitCode = await runProgram(buildProgram(), process.argv);
}
