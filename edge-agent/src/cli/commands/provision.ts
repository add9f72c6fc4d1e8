import type { Command } from 'commander';
import { createLogger } from '@tally/proto/log';
import { UsageError } from '@tally/proto/cli';
import { ProvisionError } from '../../provision/provision-client';
import { provision } from '../../provision/provision';

/** A path as a shell argument: quoted only when it needs to be. */
function quoteArg(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `tally-edge provision --cloud <url> --code <claim-code> [--name <box name>] [--data-dir DIR]`. */
export function registerProvision(program: Command): void {
  program
    .command('provision')
    .description(
      "trade a site's claim code for this box's identity and MQTT credentials (stored in the data directory)",
    )
    .requiredOption('--cloud <url>', 'the Tally cloud, e.g. https://tally.example.com')
    .requiredOption('--code <claim-code>', 'the claim code shown in the dashboard for the site')
    .option('--name <box name>', 'a name for this box, e.g. "Gate 3"', defaultName())
    .option(
      '--data-dir <dir>',
      'the agent data directory (same as dataDir in the agent settings)',
      '/var/lib/tally-edge',
    )
    .action(async (o: { cloud: string; code: string; name: string; dataDir: string }) => {
      try {
        new URL(o.cloud);
      } catch {
        throw new UsageError(
          `--cloud ${o.cloud} is not a URL`,
          'give the full address, e.g. https://tally.example.com',
        );
      }
      try {
        const r = await provision({
          cloudUrl: o.cloud,
          code: o.code,
          name: o.name,
          dataDir: o.dataDir,
          log: createLogger('provision'),
        });
        const id = r.identity;
        process.stdout.write(
          [
            `provisioned "${id.name}" as device ${id.deviceId}${id.siteId ? ` (site ${id.siteId})` : ''}`,
            `  broker: ${id.mqttUrl} (user ${id.mqttUsername})`,
            `  api:    ${id.apiUrl}`,
            `  stored: ${o.dataDir}/tally-edge.db (mode 0600)`,
            ...(r.replaced
              ? [
                  `  replaced the previous identity ${r.replaced} and its credentials; from now on only new counts are sent`,
                  ...(r.unsentOfPrevious
                    ? [`  ${r.unsentOfPrevious} events ${r.replaced} never had acknowledged will not be sent`]
                    : []),
                ]
              : []),
            `next: start the agent: pnpm edge run --data-dir ${quoteArg(o.dataDir)} (or systemctl restart tally-edge)`,
            '',
          ].join('\n'),
        );
      } catch (err) {
        if (err instanceof ProvisionError) {
          throw new UsageError(
            `provisioning failed: ${err.message}`,
            err.status && err.status < 500
              ? 'check the claim code in the dashboard (codes expire and work once)'
              : undefined,
          );
        }
        throw err;
      }
    });
}

function defaultName(): string {
  return process.env.HOSTNAME ?? 'tally-edge';
}
