import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { assets, requireAsset } from '@tally/proto/assets';
import { runProgram } from '@tally/proto/cli';
import { registerEvalMot } from '../../src/cli/commands/eval-mot';

/** Runs `tally-edge eval-mot …` in-process; returns the exit code, stdout and stderr. */
async function evalMot(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const program = new Command().name('tally-edge');
  registerEvalMot(program);
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await runProgram(program, ['node', 'tally-edge', 'eval-mot', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('pnpm edge eval-mot', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tally-eval-mot-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a summary, then the JSON result as the last line, and writes MOTChallenge tracks', async () => {
    const seq = requireAsset(assets.motSequence('KITTI-17'));
    const tracks = join(dir, 'tracks.txt');
    const { code, out } = await evalMot(seq, '--line', 'mid:850,370,850,150', '--out', tracks);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^KITTI-17: 145 frames, \d+ tracks, MOTA 0\.\d+/);
    const result = JSON.parse(lines.at(-1)!);
    expect(result).toMatchObject({
      frames: 145,
      counts: { mid: { in: 8, out: 1 } },
      gt_counts: { mid: { in: 8, out: 1 } },
    });
    for (const k of ['mota', 'motp', 'idf1', 'idsw', 'fp', 'fn', 'tracks'])
      expect(typeof result[k]).toBe('number');
    const rows = (await readFile(tracks, 'utf8')).trim().split('\n');
    expect(rows.length).toBeGreaterThan(300);
    expect(rows.every((r) => /^\d+,\d+,(-?[\d.]+,){4}1,-1,-1,-1$/.test(r))).toBe(true);
  });

  it('with --json prints only the JSON; without gt/gt.txt it reports no metrics', async () => {
    const seq = join(dir, 'no-gt');
    await mkdir(join(seq, 'det'), { recursive: true });
    await writeFile(
      join(seq, 'seqinfo.ini'),
      '[Sequence]\nname=tiny\nframeRate=5\nseqLength=3\nimWidth=100\nimHeight=100\n',
    );
    await writeFile(
      join(seq, 'det', 'det.txt'),
      '1,-1,10,10,20,40,0.9\n2,-1,12,10,20,40,0.9\n3,-1,14,10,20,40,0.9\n',
    );
    const { code, out } = await evalMot(seq, '--json');
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(1);
    const result = JSON.parse(out);
    expect(result).toEqual({
      sequence: 'tiny',
      frames: 3,
      tracks: 1,
      counts: {},
      offline: {
        interpolate_max_gap_s: 0.5,
        min_track_s: 0.5,
        smooth_sigma_s: 0.5,
        interpolated_boxes: 0,
        dropped_tracks: 0,
      },
    });
  });

  it('reports the post-processed scores and the online ones; --no-interpolate --min-track-s 0 --no-smooth: none', async () => {
    const seq = requireAsset(assets.motSequence('TUD-Stadtmitte'));
    const run = async (...args: string[]) => {
      const { code, out } = await evalMot(seq, '--json', ...args);
      expect(code).toBe(0);
      return JSON.parse(out.trim().split('\n').at(-1)!);
    };
    const byDefault = await run();
    expect(byDefault.offline).toMatchObject({
      interpolate_max_gap_s: 0.5,
      min_track_s: 0.5,
      smooth_sigma_s: 0.5,
    });
    expect(byDefault.offline.interpolated_boxes).toBeGreaterThan(0);
    expect(byDefault.offline.dropped_tracks).toBeGreaterThan(0);
    expect(byDefault.mota).toBeGreaterThan(byDefault.online.mota);
    const off = await run('--no-interpolate', '--min-track-s', '0', '--no-smooth');
    expect(off.offline).toEqual({
      interpolate_max_gap_s: 0,
      min_track_s: 0,
      smooth_sigma_s: 0,
      interpolated_boxes: 0,
      dropped_tracks: 0,
    });
    expect(off.online).toEqual(byDefault.online);
    for (const k of ['mota', 'idf1', 'idsw', 'fp', 'fn']) expect(off[k]).toBe(off.online[k]);
    const longer = await run('--interpolate=1', '--min-track-s=0');
    expect(longer.offline.interpolate_max_gap_s).toBe(1);
    expect(longer.offline.interpolated_boxes).toBeGreaterThan(byDefault.offline.interpolated_boxes);
    const bare = await run('--interpolate', '--smooth=0.3');
    expect(bare.offline).toMatchObject({ interpolate_max_gap_s: 0.5, smooth_sigma_s: 0.3 });
    // the line counts are the live tracker's, whatever the post-process
    expect(off.counts).toEqual(byDefault.counts);
  });

  it('exits 2 with a clear message for a missing folder, a malformed file or a bad line', async () => {
    const missing = await evalMot(join(dir, 'nothing-here'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read .*seqinfo\.ini: ENOENT/);
    const bad = join(dir, 'bad');
    await mkdir(join(bad, 'det'), { recursive: true });
    await writeFile(join(bad, 'seqinfo.ini'), '[Sequence]\nframeRate=5\nimWidth=100\nimHeight=100\n');
    await writeFile(join(bad, 'det', 'det.txt'), '1,-1,10,10,20,40,0.9\noops\n');
    const malformed = await evalMot(bad);
    expect(malformed.code).toBe(2);
    expect(malformed.err).toMatch(/det\.txt:2: expected/);
    const line = await evalMot(requireAsset(assets.motSequence('KITTI-17')), '--line', 'a:5,5,5,5');
    expect(line.code).toBe(2);
    expect(line.err).toMatch(/end points are equal/);
    const gap = await evalMot(requireAsset(assets.motSequence('KITTI-17')), '--interpolate=-1');
    expect(gap.code).toBe(2);
    expect(gap.err).toMatch(/--interpolate -1: expected seconds ≥ 0/);
    const min = await evalMot(requireAsset(assets.motSequence('KITTI-17')), '--min-track-s', 'soon');
    expect(min.code).toBe(2);
    expect(min.err).toMatch(/--min-track-s soon: expected seconds ≥ 0/);
    const smooth = await evalMot(requireAsset(assets.motSequence('KITTI-17')), '--smooth=wide');
    expect(smooth.code).toBe(2);
    expect(smooth.err).toMatch(/--smooth wide: expected seconds ≥ 0/);
  });
});
