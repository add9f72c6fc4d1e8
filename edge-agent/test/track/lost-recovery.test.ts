/**
 * Issue 13: the tracker's recovery stage (2b). A lost track's box and the detections no track took are grown by how
 * long it has been unseen (`lostBufferPerS`), so an object that reappears a little off its predicted path takes its
 * old id back; it never takes a detection that a tracked object matches plainly.
 */
import { describe, expect, it } from 'vitest';
import { ByteTracker, DEFAULT_TRACKER_OPTIONS } from '../../src/track/byte-tracker';
import type { Detection } from '../../src/vision/types';

/** A 50 × 100 px person with the feet at (x, y). */
const person = (x: number, y: number): Detection => ({
  box: { x1: x - 25, y1: y - 100, x2: x + 25, y2: y },
  score: 0.85,
  classId: 0,
  className: 'person',
});

/** Walks right at 100 px/s (10 fps), unseen for frames 10–19 (1 s), then seen 40 px short of where it would be. */
function hiddenWalker(options = {}): number[][] {
  const tracker = new ByteTracker(options);
  const ids: number[][] = [];
  for (let i = 0; i < 30; i++) {
    const x = i < 20 ? 100 + 10 * i : 100 + 10 * i - 40;
    const dets = i >= 10 && i < 20 ? [] : [person(x, 500)];
    ids.push(tracker.update(dets, i * 100).tracks.map((t) => t.id));
  }
  return ids;
}

describe('lost-track recovery', () => {
  it('an object unseen for 1 s that reappears 40 px off its path keeps its id', () => {
    // 40 px on a 50 px wide box is too far for a plain match (next test); the boxes grown by 0.3 of their size on
    // each side after 1 s unseen overlap enough (a plain match holds up to 30 px here, recovery up to 45 px)
    const ids = hiddenWalker();
    expect(new Set(ids.flat())).toEqual(new Set([1]));
    expect(ids.slice(20).every((f) => f.length === 1)).toBe(true);
  });

  it('without it (lostBufferPerS 0) the object gets a new id (the behaviour before)', () => {
    expect(DEFAULT_TRACKER_OPTIONS.lostBufferPerS).toBeGreaterThan(0);
    expect(new Set(hiddenWalker({ lostBufferPerS: 0 }).flat()).size).toBe(2);
  });

  it('a lost track does not take the detection of a tracked object next to where it vanished', () => {
    const tracker = new ByteTracker();
    let a = 0;
    let b = 0;
    for (let i = 0; i < 25; i++) {
      // A stands at x = 300; B stands at x = 340 (boxes overlap, IoU 0.11) and is unseen from frame 10 on
      const dets = i < 10 ? [person(300, 500), person(340, 500)] : [person(300, 500)];
      const out = tracker.update(dets, i * 100);
      if (i === 9) [a, b] = out.tracks.map((t) => t.id).sort() as [number, number];
      if (i >= 10) expect(out.tracks.map((t) => t.id)).toEqual([a]);
    }
    expect(b).not.toBe(a);
  });
});
