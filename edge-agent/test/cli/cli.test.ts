import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '@tally/proto/cli';
import { deviceConfig } from '@tally/proto/fixtures';
import { buildProgram } from '../../src/cli/main';

const run = (args: string[]) => runCaptured(buildProgram(), ['node', 'tally-edge', ...args]);

describe('tally-edge CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-cli-'));

  it('prints help listing its commands', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('check-config');
  });

  it('accepts a valid config file', async () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify(deviceConfig));
    const r = await run(['check-config', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid (version 3, 1 camera(s), 2 rule(s))');
  });

  it('names the bad field of an invalid config, with exit code 2', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...deviceConfig, version: 0 }));
    const r = await run(['check-config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/version');
    expect(r.stderr).toContain('hint:');
  });

  it('says clearly when the file is missing', async () => {
    const r = await run(['check-config', join(dir, 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read');
  });

  it('rejects an unknown command as bad input (exit 2)', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  it('rejects an unknown option as bad input (exit 2)', async () => {
    const r = await run(['check-config', '--frobnicate', join(dir, 'ok.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
  });
});
