/**
 * `pnpm demo`'s options: parsed once, with `--help` listing them and a bad option exiting 2 with a hint (it used to
 * crash with a stack).
 */
import { parseArgs } from 'node:util';
import { UsageError } from '@tally/proto/cli';

export const DEMO_USAGE = `Usage: pnpm demo [--duration S] [--data-dir DIR] [--json]

Runs Tally end to end on this machine: builds the dashboard, starts the cloud (embedded database and broker)
serving it, creates an owner, a site and a claim code, provisions an edge agent with it, gives it a camera (the
pedestrian video from ../shared) with a counting line and a zone, prints the dashboard's URL with the owner's
email and password, and prints the counts as the cloud's analytics API reports them until Ctrl-C.

Options:
  --duration S    stop after S seconds (default: run until Ctrl-C)
  --data-dir DIR  where the demo keeps its data (default .data/demo; a second run reuses it)
  --json          narration on stderr; the last stdout line is a JSON summary
  -h, --help      this help
`;

export interface DemoOptions {
  /** Seconds to run; undefined: until Ctrl-C. */
  duration: number | undefined;
  dataDir: string | undefined;
  json: boolean;
  help: boolean;
}

export function parseDemoOptions(argv: string[]): DemoOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        duration: { type: 'string' },
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!, 'see pnpm demo --help');
  }
  const duration = values.duration === undefined ? undefined : Number(values.duration);
  if (duration !== undefined && !(duration > 0 && duration <= 86_400 * 365)) {
    throw new UsageError(
      `--duration ${values.duration}: expected a number of seconds above 0`,
      'see pnpm demo --help',
    );
  }
  return { duration, dataDir: values['data-dir'], json: values.json, help: values.help };
}
