import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDemoOptions } from '../demo-options';

/** `pnpm demo --help` used to crash with a stack (ERR_PARSE_ARGS_UNKNOWN_OPTION); it lists the options now. */
describe('pnpm demo options', () => {
  const demo = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args], {
      cwd: resolve(import.meta.dirname, '../..'),
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('--help lists the options and exits 0 without starting anything', () => {
    const r = demo('--help');
    expect(r.status, r.stderr).toBe(0);
    for (const option of ['--duration S', '--data-dir DIR', '--json', '--help'])
      expect(r.stdout).toContain(option);
    expect(r.stdout).not.toContain('[demo]');
  });

  it('an unknown option or a bad --duration is one line and a hint, exit 2', () => {
    const r = demo('--duraton', '5');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: Unknown option '--duraton'[^\n]*\nhint: see pnpm demo --help\n$/);
    expect(demo('--duration', 'soon').status).toBe(2);
  });

  it('reads its options', () => {
    expect(parseDemoOptions(['--duration', '25', '--json'])).toEqual({
      duration: 25,
      dataDir: undefined,
      json: true,
      help: false,
    });
    expect(parseDemoOptions(['--data-dir', '/tmp/d']).duration).toBeUndefined();
    expect(() => parseDemoOptions(['--duration', 'soon'])).toThrow(/--duration soon: expected a number/);
  });
});
