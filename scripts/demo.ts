/**
 * `pnpm demo`: the one-command tour of what Tally does today, on the real video in ../shared.
 * It grows as the pipeline lands: today it shows the wire contract and validates an example camera setup.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deviceConfig } from '@tally/proto/fixtures';

function run(title: string, args: string[]): void {
  console.log(`\n== ${title}\n$ pnpm ${args.join(' ')}`);
  const r = spawnSync('pnpm', ['-s', ...args], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`demo step failed: ${title} (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tally-demo-'));
const configFile = join(dir, 'config.json');
writeFileSync(configFile, JSON.stringify(deviceConfig, null, 2));

run('The MQTT topics a cloud consumes (tally/v1/<device>/…)', ['cloud', 'topics']);
run('Validate an example camera setup against the contract', ['edge', 'check-config', configFile]);
console.log('\nDemo finished.');
