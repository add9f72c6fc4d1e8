/**
 * `pnpm demo`'s options: parsed once, with `--help` listing them and a bad option exiting 2 with a hint (it used to
 * crash with a stack).
 */
import { parseArgs } from 'node:util';
import { UsageError } from '@tally/proto/cli';

export const DEMO_USAGE = `Usage: pnpm demo [--seconds N] [--keep] [--json]

Runs Tally end to end on this machine: the cloud (embedded database and broker) in a temporary folder, an owner,
a site and a claim code, an edge agent provisioned with it, a camera (the pedestrian video from ../shared) with a
counting line and a zone, and the counts as the cloud's analytics API reports them.

Options:
  --seconds N  how long to count before printing the result and stopping (default 60)
  --keep       leave the cloud and the agent running afterwards (Ctrl-C stops them)
  --json       narration on stderr; the last stdout line is a JSON summary
  -h, --help   this help
`;

export interface DemoOptions {
  seconds: number;
  keep: boolean;
  json: boolean;
  help: boolean;
}

export function parseDemoOptions(argv: string[]): DemoOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        seconds: { type: 'string', default: '60' },
        keep: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!, 'see pnpm demo --help');
  }
  const seconds = Number(values.seconds);
  if (!(seconds > 0 && seconds <= 86_400)) {
    throw new UsageError(
      `--seconds ${values.seconds}: expected a number of seconds above 0`,
      'see pnpm demo --help',
    );
  }
  return { seconds, keep: values.keep, json: values.json, help: values.help };
}
