import { describe, expect, it } from 'vitest';
import { runCaptured } from '@tally/proto/cli';
import { buildProgram } from '../../src/cli/main';

const run = (args: string[]) => runCaptured(buildProgram(), ['node', 'tally-cloud', ...args]);

describe('tally-cloud CLI', () => {
  it('prints the shared-subscription filters an external broker needs', async () => {
    const r = await run(['topics', '--share', 'tally']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$share/tally/tally/v1/+/events');
    expect(r.stdout).toContain('tally/v1/+/config  (retained)');
  });

  it('rejects an unknown option as bad input (exit 2)', async () => {
    const r = await run(['topics', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
  });

  it('refuses an invalid group name', async () => {
    const r = await run(['topics', '--share', 'a/b']);
    expect(r.code).toBe(2);
  });
});
