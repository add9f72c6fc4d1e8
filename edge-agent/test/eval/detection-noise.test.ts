/**
 * The detection-noise simulator: each effect does what noise-profiles.ts says, on synthetic ground truth built for
 * it, with one effect switched on at a time. Rates are checked over thousands of draws against the profile's own
 * formula, with bounds several standard deviations wide (the draws are seeded, so a run is also reproducible).
 */
import { describe, expect, it } from 'vitest';
import type { MotRow, SeqInfo } from '../../src/eval/mot-format';
import { simulateDetections } from '../../src/eval/simulate/detection-noise';
import { NOISE_PROFILES, noiseProfile, type NoiseProfile } from '../../src/eval/simulate/noise-profiles';
import type { Box } from '../../src/vision/types';

const FRAMES = 2000;
const INFO: SeqInfo = { name: 't', frameRate: 10, imWidth: 1000, imHeight: 500, seqLength: FRAMES };

/** A profile with no effect at all, then the overrides. */
function only(overrides: Partial<NoiseProfile>): NoiseProfile {
  return {
    ...noiseProfile('clean')!,
    jitter: 0,
    scoreNoise: 0,
    ...overrides,
  };
}

/** Static objects, one ground-truth row per object and frame. */
function scene(boxes: Record<number, Box>, frames = FRAMES): MotRow[] {
  const rows: MotRow[] = [];
  for (let f = 1; f <= frames; f++)
    for (const [id, box] of Object.entries(boxes)) rows.push({ frame: f, id: Number(id), box, conf: 1 });
  return rows;
}

/** Detections whose box overlaps `box` by IoU ≥ 0.5, per frame (1 = detected). */
function detectedFrames(dets: readonly MotRow[], box: Box): number[] {
  const hit = new Array<number>(FRAMES + 1).fill(0);
  for (const d of dets) if (iou(d.box, box) >= 0.5) hit[d.frame] = 1;
  return hit.slice(1);
}

function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const h = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const i = w * h;
  return i / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - i);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** A free person, and a person half hidden behind one in front of it (the front box's bottom edge is lower). */
const FREE: Box = { x1: 100, y1: 100, x2: 150, y2: 250 };
const BEHIND: Box = { x1: 500, y1: 100, x2: 550, y2: 250 };
const FRONT: Box = { x1: 525, y1: 110, x2: 600, y2: 300 };
/** Covered fraction of BEHIND by FRONT: 25 × 140 / (50 × 150). */
const BEHIND_OCCLUSION = (25 * 140) / (50 * 150);

describe('simulate-dets: detection noise', () => {
  it('is reproducible: the same seed gives the same boxes, another seed others', () => {
    const gt = scene({ 1: FREE, 2: BEHIND, 3: FRONT }, 200);
    const p = noiseProfile('crowd')!;
    const a = simulateDetections(INFO, gt, p, 7).detections;
    expect(simulateDetections(INFO, gt, p, 7).detections).toEqual(a);
    expect(simulateDetections(INFO, gt, p, 8).detections).not.toEqual(a);
  });

  it('misses grow with occlusion: missBase for a free object, missBase + missOcclusion · covered for a hidden one', () => {
    const gt = scene({ 1: FREE, 2: BEHIND, 3: FRONT });
    const sim = simulateDetections(INFO, gt, only({ missBase: 0.1, missOcclusion: 0.6 }), 1);
    const freeMiss = 1 - mean(detectedFrames(sim.detections, FREE));
    const behindMiss = 1 - mean(detectedFrames(sim.detections, BEHIND));
    const front = 1 - mean(detectedFrames(sim.detections, FRONT));
    expect(freeMiss).toBeGreaterThan(0.07);
    expect(freeMiss).toBeLessThan(0.13);
    expect(front).toBeLessThan(0.13); // nothing is in front of the front one
    const expected = 0.1 + 0.6 * BEHIND_OCCLUSION; // 0.38
    expect(behindMiss).toBeGreaterThan(expected - 0.04);
    expect(behindMiss).toBeLessThan(expected + 0.04);
  });

  it('misses grow as objects get smaller than smallHeightPx', () => {
    const small: Box = { x1: 700, y1: 100, x2: 710, y2: 120 }; // 20 px tall: smallness (80 − 20) / 80 = 0.75
    const sim = simulateDetections(
      INFO,
      scene({ 1: FREE, 2: small }),
      only({ missSmall: 0.4, smallHeightPx: 80 }),
      2,
    );
    expect(1 - mean(detectedFrames(sim.detections, FREE))).toBe(0); // 150 px tall: not small
    const miss = 1 - mean(detectedFrames(sim.detections, small));
    expect(miss).toBeGreaterThan(0.3 - 0.04);
    expect(miss).toBeLessThan(0.3 + 0.04);
  });

  it('scores fall for occluded and for small objects, by the profile’s coefficients', () => {
    const small: Box = { x1: 700, y1: 100, x2: 710, y2: 120 };
    const gt = scene({ 1: FREE, 2: BEHIND, 3: FRONT, 4: small }, 50);
    const p = only({ scoreBase: 0.9, scoreOcclusion: 0.4, scoreSmall: 0.2, smallHeightPx: 80 });
    const dets = simulateDetections(INFO, gt, p, 3).detections;
    const scoreOf = (box: Box) => dets.find((d) => iou(d.box, box) > 0.99)!.conf;
    expect(scoreOf(FREE)).toBeCloseTo(0.9, 3);
    expect(scoreOf(BEHIND)).toBeCloseTo(0.9 - 0.4 * BEHIND_OCCLUSION, 3);
    expect(scoreOf(small)).toBeCloseTo(0.9 - 0.2 * 0.75, 3);
  });

  it('jitter is proportional to the box size: the edge error over the size has the same spread for big and small boxes', () => {
    const big: Box = { x1: 100, y1: 50, x2: 300, y2: 450 };
    const little: Box = { x1: 600, y1: 200, x2: 620, y2: 240 };
    const dets = simulateDetections(INFO, scene({ 1: big, 2: little }), only({ jitter: 0.05 }), 4).detections;
    const spread = (box: Box) => {
      const w = box.x2 - box.x1;
      const errs = dets.filter((d) => Math.abs(d.box.x1 - box.x1) < w).map((d) => (d.box.x1 - box.x1) / w);
      return Math.sqrt(mean(errs.map((e) => e * e)));
    };
    for (const box of [big, little]) {
      expect(spread(box)).toBeGreaterThan(0.045);
      expect(spread(box)).toBeLessThan(0.055);
    }
  });

  it('adds false boxes at the profile’s mean rate, sized like true boxes and scored within their range', () => {
    const sim = simulateDetections(
      INFO,
      scene({ 1: FREE }),
      only({ falsePerFrame: 0.5, fpScoreMin: 0.2, fpScoreMax: 0.4 }),
      5,
    );
    const extra = sim.detections.filter((d) => iou(d.box, FREE) < 0.99);
    expect(extra.length / FRAMES).toBeGreaterThan(0.45);
    expect(extra.length / FRAMES).toBeLessThan(0.55);
    for (const d of extra) {
      expect(d.conf).toBeGreaterThanOrEqual(0.2);
      expect(d.conf).toBeLessThanOrEqual(0.4);
      expect(d.box.x2 - d.box.x1).toBeCloseTo(50, 6);
      expect(d.box.x1).toBeGreaterThanOrEqual(0);
      expect(d.box.x2).toBeLessThanOrEqual(INFO.imWidth);
    }
  });

  it('merges two overlapping objects into one box around both, with the merge probability', () => {
    const a: Box = { x1: 100, y1: 100, x2: 160, y2: 250 };
    const b: Box = { x1: 120, y1: 105, x2: 180, y2: 255 }; // IoU 40·145 / (9000 + 9000 − 5800) = 0.48
    const far: Box = { x1: 600, y1: 100, x2: 660, y2: 250 };
    const sim = simulateDetections(
      INFO,
      scene({ 1: a, 2: b, 3: far }),
      only({ mergeProbability: 0.3, mergeIou: 0.4 }),
      6,
    );
    const union: Box = { x1: 100, y1: 100, x2: 180, y2: 255 };
    const merged = sim.detections.filter((d) => iou(d.box, union) > 0.99).length / FRAMES;
    expect(merged).toBeGreaterThan(0.26);
    expect(merged).toBeLessThan(0.34);
    // a frame either has the union box or both boxes, never one of them alone; the far one is never merged
    expect(sim.detections.filter((d) => iou(d.box, a) > 0.99).length).toBe(Math.round((1 - merged) * FRAMES));
    expect(mean(detectedFrames(sim.detections, far))).toBe(1);
  });

  it('far objects flicker off for runs of frames (mean run 1 / flickerOn); near ones never', () => {
    const tiny: Box = { x1: 700, y1: 100, x2: 710, y2: 125 };
    const p = only({ flickerHeightPx: 40, flickerOff: 0.2, flickerOn: 0.25 });
    const sim = simulateDetections(INFO, scene({ 1: FREE, 2: tiny }), p, 9);
    expect(mean(detectedFrames(sim.detections, FREE))).toBe(1);
    const seen = detectedFrames(sim.detections, tiny);
    const runs: number[] = [];
    let run = 0;
    for (const s of seen) {
      if (s === 0) run++;
      else if (run > 0) {
        runs.push(run);
        run = 0;
      }
    }
    // off runs are geometric with mean 1 / 0.25 = 4 frames; the chain is off 0.2 / (0.2 + 0.25) = 44 % of the time
    expect(mean(runs)).toBeGreaterThan(3.4);
    expect(mean(runs)).toBeLessThan(4.6);
    expect(1 - mean(seen)).toBeGreaterThan(0.39);
    expect(1 - mean(seen)).toBeLessThan(0.5);
  });

  it('scale shrinks the frame, the ground truth and the detections alike (far-traffic makes people a few dozen px)', () => {
    const gt = scene({ 1: FREE }, 10);
    const sim = simulateDetections(INFO, gt, only({ scale: 0.3 }), 1);
    expect([sim.info.imWidth, sim.info.imHeight]).toEqual([300, 150]);
    expect(sim.groundTruth[0]!.box).toEqual({ x1: 30, y1: 30, x2: 45, y2: 75 });
    expect(sim.detections[0]!.box).toEqual({ x1: 30, y1: 30, x2: 45, y2: 75 });
    expect(NOISE_PROFILES['far-traffic']!.scale).toBeLessThan(0.5);
  });

  it('leaves ignore boxes out of the detections (the truth does not count them) and keeps them in the ground truth', () => {
    const gt: MotRow[] = [
      { frame: 1, id: 1, box: FREE, conf: 1 },
      { frame: 1, id: 2, box: BEHIND, conf: 0 },
    ];
    const sim = simulateDetections({ ...INFO, seqLength: 1 }, gt, only({}), 1);
    expect(sim.detections.map((d) => d.box)).toEqual([FREE]);
    expect(sim.groundTruth).toHaveLength(2);
  });
});
