import { describe, expect, it } from 'vitest';
import type { CameraConfig } from '@tally/proto';
import { addBox, addPolygon, addSegmentBand, emptyMask } from '../../src/motion/cell-mask';
import { DetectionGate, type GateDecision } from '../../src/motion/detection-gate';
import { FrameGate } from '../../src/motion/frame-gate';
import { GreyGrid, gridGeometry } from '../../src/motion/grey-grid';
import { MotionDetector } from '../../src/motion/motion-detector';
import type { Frame } from '../../src/vision/types';

const W = 416;
const H = 312;

/** A mid-grey BGR frame with uniform sensor noise of ±`noise` levels per channel (seeded). */
const noiseCache = new Map<number, Uint8Array>();
function noisyFrame(seed: number): Uint8Array {
  const key = seed % 16;
  if (!noiseCache.has(key)) noiseCache.set(key, makeNoise(key + 1, 12));
  return Uint8Array.from(noiseCache.get(key)!);
}

function makeNoise(seed: number, noise: number): Uint8Array {
  const data = new Uint8Array(W * H * 3);
  let s = seed * 2654435761;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    data[i] = 120 + ((s >> 8) % (2 * noise + 1)) - noise;
  }
  return data;
}

/** Paints a dark rectangle (a person) into a BGR frame, pixel coordinates. */
function paint(data: Uint8Array, x: number, y: number, w: number, h: number): Uint8Array {
  for (let r = y; r < y + h; r++)
    for (let c = x; c < x + w; c++) data.fill(30, (r * W + c) * 3, (r * W + c) * 3 + 3);
  return data;
}

const frame = (data: Uint8Array, index: number): Frame => ({
  data,
  width: W,
  height: H,
  ts: index * 100,
  index,
});

describe('motion detector on a grey grid', () => {
  it('sees nothing in a still scene with heavy sensor noise, and a walking person where they are', () => {
    const grid = new GreyGrid(W, H);
    const g = grid.geometry;
    const md = new MotionDetector(g);
    for (let i = 0; i < 50; i++)
      expect(md.update(grid.read({ data: noisyFrame(i), width: W, height: H })).count).toBe(0);
    const m = md.update(grid.read({ data: paint(noisyFrame(99), 200, 100, 30, 80), width: W, height: H }));
    expect(m.count).toBeGreaterThan(10);
    // Every moving cell lies on the painted person (with a cell of slack on each side).
    for (let i = 0; i < m.moving.length; i++) {
      if (!m.moving[i]) continue;
      const x = (i % g.cols) * g.cell;
      const y = Math.floor(i / g.cols) * g.cell;
      expect(x).toBeGreaterThanOrEqual(200 - g.cell);
      expect(x).toBeLessThan(230 + g.cell);
      expect(y).toBeGreaterThanOrEqual(100 - g.cell);
      expect(y).toBeLessThan(180 + g.cell);
    }
  });

  it('ignores motion inside the ignore mask', () => {
    const grid = new GreyGrid(W, H);
    const ignore = emptyMask(grid.geometry);
    addPolygon(ignore, grid.geometry, [
      { x: 0.4, y: 0.2 },
      { x: 0.65, y: 0.2 },
      { x: 0.65, y: 0.7 },
      { x: 0.4, y: 0.7 },
    ]);
    const md = new MotionDetector(grid.geometry, ignore);
    md.update(grid.read({ data: noisyFrame(1), width: W, height: H }));
    expect(
      md.update(grid.read({ data: paint(noisyFrame(2), 200, 100, 30, 80), width: W, height: H })).count,
    ).toBe(0);
    expect(
      md.update(grid.read({ data: paint(noisyFrame(3), 20, 100, 30, 80), width: W, height: H })).count,
    ).toBeGreaterThan(10);
  });

  it('lets a parked object blend into the background', () => {
    const grid = new GreyGrid(W, H);
    const md = new MotionDetector(grid.geometry);
    md.update(grid.read({ data: noisyFrame(1), width: W, height: H }));
    let count = -1;
    // 90 s at 10 fps of a parked van: moving at first, background after.
    for (let i = 0; i < 900; i++)
      count = md.update(
        grid.read({ data: paint(noisyFrame(i), 50, 50, 100, 60), width: W, height: H }),
      ).count;
    expect(count).toBe(0);
  });

  it('rasterises zones, line bands and track boxes onto the cells they cover', () => {
    const g = gridGeometry(W, H);
    const m = emptyMask(g);
    addSegmentBand(m, g, { x: 0.5, y: 0 }, { x: 0.5, y: 1 }, 0.05);
    const col = (x: number) => Math.floor((x * W) / g.cell);
    expect(m[10 * g.cols + col(0.5)]).toBe(1);
    expect(m[10 * g.cols + col(0.2)]).toBe(0);
    const b = emptyMask(g);
    addBox(b, g, { x1: 0, y1: 0, x2: 2 * g.cell - 1, y2: g.cell - 1 }, 0);
    expect([b[0], b[1], b[2], b[g.cols]]).toEqual([1, 1, 0, 0]);
  });
});

describe('detection gate', () => {
  const quiet = { moving: new Uint8Array(4), count: 0 };
  it('detectFps 5 on a 10 fps camera detects exactly every second frame', () => {
    const gate = new DetectionGate({
      fps: 10,
      detectFps: 5,
      gating: false,
      keepAliveFps: 1,
      minCells: 4,
      hangoverMs: 0,
    });
    const d = Array.from({ length: 10 }, (_, i) => gate.decide(i * 100 + (i % 3), null, null));
    expect(d).toEqual([
      'detect',
      'rate',
      'detect',
      'rate',
      'detect',
      'rate',
      'detect',
      'rate',
      'detect',
      'rate',
    ]);
  });

  it('in a quiet scene detects at the keep-alive rate; motion in a rule area wakes it at once, then a hang-over', () => {
    const gate = new DetectionGate({ fps: 10, gating: true, keepAliveFps: 1, minCells: 4, hangoverMs: 300 });
    const seq: GateDecision[] = [];
    for (let i = 0; i < 25; i++) seq.push(gate.decide(i * 100, quiet, null));
    expect(seq.map((d, i) => (d === 'detect' ? i : -1)).filter((i) => i >= 0)).toEqual([0, 10, 20]);
    // One moving cell: not enough anywhere, enough inside a rule's area.
    const one = { moving: Uint8Array.from([0, 1, 0, 0]), count: 1 };
    expect(gate.decide(2500, one, Uint8Array.from([1, 0, 0, 0]))).toBe('quiet');
    expect(gate.decide(2600, one, Uint8Array.from([0, 1, 0, 0]))).toBe('detect');
    expect([2700, 2800, 2900, 3000].map((t) => gate.decide(t, quiet, null))).toEqual([
      'detect',
      'detect',
      'quiet',
      'quiet',
    ]);
    // A blob of minCells anywhere wakes it too.
    expect(gate.decide(3100, { moving: Uint8Array.from([1, 1, 1, 1]), count: 4 }, null)).toBe('detect');
  });
});

describe('FrameGate from a camera config', () => {
  const camera = (extra: Partial<CameraConfig> = {}): CameraConfig => ({
    id: 'c',
    source: { url: 'rtsp://x/y' },
    fps: 10,
    inputSize: { width: W, height: H },
    classes: ['person'],
    scoreThreshold: 0.3,
    lines: [],
    zones: [],
    ...extra,
  });
  const run = (gate: FrameGate, frames: Uint8Array[]) => frames.map((d, i) => gate.decide(frame(d, i), []));

  it('is on by default: a still noisy scene goes to the detector once a second, a walker at once', () => {
    const still = Array.from({ length: 30 }, (_, i) => noisyFrame(i));
    const decisions = run(new FrameGate(camera()), [...still, paint(noisyFrame(31), 100, 100, 30, 80)]);
    expect(decisions.filter((d) => d === 'detect').length).toBe(4); // frames 0, 10, 20 and the walker
    expect(decisions.at(-1)).toBe('detect');
  });

  it('off: every frame is detected; with detectFps 2, every fifth', () => {
    const still = Array.from({ length: 20 }, (_, i) => noisyFrame(i));
    expect(
      run(new FrameGate(camera({ motionGating: { enabled: false } })), still).every((d) => d === 'detect'),
    ).toBe(true);
    const limited = run(new FrameGate(camera({ motionGating: { enabled: false }, detectFps: 2 })), still);
    expect(limited.filter((d) => d === 'detect').length).toBe(4);
  });

  it('motion inside the ignore polygon never wakes the detector', () => {
    const ignore = [
      [
        { x: 0.2, y: 0.2 },
        { x: 0.5, y: 0.2 },
        { x: 0.5, y: 0.8 },
        { x: 0.2, y: 0.8 },
      ],
    ];
    const gate = new FrameGate(camera({ motionGating: { ignore } }));
    const frames = Array.from({ length: 9 }, (_, i) => paint(noisyFrame(i), 100 + (i % 2) * 40, 100, 30, 80));
    expect(run(gate, frames)).toEqual(['detect', ...new Array(8).fill('quiet')]);
  });
});
