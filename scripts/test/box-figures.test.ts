import { describe, expect, it } from 'vitest';
import {
  alignmentShift,
  cameraSteps,
  quietCut,
  cpuPerCore,
  cpuPerFrame,
  quantile,
  stepFailures,
  tallyDiff,
  tallyUpTo,
  wholeLoopCut,
} from '../box-figures';

describe('bench:box figures', () => {
  it('steps 1, 2, 4, 8, then by 4', () => {
    expect(cameraSteps(16)).toEqual([1, 2, 4, 8, 12, 16]);
    expect(cameraSteps(3)).toEqual([1, 2]);
  });

  it('cuts whole loops in the middle of the next lead-in', () => {
    // loop = 80 lead-in + 100 clip frames: loop 1 ends at frame 180, cut at 180 + 40.
    expect(wholeLoopCut(219, 180, 80)).toBe(0);
    expect(wholeLoopCut(220, 180, 80)).toBe(220);
    expect(wholeLoopCut(399, 180, 80)).toBe(220);
    expect(wholeLoopCut(400, 180, 80)).toBe(400);
  });

  it('compares counts before a cut and names each difference', () => {
    const events = [
      { frame: 10, key: 'mid:line_cross:in' },
      { frame: 219, key: 'mid:line_cross:in' },
      { frame: 220, key: 'mid:line_cross:out' },
    ];
    expect(tallyUpTo(events, 220)).toEqual({ 'mid:line_cross:in': 2 });
    expect(tallyUpTo(events, 221, 11)).toEqual({ 'mid:line_cross:in': 1, 'mid:line_cross:out': 1 });
    expect(tallyDiff({ a: 1, b: 2 }, { a: 1, b: 2 })).toEqual([]);
    expect(tallyDiff({ a: 1 }, { a: 2, c: 1 })).toEqual(['a: 1 vs 2', 'c: 0 vs 1']);
  });

  it('lines a camera up with the baseline by the shift that matches the most events, whatever the counts', () => {
    const base = [10, 14, 40, 41, 90].map((frame, i) => ({
      frame,
      key: i % 2 ? 'z:zone_exit:-' : 'z:zone_enter:-',
    }));
    // The camera saw the same events 30 frames earlier on its inferred timeline (one a frame late), and one more.
    const camera = base.map((e, i) => ({ frame: e.frame - 30 + (i === 2 ? 1 : 0), key: e.key }));
    camera.push({ frame: 70, key: 'z:zone_enter:-' });
    expect(alignmentShift(camera, base, 60)).toBe(30);
    // Never further than allowed; nothing to match: no shift.
    expect(Math.abs(alignmentShift(camera, base, 20))).toBeLessThanOrEqual(20);
    expect(alignmentShift([], base, 60)).toBe(0);
    // Shifted, the extra event is still counted: the comparison is over the same frames, not forced to agree.
    const shifted = camera.map((e) => ({ frame: e.frame + 30, key: e.key }));
    expect(tallyDiff(tallyUpTo(shifted, 120), tallyUpTo(base, 120))).toEqual(['z:zone_enter:-: 4 vs 3']);
  });

  it('moves a cut within its lead-in away from the events there (a zone visit ending as its track expires)', () => {
    // Lead-in of 40 frames from 240; the cut would be at 260, where two visits end.
    const base = [{ frame: 232 }, { frame: 260 }, { frame: 260 }, { frame: 284 }];
    const cut = quietCut(260, 19, base);
    expect(cut).toBeGreaterThanOrEqual(241);
    expect(cut).toBeLessThanOrEqual(279);
    // Halfway between the clip's last event (232) and the expiring visits (260): the widest quiet stretch.
    expect(cut).toBe(246);
    expect(quietCut(260, 19, [])).toBe(260);
  });

  it('nearest-rank quantiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect([quantile(xs, 0.5), quantile(xs, 0.95), quantile(xs, 1), quantile([], 0.5)]).toEqual([
      50, 95, 100, 0,
    ]);
  });

  it('CPU milliseconds per camera frame of each part, their sum, and the detector per inference', () => {
    const zero = { detector: 0, cameraWorkers: 0, mainThread: 0, agentOther: 0, ffmpeg: 0, rtspServer: 0 };
    const after = {
      detector: 800,
      cameraWorkers: 300,
      mainThread: 20,
      agentOther: 40,
      ffmpeg: 200,
      rtspServer: 40,
    };
    expect(cpuPerFrame(zero, after, 200, 100)).toEqual({
      perCameraFrameMs: {
        detector: 4,
        cameraWorkers: 1.5,
        mainThread: 0.1,
        agentOther: 0.2,
        ffmpeg: 1,
        rtspServer: 0.2,
        total: 7,
      },
      detectorPerInferenceMs: 8,
    });
    expect(cpuPerFrame(zero, after, 0, 0).perCameraFrameMs.total).toBe(0);
  });

  it('CPU per core from two /proc/stat readings (idle and iowait are not busy)', () => {
    const before = 'cpu  0 0 0 0\ncpu0 100 0 100 800 0 0 0 0\ncpu1 0 0 0 1000 0 0 0 0\n';
    const after = 'cpu  0 0 0 0\ncpu0 400 0 100 1100 0 0 0 0\ncpu1 0 0 0 1500 100 0 0 0\n';
    expect(cpuPerCore(before, after)).toEqual([0.5, 0]);
  });

  it('a step fails for a slow camera, a dropped frame or a count that differs', () => {
    const ok = {
      cameraId: 'c1',
      framesReceived: 300,
      framesDetected: 300,
      framesGated: 0,
      framesDropped: 0,
      fps: 9.9,
      countDiff: [],
    };
    expect(stepFailures([ok], 9.5)).toEqual([]);
    expect(stepFailures([{ ...ok, fps: 9.2, framesDropped: 3, countDiff: ['a: 1 vs 2'] }], 9.5)).toEqual([
      'c1: 9.2 fps < 9.5',
      'c1: 3 frames dropped',
      'c1: counts differ (a: 1 vs 2)',
    ]);
  });
});
