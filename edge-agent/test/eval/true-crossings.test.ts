/**
 * The truth of eval-count: crossings derived from ground-truth tracks with a margin on both sides of the line, and
 * the count error computed from got/truth. Expected values are worked out by hand from the drawn paths.
 */
import { describe, expect, it } from 'vitest';
import type { Box } from '../../src/vision/types';
import { scoreCounts } from '../../src/eval/count-error';
import { gridLines } from '../../src/eval/grid-lines';
import { trackCrossings, trueCrossings, type TruthLine } from '../../src/eval/true-crossings';

/** A 20×40 box whose feet (bottom centre) are at (x, y). */
const feet = (x: number, y: number): Box => ({ x1: x - 10, y1: y - 40, x2: x + 10, y2: y });
/** A vertical line at x = 100 from y = 200 (p1, bottom) to y = 0: `in` = moving right. */
const LINE: TruthLine = { id: 'v', p1: { x: 100, y: 200 }, p2: { x: 100, y: 0 } };
const path = (...xs: number[]) => xs.map((x) => feet(x, 100));

describe('true crossings from ground-truth tracks', () => {
  it('a walk from margin to margin across the line counts once, in the direction of the convention', () => {
    expect(trackCrossings(path(80, 90, 99, 101, 110, 120), LINE, 5)).toEqual({ in: 1, out: 0 });
    expect(trackCrossings(path(120, 110, 101, 99, 90, 80), LINE, 5)).toEqual({ in: 0, out: 1 });
  });

  it('wobbling on the line, or drifting across by less than the margin, is no crossing', () => {
    expect(trackCrossings(path(97, 103, 98, 102, 99, 101, 97, 104), LINE, 5)).toEqual({ in: 0, out: 0 });
    // from well left to just past the line, and staying there: it never gets the margin past
    expect(trackCrossings(path(60, 80, 96, 102, 104, 104, 103), LINE, 5)).toEqual({ in: 0, out: 0 });
  });

  it('across and back counts one each way; wobble in between adds nothing', () => {
    expect(trackCrossings(path(80, 120, 103, 98, 104, 120, 80), LINE, 5)).toEqual({ in: 1, out: 1 });
  });

  it('a path that goes round an end of the segment is no crossing', () => {
    const round = [feet(80, 100), feet(80, 250), feet(120, 250), feet(120, 100)];
    expect(trackCrossings(round, LINE, 5)).toEqual({ in: 0, out: 0 });
  });

  it('a gap in the track is bridged by a straight step', () => {
    expect(trackCrossings(path(60, 140), LINE, 5)).toEqual({ in: 1, out: 0 });
  });

  it('sums over tracks per line', () => {
    const tracks = [
      { id: 1, boxes: path(80, 120) },
      { id: 2, boxes: path(120, 80) },
      { id: 3, boxes: path(70, 130) },
    ];
    expect(trueCrossings(tracks, [LINE], 5)).toEqual({ v: { in: 2, out: 1 } });
  });
});

describe('count error', () => {
  it('Σ|got − truth| / Σ truth, with over- and undercount apart, and directions off by more than max(1, 20 %)', () => {
    const s = scoreCounts(
      { a: { in: 12, out: 3 }, b: { in: 0, out: 2 } },
      { a: { in: 10, out: 5 }, b: { in: 1, out: 4 } },
    );
    // |12−10| + |3−5| + |0−1| + |2−4| = 7 over truth 20; over 2, under 5
    expect(s.truth).toBe(20);
    expect(s.error).toBeCloseTo(7 / 20, 10);
    expect(s.overcount).toBeCloseTo(2 / 20, 10);
    expect(s.undercount).toBeCloseTo(5 / 20, 10);
    // a.in off by 2 > max(1, 2) no; a.out 2 > max(1, 1) yes; b.in 1 > 1 no; b.out 2 > max(1, 0.8) yes
    expect(s.directions.filter((d) => d.off).map((d) => `${d.line}.${d.direction}`)).toEqual([
      'a.out',
      'b.out',
    ]);
  });

  it('a line nobody crosses adds its got to the overcount; no truth at all gives no ratio', () => {
    expect(scoreCounts({ a: { in: 1, out: 0 } }, { a: { in: 0, out: 0 } }).error).toBeNull();
    const s = scoreCounts(
      { a: { in: 1, out: 0 }, b: { in: 2, out: 0 } },
      { a: { in: 0, out: 0 }, b: { in: 2, out: 0 } },
    );
    expect(s.overcount).toBeCloseTo(0.5, 10);
  });
});

describe('grid lines', () => {
  it('n vertical lines (in = right) and n horizontal ones (in = down), evenly spaced', () => {
    const lines = gridLines(3, 400, 200);
    expect(lines.map((l) => l.id)).toEqual(['x100', 'x200', 'x300', 'y50', 'y100', 'y150']);
    const px = (l: (typeof lines)[number]): TruthLine => ({
      id: l.id,
      p1: { x: l.p1.x * 400, y: l.p1.y * 200 },
      p2: { x: l.p2.x * 400, y: l.p2.y * 200 },
    });
    // moving right across x200, moving down across y100
    expect(trackCrossings([feet(150, 120), feet(250, 120)], px(lines[1]!), 2)).toEqual({ in: 1, out: 0 });
    expect(trackCrossings([feet(50, 80), feet(50, 130)], px(lines[4]!), 2)).toEqual({ in: 1, out: 0 });
  });
});
