import { describe, expect, it } from 'vitest';
import { dropShortTracks } from '../../src/eval/drop-short-tracks';
import { interpolateGaps, type FrameBox } from '../../src/eval/interpolate-gaps';
import { smoothTracks } from '../../src/eval/smooth-tracks';

const at = (id: number, x: number): FrameBox => ({ id, box: { x1: x, y1: 0, x2: x + 10, y2: 20 } });

/** frames[f] from a list of [frame, box] per track; `length` frames in all. */
function frames(length: number, ...seen: [number, FrameBox][]): FrameBox[][] {
  const out: FrameBox[][] = Array.from({ length }, () => []);
  for (const [f, b] of seen) out[f]!.push(b);
  return out;
}

describe('interpolateGaps', () => {
  it('fills a short gap linearly between the two observations on either side', () => {
    // track 1 at x=0 in frame 0, unseen in 1-3, at x=40 in frame 4: gap 4 frames = 0.4 s at 10 fps
    const input = frames(6, [0, at(1, 0)], [4, at(1, 40)], [5, at(1, 50)]);
    const { frames: out, added } = interpolateGaps(input, 10, 0.4);
    expect(added).toBe(3);
    expect(out.map((l) => l.map((b) => b.box.x1))).toEqual([[0], [10], [20], [30], [40], [50]]);
    expect(out[2]![0]).toEqual(at(1, 20));
    expect(input[2]).toEqual([]); // the input is not modified
  });

  it('leaves gaps longer than the limit, in seconds, so 10 and 25 fps behave alike', () => {
    const gap = (fps: number, frameGap: number, maxGapS: number) =>
      interpolateGaps(frames(frameGap + 1, [0, at(1, 0)], [frameGap, at(1, 10)]), fps, maxGapS).added;
    expect(gap(10, 5, 0.5)).toBe(4); // 0.5 s
    expect(gap(10, 6, 0.5)).toBe(0); // 0.6 s
    expect(gap(25, 12, 0.5)).toBe(11); // 0.48 s
    expect(gap(25, 13, 0.5)).toBe(0); // 0.52 s
    expect(gap(25, 12, 0)).toBe(0);
  });

  it('fills each track from its own observations, and nothing before its first or after its last', () => {
    const input = frames(8, [1, at(1, 0)], [3, at(1, 20)], [0, at(2, 100)], [4, at(2, 60)]);
    const out = interpolateGaps(input, 10, 1).frames;
    const of = (id: number) => out.map((l) => l.find((b) => b.id === id)?.box.x1 ?? null);
    expect(of(1)).toEqual([null, 0, 10, 20, null, null, null, null]);
    expect(of(2)).toEqual([100, 90, 80, 70, 60, null, null, null]);
  });

  it('rejects a bad frame rate or a negative gap', () => {
    expect(() => interpolateGaps([], 0, 1)).toThrow(/frameRate/);
    expect(() => interpolateGaps([], 10, -1)).toThrow(/maxGapS/);
  });
});

describe('dropShortTracks', () => {
  it('drops tracks living less than the limit (first to last frame, in seconds) and keeps the rest whole', () => {
    // at 10 fps: track 1 lives frames 0-4 (0.5 s), track 2 frames 2-5 (0.4 s), track 3 frames 6 and 9 (0.4 s)
    const input = frames(
      10,
      ...[0, 1, 2, 3, 4].map((f): [number, FrameBox] => [f, at(1, f)]),
      ...[2, 3, 4, 5].map((f): [number, FrameBox] => [f, at(2, 50 + f)]),
      [6, at(3, 0)],
      [9, at(3, 9)],
    );
    const { frames: out, dropped } = dropShortTracks(input, 10, 0.5);
    expect(dropped).toEqual([2, 3]);
    expect(out.flat().map((b) => b.id)).toEqual([1, 1, 1, 1, 1]);
    expect(dropShortTracks(input, 25, 0.2).dropped).toEqual([2, 3]); // 5 frames at 25 fps = 0.2 s
    expect(dropShortTracks(input, 10, 0).dropped).toEqual([]);
    expect(input.flat()).toHaveLength(11); // the input is not modified
  });

  it('rejects a bad frame rate or a negative duration', () => {
    expect(() => dropShortTracks([], -1, 1)).toThrow(/frameRate/);
    expect(() => dropShortTracks([], 10, NaN)).toThrow(/minTrackS/);
  });
});

describe('smoothTracks', () => {
  /** Track `id` moving 4 px per frame, from frame `from` to `to`, its x offset by `noise(f)`. */
  const walk = (id: number, from: number, to: number, noise = (_f: number) => 0): [number, FrameBox][] =>
    Array.from({ length: to - from + 1 }, (_, i): [number, FrameBox] => [
      from + i,
      at(id, (from + i) * 4 + noise(from + i)),
    ]);

  it('leaves steady motion exactly where it is, up to the ends of the track (a local linear fit)', () => {
    const input = frames(20, ...walk(1, 2, 17));
    const out = smoothTracks(input, 10, 0.5);
    out.forEach((list, f) => {
      expect(list.map((b) => b.id)).toEqual(input[f]!.map((b) => b.id));
      list.forEach((b, i) => {
        for (const k of ['x1', 'y1', 'x2', 'y2'] as const)
          expect(b.box[k]).toBeCloseTo(input[f]![i]!.box[k], 9);
      });
    });
  });

  it('pulls jittered boxes back towards the path, each track from its own boxes only', () => {
    const jitter = (f: number) => (f % 2 ? 6 : -6);
    const input = frames(30, ...walk(1, 0, 29, jitter), ...walk(2, 5, 25));
    const out = smoothTracks(input, 10, 0.3);
    const error = (list: FrameBox[][], id: number) =>
      list.reduce((e, l, f) => e + Math.abs((l.find((b) => b.id === id)?.box.x1 ?? f * 4) - f * 4), 0);
    expect(error(input, 1)).toBe(30 * 6);
    expect(error(out, 1)).toBeLessThan(error(input, 1) / 3);
    expect(error(out, 2)).toBeCloseTo(0, 6); // not disturbed by its jittery neighbour
    expect(out.flat()).toHaveLength(input.flat().length);
  });

  it('σ is in seconds: a wider kernel at the same frame rate smooths more, σ = 0 changes nothing', () => {
    const jitter = (f: number) => (f % 2 ? 6 : -6);
    const input = frames(30, ...walk(1, 0, 29, jitter));
    const mid = (sigmaS: number, fps: number) => smoothTracks(input, fps, sigmaS)[15]![0]!.box.x1 - 60;
    expect(Math.abs(mid(0.3, 10))).toBeLessThan(Math.abs(mid(0.1, 10)));
    // σ 0.1 s at 10 fps and 0.04 s at 25 fps are both 1 frame: the same kernel over the same frames
    expect(mid(0.1, 10)).toBeCloseTo(mid(0.04, 25), 9);
    expect(mid(0.1, 25)).not.toBeCloseTo(mid(0.1, 10), 3);
    expect(smoothTracks(input, 10, 0)).toEqual(input);
    const single = frames(3, [1, at(9, 7)]);
    expect(smoothTracks(single, 10, 0.5)).toEqual(single);
  });

  it('rejects a bad frame rate or a negative σ', () => {
    expect(() => smoothTracks([], 0, 1)).toThrow(/frameRate/);
    expect(() => smoothTracks([], 10, -0.1)).toThrow(/sigmaS/);
  });
});
