import { describe, expect, it } from 'vitest';
import { ByteTracker } from '../../src/track/byte-tracker';
import type { Detection, TrackerOutput } from '../../src/vision/types';

const person = (x: number, y = 100, score = 0.9, className = 'person'): Detection => ({
  box: { x1: x, y1: y, x2: x + 40, y2: y + 100 },
  score,
  classId: className === 'person' ? 0 : 2,
  className,
});

/** Feeds `frames` (detections per frame) at `fps`, returning each frame's output. */
function feed(tracker: ByteTracker, frames: Detection[][], fps: number, t0 = 0): TrackerOutput[] {
  return frames.map((dets, i) => tracker.update(dets, t0 + (i * 1000) / fps));
}

describe('ByteTracker', () => {
  it('confirms a new object on its second matched frame (at once on the first frame) and keeps its id', () => {
    const tracker = new ByteTracker();
    const out = feed(
      tracker,
      [[person(0)], [person(5)], [person(10), person(300)], [person(15), person(305)]],
      10,
    );
    expect(out[0]!.tracks.map((t) => t.id)).toEqual([1]);
    expect(out[1]!.tracks.map((t) => t.id)).toEqual([1]);
    expect(out[2]!.tracks.map((t) => t.id)).toEqual([1]); // the newcomer is tentative
    expect(out[3]!.tracks.map((t) => t.id).sort()).toEqual([1, 2]);
  });

  it('gives each instance its own id counter', () => {
    const a = new ByteTracker();
    const b = new ByteTracker();
    expect(a.update([person(0)], 0).tracks[0]!.id).toBe(1);
    expect(b.update([person(0)], 0).tracks[0]!.id).toBe(1);
  });

  it('never matches a detection of another class to a track', () => {
    const tracker = new ByteTracker();
    const out = feed(tracker, [[person(0)], [person(2, 100, 0.9, 'car')], [person(4, 100, 0.9, 'car')]], 10);
    expect(out[0]!.tracks[0]!.className).toBe('person');
    expect(out[2]!.tracks).toHaveLength(1);
    expect(out[2]!.tracks[0]!.className).toBe('car');
    expect(out[2]!.tracks[0]!.id).not.toBe(out[0]!.tracks[0]!.id);
  });

  it('keeps a track alive through low-score detections, which never start tracks on their own', () => {
    const tracker = new ByteTracker();
    const frames = [[person(0)], [person(5)], [person(10, 100, 0.3)], [person(15, 100, 0.3)], [person(20)]];
    const out = feed(tracker, frames, 10);
    expect(out.map((o) => o.tracks.map((t) => t.id))).toEqual([[1], [1], [1], [1], [1]]);
    const lonely = new ByteTracker();
    expect(
      feed(lonely, [[], [person(0, 100, 0.3)], [person(5, 100, 0.3)], [person(10, 100, 0.3)]], 10).at(-1)!
        .tracks,
    ).toEqual([]);
  });

  it('re-identifies a track after a gap shorter than the lost buffer, at 5 fps and at 30 fps alike', () => {
    for (const fps of [5, 30]) {
      const tracker = new ByteTracker({ lostBufferS: 1 });
      const frames: Detection[][] = [];
      const seconds = (s: number) => Math.round(s * fps);
      // 2 s walking at 20 px/s, 0.8 s unseen, then seen again where it should be
      for (let i = 0; i < seconds(2); i++) frames.push([person((20 * i) / fps)]);
      for (let i = seconds(2); i < seconds(2.8); i++) frames.push([]);
      for (let i = seconds(2.8); i < seconds(3.4); i++) frames.push([person((20 * i) / fps)]);
      const out = feed(tracker, frames, fps);
      const ids = new Set(out.flatMap((o) => o.tracks.map((t) => t.id)));
      expect([...ids], `${fps} fps`).toEqual([1]);
      expect(out.some((o) => o.removed.length > 0)).toBe(false);
    }
  });

  it('removes a track once lost longer than the buffer in seconds, at 5 fps and at 30 fps alike', () => {
    for (const fps of [5, 30]) {
      const tracker = new ByteTracker({ lostBufferS: 1 });
      const frames: Detection[][] = [];
      for (let i = 0; i < fps; i++) frames.push([person(0)]);
      for (let i = 0; i < 2 * fps; i++) frames.push([]);
      const out = feed(tracker, frames, fps);
      const removedAt = out.findIndex((o) => o.removed.includes(1));
      // last seen at frame fps-1, i.e. (fps-1)/fps s; removed at the first frame more than 1 s later
      const removedAfterS = (removedAt - (fps - 1)) / fps;
      expect(removedAfterS, `${fps} fps`).toBeGreaterThan(1);
      expect(removedAfterS, `${fps} fps`).toBeLessThanOrEqual(1 + 1 / fps + 1e-9);
      // a detection in the same place afterwards is a new object
      expect(tracker.update([person(0)], 10_000).tracks).toEqual([]);
    }
  });

  it('reports removed ids once, and reset() forgets tracks but never reuses ids', () => {
    const tracker = new ByteTracker({ lostBufferS: 0.2 });
    const out = feed(tracker, [[person(0)], [], [], [], []], 10);
    expect(out.flatMap((o) => o.removed)).toEqual([1]);
    tracker.reset();
    expect(tracker.update([person(0)], 1000).tracks[0]!.id).toBe(2);
  });

  it('ignores detections with invalid boxes instead of failing', () => {
    const tracker = new ByteTracker();
    const bad = { ...person(0), box: { x1: NaN, y1: 0, x2: 10, y2: 10 } };
    expect(tracker.update([bad, person(100)], 0).tracks).toHaveLength(1);
  });

  it('reports the box that started a track with its first report only', () => {
    const tracker = new ByteTracker();
    tracker.update([], 0);
    const out = feed(tracker, [[person(0)], [person(8)], [person(16)]], 10, 100);
    expect(out[0]!.tracks).toEqual([]); // tentative
    expect(out[1]!.tracks[0]!.firstBox).toEqual(person(0).box);
    expect(out[2]!.tracks[0]!.firstBox).toBeUndefined();
  });

  it('reports a fit through the recent detections: jitter damped, steady motion followed without lag', () => {
    // deterministic pseudo-noise of ±4 px
    const jitter = (i: number, k: number) => ((((i * 7919 + k * 104729) % 97) / 97) * 2 - 1) * 4;
    for (const fps of [10, 30]) {
      // 3 s of a person walking right at 50 px/s and coming closer (height +10 px/s)
      const truth = (i: number) => {
        const t = i / fps;
        return { x1: 50 * t, y1: 100, x2: 50 * t + 40 + 4 * t, y2: 200 + 10 * t };
      };
      const n = 3 * fps;
      const clean = Array.from({ length: n }, (_, i) => [{ ...person(0), box: truth(i) }]);
      const noisy = clean.map(([d], i) => [
        {
          ...d!,
          box: {
            x1: d!.box.x1 + jitter(i, 1),
            y1: d!.box.y1 + jitter(i, 2),
            x2: d!.box.x2 + jitter(i, 3),
            y2: d!.box.y2 + jitter(i, 4),
          },
        },
      ]);
      const boxes = (frames: Detection[][], options = {}) =>
        feed(new ByteTracker(options), frames, fps).map((o) => o.tracks[0]!.box);
      // a straight path is followed exactly: a line, not a mean, so no lag
      boxes(clean).forEach((b, i) => {
        for (const k of ['x1', 'y1', 'x2', 'y2'] as const) expect(b[k]).toBeCloseTo(truth(i)[k], 6);
      });
      // σ 0: the detection's own box
      const raw = boxes(noisy, { reportCentreS: 0, reportSizeS: 0 });
      raw.forEach((b, i) => {
        for (const k of ['x1', 'y1', 'x2', 'y2'] as const) expect(b[k]).toBeCloseTo(noisy[i]![0]!.box[k], 9);
      });
      // the default follows the true path more closely than the jittered detections do
      const error = (list: typeof raw) =>
        list.reduce((e, b, i) => {
          const g = truth(i);
          return (
            e + Math.abs(b.x1 - g.x1) + Math.abs(b.y1 - g.y1) + Math.abs(b.x2 - g.x2) + Math.abs(b.y2 - g.y2)
          );
        }, 0);
      expect(error(boxes(noisy)), `${fps} fps`).toBeLessThan(0.7 * error(raw));
    }
    expect(() => new ByteTracker({ reportCentreS: -1 })).toThrow(/reportCentreS/);
    expect(() => new ByteTracker({ reportSizeS: NaN })).toThrow(/reportSizeS/);
  });

  it('keeps no state for objects long gone (bounded memory over a long run)', () => {
    const tracker = new ByteTracker({ lostBufferS: 1 });
    // 500 people, each seen for 1 s at 10 fps, one after another, at different places
    let removed = 0;
    for (let i = 0; i < 5000; i++) {
      const who = Math.floor(i / 10);
      const out = tracker.update([person((who % 7) * 100 + (i % 10))], i * 100);
      removed += out.removed.length;
    }
    for (let i = 5000; i < 5030; i++) removed += tracker.update([], i * 100).removed.length;
    expect(removed).toBeGreaterThan(60); // neighbours 100 px apart may continue one track; most end
    expect((tracker as unknown as { tracks: unknown[] }).tracks).toHaveLength(0);
  });
});
