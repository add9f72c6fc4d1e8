import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runProgram } from '@tally/proto/cli';
import { registerSimulateDets } from '../../src/cli/commands/simulate-dets';
import { readSequence } from '../../src/eval/sequence-files';

async function simulate(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const program = new Command().name('tally-edge');
  registerSimulateDets(program);
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await runProgram(program, ['node', 'tally-edge', 'simulate-dets', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('pnpm edge simulate-dets', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tally-simulate-'));
    await mkdir(join(dir, 'in', 'gt'), { recursive: true });
    await writeFile(
      join(dir, 'in', 'seqinfo.ini'),
      '[Sequence]\nname=in\nframeRate=10\nseqLength=20\nimWidth=400\nimHeight=200\n',
    );
    const rows = Array.from({ length: 20 }, (_, i) => `${i + 1},1,${20 + i * 10},50,40,100,1,-1,-1,-1`);
    await writeFile(join(dir, 'in', 'gt', 'gt.txt'), rows.join('\n') + '\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a sequence folder that reads back (scaled frame, ground truth, detections); the same seed writes the same files', async () => {
    const out1 = join(dir, 'a');
    const r = await simulate(
      join(dir, 'in'),
      '--profile',
      'far-traffic',
      '--seed',
      '3',
      '--out',
      out1,
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      profile: 'far-traffic',
      seed: 3,
      frame: [120, 60],
      truth_boxes: 20,
    });
    const seq = await readSequence(out1);
    expect(seq.info).toMatchObject({
      name: 'in-far-traffic-s3',
      frameRate: 10,
      imWidth: 120,
      imHeight: 60,
      seqLength: 20,
    });
    expect(seq.groundTruth![0]!.box).toEqual({ x1: 6, y1: 15, x2: 18, y2: 45 });
    expect(seq.detections.every((d) => d.id === -1 && d.conf > 0 && d.conf <= 1)).toBe(true);
    const out2 = join(dir, 'b');
    expect(
      (await simulate(join(dir, 'in'), '--profile', 'far-traffic', '--seed', '3', '--out', out2)).code,
    ).toBe(0);
    expect(await readFile(join(out2, 'det', 'det.txt'), 'utf8')).toBe(
      await readFile(join(out1, 'det', 'det.txt'), 'utf8'),
    );
  });

  it('bad input exits 2 with one line and a hint', async () => {
    for (const args of [
      [join(dir, 'in'), '--profile', 'foggy', '--out', join(dir, 'x')],
      [join(dir, 'in'), '--profile', 'crowd', '--seed', '-1', '--out', join(dir, 'x')],
      [join(dir, 'in'), '--profile', 'crowd', '--scale', '0', '--out', join(dir, 'x')],
      [join(dir, 'missing'), '--profile', 'crowd', '--out', join(dir, 'x')],
    ]) {
      const { code, err } = await simulate(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(err).toMatch(/\S/);
    }
  });
});
