/**
 * Regression of issue 13: a small, far object whose detector scores stay under the birth threshold (as detectors
 * score small objects) was never tracked, so it was never counted. A box shorter than `smallBoxPx` is scored up to
 * `smallScoreBoost` higher; a large box with the same score is treated as before.
 */
import { describe, expect, it } from 'vitest';
import { ByteTracker, DEFAULT_TRACKER_OPTIONS } from '../../src/track/byte-tracker';
import type { Detection } from '../../src/vision/types';

/** A box `h` px tall (half as wide) at x, scored `score`. */
const det = (x: number, h: number, score: number): Detection => ({
  box: { x1: x, y1: 100, x2: x + h / 2, y2: 100 + h },
  score,
  classId: 2,
  className: 'car',
});

/** Ids reported per frame for an object moving 1 px per frame, 20 frames at 10 fps. */
function reported(h: number, score: number, options = {}): number[][] {
  const tracker = new ByteTracker(options);
  const out: number[][] = [];
  for (let i = 0; i < 20; i++)
    out.push(tracker.update([det(50 + i, h, score)], i * 100).tracks.map((t) => t.id));
  return out;
}

describe('small objects with low scores', () => {
  it('a 20 px car scored 0.55 is tracked under one id in every frame', () => {
    // 0.55 + 0.3 · (1 − 20 / 60) = 0.75 ≥ the birth threshold 0.7 (the tracker's first frame confirms at once)
    const ids = reported(20, 0.55);
    expect(ids.every((f) => f.length === 1 && f[0] === ids[0]![0])).toBe(true);
  });

  it('a 100 px car with the same score is not (it is not small: its score is its own)', () => {
    expect(reported(100, 0.55).flat()).toEqual([]);
  });

  it('with the boost off, the small car is not tracked either (the behaviour before)', () => {
    expect(DEFAULT_TRACKER_OPTIONS.smallScoreBoost).toBeGreaterThan(0);
    expect(reported(20, 0.55, { smallScoreBoost: 0 }).flat()).toEqual([]);
  });
});

describe('small fast objects', () => {
  /** Ids per frame for a `h` px tall box (half as wide) moving `step` px per frame, 20 frames at 10 fps. */
  function ids(h: number, step: number, options = {}): number[][] {
    const tracker = new ByteTracker(options);
    const out: number[][] = [];
    for (let i = 0; i < 20; i++)
      out.push(tracker.update([det(50 + step * i, h, 0.9)], i * 100).tracks.map((t) => t.id));
    return out;
  }

  it('a 20 px car moving 8 px a frame (its boxes overlap by IoU 0.1 between frames) is tracked in every frame under one id', () => {
    const seen = ids(20, 8).flat();
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(1);
  });

  it('without the buffered match it is lost after its first frame (the behaviour before)', () => {
    expect(ids(20, 8, { smallMatchBuffer: 0 }).flat()).toEqual([1]);
  });
});
