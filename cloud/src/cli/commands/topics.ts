import type { Command } from 'commander';
import { UsageError } from '@tally/proto/cli';
import {
  CLOUD_TO_DEVICE,
  DEVICE_TO_CLOUD,
  RETAINED_CHANNELS,
  allDevicesFilter,
  sharedFilter,
} from '@tally/proto';

/**
 * `tally-cloud topics [--share GROUP]`: prints the MQTT filters the cloud consumes and publishes, for operators
 * writing an external broker's ACL.
 */
export function registerTopics(program: Command): void {
  program
    .command('topics')
    .description('print the MQTT topic filters the cloud subscribes to and publishes on')
    .option('--share <group>', 'show shared-subscription filters for this consumer group')
    .action((opts: { share?: string }) => {
      if (opts.share !== undefined && !/^[A-Za-z0-9_-]+$/.test(opts.share)) {
        throw new UsageError(
          `invalid --share group ${JSON.stringify(opts.share)}`,
          'use letters, digits, _ and -',
        );
      }
      const lines = [
        'subscribes (device → cloud):',
        ...DEVICE_TO_CLOUD.map((c) => `  ${opts.share ? sharedFilter(opts.share, c) : allDevicesFilter(c)}`),
        'publishes (cloud → device):',
        ...CLOUD_TO_DEVICE.map(
          (c) => `  ${allDevicesFilter(c)}${RETAINED_CHANNELS.has(c) ? '  (retained)' : ''}`,
        ),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
