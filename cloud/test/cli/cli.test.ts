import { describe, expect, it, vi } from 'vitest';
import { runProgram } from '@tally/proto/cli';
import { buildProgram } from '../../src/cli/main';

async function run(args: string[]) {
  const out: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await runProgram(buildProgram(), ['node', 'tally-cloud', ...args]), stdout: out.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('tally-cloud CLI', () => {
  it('prints the shared-subscription filters an external broker needs', async () => {
    const r = await run(['topics', '--share', 'tally']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$share/tally/tally/v1/+/events');
    expect(r.stdout).toContain('tally/v1/+/config  (retained)');
  });

  it('refuses an invalid group name', async () => {
    const r = await run(['topics', '--share', 'a/b']);
    expect(r.code).toBe(2);
  });
});
