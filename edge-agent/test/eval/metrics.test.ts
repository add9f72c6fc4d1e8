import { describe, expect, it } from 'vitest';
import { clearMot, MotAccumulator, type FrameTruth } from '../../src/eval/clear-mot';
import { idMetrics, idMetricsFromFrames } from '../../src/eval/idf1';
import type { Box } from '../../src/vision/types';

const b = (x: number, w = 10): Box => ({ x1: x, y1: 0, x2: x + w, y2: 10 });
const at = (id: number, x: number, w = 10) => ({ id, box: b(x, w) });
const frame = (
  gt: FrameTruth['gt'],
  hyp: FrameTruth['hyp'],
  ignore: FrameTruth['ignore'] = [],
): FrameTruth => ({ gt, hyp, ignore });

describe('CLEAR-MOT and IDF1 on hand-computed cases', () => {
  it('perfect tracking', () => {
    const frames = [
      frame([at(1, 0), at(2, 50)], [at(7, 0), at(8, 50)]),
      frame([at(1, 1), at(2, 51)], [at(7, 1), at(8, 51)]),
    ];
    expect(clearMot(frames)).toMatchObject({ mota: 1, motp: 1, fp: 0, fn: 0, idsw: 0, gt: 4 });
    expect(idMetrics(frames).idf1).toBe(1);
  });

  it('an id switch: MOTA 1 − 1/4, IDF1 2·2/(4+4)', () => {
    const frames = [0, 1, 2, 3].map((i) => frame([at(1, i)], [at(i < 2 ? 1 : 2, i)]));
    const m = clearMot(frames);
    expect(m).toMatchObject({ idsw: 1, fp: 0, fn: 0 });
    expect(m.mota).toBeCloseTo(0.75);
    expect(idMetrics(frames).idf1).toBeCloseTo(0.5);
  });

  it('a miss and a false alarm when the overlap is below 0.5', () => {
    // IoU of [0,10] and [6,16] = 4/16 = 0.25
    const m = clearMot([frame([at(1, 0)], [at(1, 6)])]);
    expect(m).toMatchObject({ fp: 1, fn: 1, idsw: 0, matches: 0 });
    expect(m.mota).toBe(-1);
  });

  it('keeps an established match while it holds IoU ≥ 0.5, even if another hypothesis fits better', () => {
    // frame 1: only a matches; frame 2: a still overlaps 0.67, b overlaps 1.0 → keep a, b is a false positive
    const frames = [frame([at(1, 0)], [at(10, 0)]), frame([at(1, 0)], [at(10, 2), at(11, 0)])];
    expect(clearMot(frames)).toMatchObject({ idsw: 0, fp: 1, fn: 0 });
  });

  it('counts a switch against the last match even across frames where the object was missed', () => {
    const frames = [frame([at(1, 0)], [at(10, 0)]), frame([at(1, 0)], []), frame([at(1, 0)], [at(11, 0)])];
    expect(clearMot(frames)).toMatchObject({ idsw: 1, fn: 1, fp: 0 });
  });

  it('prefers the most matches, then the least distance (optimal, not greedy)', () => {
    // hyp 10 overlaps gt 1 best and gt 2 a little; a greedy match would leave gt 2 unmatched.
    const frames = [frame([at(1, 0), at(2, 4)], [at(10, 2), at(11, 5)])];
    expect(clearMot(frames)).toMatchObject({ matches: 2, fp: 0, fn: 0 });
  });

  it('a hypothesis on an ignore box is neither TP nor FP, and IDF1 leaves it out', () => {
    const frames = [frame([at(1, 0)], [at(10, 0), at(11, 100)], [at(99, 100)])];
    const m = clearMot(frames);
    expect(m).toMatchObject({ fp: 0, fn: 0, matches: 1, mota: 1 });
    expect(idMetrics(frames, m.ignored).idf1).toBe(1);
    expect(idMetrics(frames).idf1).toBeCloseTo(2 / 3); // without the ignore list the extra box would count
  });

  it('IDF1 assigns identities globally: each truth id to at most one hypothesis id', () => {
    // gt 1 is followed by hyp 10 for 3 frames, then by hyp 11 for 1; gt 2 is followed by hyp 11 for 2 frames.
    const frames = [
      frame([at(1, 0), at(2, 100)], [at(10, 0), at(11, 100)]),
      frame([at(1, 0), at(2, 100)], [at(10, 0), at(11, 100)]),
      frame([at(1, 0)], [at(10, 0)]),
      frame([at(1, 0)], [at(11, 0)]),
    ];
    const id = idMetrics(frames);
    expect(id.idtp).toBe(5); // (1,10)=3 + (2,11)=2
    expect(id.idf1).toBeCloseTo((2 * 5) / (6 + 6));
  });
});

describe('against py-motmetrics', () => {
  it("reproduces the example of py-motmetrics' README (MOTA 50.0 %, MOTP 0.340, IDF1 83.3 %, FP 1, FN 1, IDs 1)", () => {
    // acc.update([1, 2], [1, 2, 3], [[0.1, nan, 0.3], [0.5, 0.2, 0.3]]) and the two frames that follow
    const frames = [
      { gtIds: [1, 2], hypIds: [1, 2, 3], dist: [0.1, NaN, 0.3, 0.5, 0.2, 0.3] },
      { gtIds: [1, 2], hypIds: [1], dist: [0.2, 0.4] },
      { gtIds: [1, 2], hypIds: [1, 3], dist: [0.6, 0.2, 0.1, 0.6] },
    ];
    const acc = new MotAccumulator();
    for (const f of frames) acc.update(f.gtIds, f.hypIds, f.dist);
    expect({ fp: acc.fp, fn: acc.fn, idsw: acc.idsw, matches: acc.matches }).toEqual({
      fp: 1,
      fn: 1,
      idsw: 1,
      matches: 5,
    });
    expect(acc.mota).toBeCloseTo(0.5, 10);
    expect(acc.motp).toBeCloseTo(0.34, 10);
    expect(idMetricsFromFrames(frames).idf1).toBeCloseTo(5 / 6, 10);
  });
});
