import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UsageError } from '@tally/proto/cli';
import { checkDeviceConfigPayload } from '../../config/device-config-check';

/**
 * `tally-edge check-config <file>`: validates a device config file without running it, with the very check the
 * agent applies (contract and content hash), so what passes here is what `run` accepts.
 */
export function registerCheckConfig(program: Command): void {
  program
    .command('check-config')
    .description('validate a device configuration file (JSON) against the Tally contract')
    .argument('<file>', 'path to the configuration JSON')
    .action(async (file: string) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new UsageError(
          `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        );
      }
      const result = checkDeviceConfigPayload(text);
      if (!result.ok) {
        throw new UsageError(
          `${file} is not a valid configuration:\n${result.issues.map((i) => `  ${i.path || '/'}: ${i.message}`).join('\n')}`,
          'fix the fields listed above; the schema is documented in proto/README.md',
        );
      }
      const c = result.value;
      process.stdout.write(
        `${file}: valid (version ${c.version}, ${c.cameras.length} camera(s), ${c.cameras.reduce((n, cam) => n + cam.lines.length + cam.zones.length, 0)} rule(s))\n`,
      );
    });
}
