/**
 * eval-mot's core on the real MOT15 sequences (../shared/data/mot): accuracy floors and line counts equal to the
 * ground truth's. Floors at the measured values (docs/BENCHMARKS.md "Accuracy (MOT15)"), for the reported tracks
 * (online tracker + offline post-process: short tracks dropped, gaps up to 0.5 s interpolated, boxes smoothed with
 * σ 0.5 s) and for the online output alone. Both sequences meet the targets (KITTI-17 ≥ 0.65,
 * TUD-Stadtmitte ≥ 0.72) online, frame by frame as a camera runs (SORT's setting): measured 0.657 and 0.729
 * (SORT 0.602 on KITTI-17), and with the post-process: 0.691 and 0.754.
 */
import { describe, expect, it } from 'vitest';
import { assets, requireAsset } from '@tally/proto/assets';
import { parseLineArg } from '../../src/count/rule-args';
import { evalSequence } from '../../src/eval/sequence-eval';
import { readSequence } from '../../src/eval/sequence-files';

/** Vertical lines across each scene where people walk (pixels; p1 at the bottom so `in` is to the right). */
const CASES = [
  {
    name: 'KITTI-17',
    lines: ['x500:500,370,500,150', 'x700:700,370,700,150', 'x850:850,370,850,150'],
    floor: { mota: 0.69, idf1: 0.78 },
    online: { mota: 0.65, idf1: 0.77 },
  },
  {
    name: 'TUD-Stadtmitte',
    lines: ['x240:240,450,240,150', 'x320:320,450,320,150', 'x400:400,450,400,150'],
    // reported IDF1 0.832 → 0.829 with the lost-track recovery (issue 13: online MOTA and IDF1 both rose, one more
    // line crossing counted; the post-process joins one fewer pair of tracks): floor 0.83 → 0.825
    floor: { mota: 0.75, idf1: 0.825 },
    online: { mota: 0.72, idf1: 0.8 },
  },
];

describe('eval-mot on MOT15 with the default tracker and post-process', () => {
  for (const c of CASES) {
    it(`${c.name}: accuracy floors, and line counts equal to the ground truth's`, async () => {
      const files = await readSequence(requireAsset(assets.motSequence(c.name)));
      const lines = c.lines.map((l) => parseLineArg(l, files.info.imWidth, files.info.imHeight));
      const result = evalSequence({ ...files, lines });
      const m = result.metrics!;
      expect(result.frames).toBe(files.info.seqLength);
      expect(m.mota).toBeGreaterThanOrEqual(c.floor.mota);
      expect(m.idf1).toBeGreaterThanOrEqual(c.floor.idf1);
      expect(result.online!.mota).toBeGreaterThanOrEqual(c.online.mota);
      expect(result.online!.idf1).toBeGreaterThanOrEqual(c.online.idf1);
      expect(result.offline.interpolated).toBeGreaterThan(0);
      expect(result.counts).toEqual(m.gt_counts);
      // the lines are really crossed, in total by several people
      const crossings = Object.values(m.gt_counts).reduce((n, x) => n + x.in + x.out, 0);
      expect(crossings).toBeGreaterThanOrEqual(5);
      expect(result.rows.length).toBeGreaterThan(0);
      expect(result.rows[0]).toMatch(/^1,\d+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,1,-1,-1,-1$/);
    });
  }
});
