import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runProgram } from '@tally/proto/cli';
import { registerEvalCount } from '../../src/cli/commands/eval-count';

/** Runs `tally-edge eval-count …` in-process; returns the exit code, stdout and stderr. */
async function evalCount(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const program = new Command().name('tally-edge');
  registerEvalCount(program);
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await runProgram(program, ['node', 'tally-edge', 'eval-count', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/**
 * A synthetic sequence (200×100, 10 fps, 30 frames): person 1 (20×30) walks right from x 20 to x 178 at y 60; person 2
 * stands with its feet at x 98–101 (on the line x = 100) and never crosses. The detector (det.txt) sees person 1 in
 * every frame and also person 2, so the truth on a line at x 100 is in 1, out 0.
 */
async function writeSequence(dir: string, withGt = true): Promise<void> {
  await mkdir(join(dir, 'det'), { recursive: true });
  await writeFile(
    join(dir, 'seqinfo.ini'),
    '[Sequence]\nname=walk\nframeRate=10\nseqLength=30\nimWidth=200\nimHeight=100\n',
  );
  const gt: string[] = [];
  const det: string[] = [];
  for (let f = 1; f <= 30; f++) {
    const x = 20 + (f - 1) * (158 / 29);
    const wobble = 98 + (f % 4);
    gt.push(`${f},1,${x - 10},30,20,30,1,-1,-1,-1`, `${f},2,${wobble - 5},68,10,30,1,-1,-1,-1`);
    det.push(`${f},-1,${x - 10},30,20,30,0.95,-1,-1,-1`, `${f},-1,${wobble - 5},68,10,30,0.9,-1,-1,-1`);
  }
  await writeFile(join(dir, 'det', 'det.txt'), det.join('\n') + '\n');
  if (withGt) {
    await mkdir(join(dir, 'gt'), { recursive: true });
    await writeFile(join(dir, 'gt', 'gt.txt'), gt.join('\n') + '\n');
  }
}

describe('pnpm edge eval-count', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tally-eval-count-'));
    await writeSequence(join(dir, 'walk'));
    await writeSequence(join(dir, 'no-gt'), false);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('scores a named line: got/truth per direction and the count error, JSON as the last line', async () => {
    const { code, out } = await evalCount(join(dir, 'walk'), '--line', 'mid:100,100,100,0');
    expect(code).toBe(0);
    expect(out).toMatch(/^walk: 1 lines, 1 true crossings/);
    const r = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(r.per_line).toEqual({ mid: { in: [1, 1], out: [0, 0] } });
    expect(r).toMatchObject({ truth: 1, count_error: 0, overcount: 0, undercount: 0, off: 0 });
  });

  it('--grid places n vertical and n horizontal lines; --json prints only the JSON', async () => {
    const { code, out } = await evalCount(join(dir, 'walk'), '--grid', '3', '--json');
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(Object.keys(r.per_line)).toEqual(['x50', 'x100', 'x150', 'y25', 'y50', 'y75']);
    // person 1 crosses x50, x100 and x150 rightwards; nobody crosses a horizontal line
    expect(r.truth).toBe(3);
    expect(r.per_line.x50.in[1]).toBe(1);
    expect(r.per_line.y50).toEqual({ in: [0, 0], out: [0, 0] });
  });

  it('bad input exits 2 with one line and a hint', async () => {
    for (const args of [
      [join(dir, 'no-gt')],
      [join(dir, 'walk'), '--grid', 'many'],
      [join(dir, 'walk'), '--detections', 'yolo'],
      [join(dir, 'walk'), '--margin', '2'],
      [join(dir, 'walk'), '--line', 'a:1,2,3,4', '--line', 'a:5,6,7,8'],
      [join(dir, 'missing')],
    ]) {
      const { code, err } = await evalCount(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(err).toMatch(/\S/);
    }
  });
});
