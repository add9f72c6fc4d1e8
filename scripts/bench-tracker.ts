/**
 * `tsx scripts/bench-tracker.ts [--json]`: the tracker and a counting line alone, on KITTI-17's public detections
 * (145 frames, 592 detections), replayed many times after a warm-up. Target (issue 3): ≥ 5,000 frames/s.
 *
 * Baseline, measured in the same run: a plain pass that computes the IoU matrix between each frame's detections and
 * the previous frame's (the least work any IoU tracker does per frame), so the ratio holds on a loaded machine.
 * `pnpm bench:edge` imports `benchTracker`. With --json the last stdout line is the JSON result.
 */
import { performance } from 'node:perf_hooks';
import { assets, requireAsset } from '@tally/proto/assets';
import { iou } from '../edge-agent/src/count/geometry';
import { RuleEngine } from '../edge-agent/src/count/rule-engine';
import { byFrame } from '../edge-agent/src/eval/mot-format';
import { frameTime } from '../edge-agent/src/eval/sequence-eval';
import { readSequence } from '../edge-agent/src/eval/sequence-files';
import { ByteTracker } from '../edge-agent/src/track/byte-tracker';
import type { Detection } from '../edge-agent/src/vision/types';

export interface TrackerBench {
  framesPerSecond: number;
  frames: number;
  /** Frames per second of the IoU-matrix baseline in the same run. */
  baselineFramesPerSecond: number;
  /** framesPerSecond / baselineFramesPerSecond. */
  ratioToBaseline: number;
  detectionsPerFrame: number;
}

export async function benchTracker(
  options: { repetitions?: number; warmup?: number } = {},
): Promise<TrackerBench> {
  const repetitions = options.repetitions ?? 200;
  const warmup = options.warmup ?? 30;
  const seq = await readSequence(requireAsset(assets.motSequence('KITTI-17')));
  const n = seq.info.seqLength ?? Math.max(...seq.detections.map((d) => d.frame));
  const frames: Detection[][] = byFrame(seq.detections, n)
    .slice(1)
    .map((rows) => rows.map((r) => ({ box: r.box, score: r.conf, classId: 0, className: 'person' })));
  const { imWidth: w, imHeight: h, frameRate } = seq.info;
  const line = { id: 'mid', name: 'mid', p1: { x: 850 / w, y: 1 }, p2: { x: 850 / w, y: 150 / h } };

  const trackOnce = (): number => {
    const tracker = new ByteTracker();
    const rules = new RuleEngine({
      cameraId: 'bench',
      frameWidth: w,
      frameHeight: h,
      lines: [line],
      zones: [],
    });
    let events = 0;
    frames.forEach((dets, i) => {
      const t = frameTime(i + 1, frameRate);
      events += rules.update(tracker.update(dets, t), t).length;
    });
    return events;
  };
  const baselineOnce = (): number => {
    let sum = 0;
    for (let i = 1; i < frames.length; i++) {
      for (const a of frames[i]!) for (const b of frames[i - 1]!) sum += iou(a.box, b.box);
    }
    return sum;
  };

  let sink = 0;
  for (let i = 0; i < warmup; i++) sink += trackOnce() + baselineOnce();
  // Alternate rounds so that load from other processes hits both alike.
  let trackMs = 0;
  let baseMs = 0;
  const rounds = 10;
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now();
    for (let i = 0; i < repetitions / rounds; i++) sink += trackOnce();
    trackMs += performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < repetitions / rounds; i++) sink += baselineOnce();
    baseMs += performance.now() - t0;
  }
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the work from being optimised away');
  const total = frames.length * repetitions;
  const framesPerSecond = Math.round(total / (trackMs / 1000));
  const baselineFramesPerSecond = Math.round(total / (baseMs / 1000));
  return {
    framesPerSecond,
    frames: total,
    baselineFramesPerSecond,
    ratioToBaseline: Math.round((framesPerSecond / baselineFramesPerSecond) * 1000) / 1000,
    detectionsPerFrame: Math.round((seq.detections.length / frames.length) * 100) / 100,
  };
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) {
  const result = await benchTracker();
  if (!process.argv.includes('--json')) {
    process.stdout.write(
      `tracker + 1 line on KITTI-17 detections: ${result.framesPerSecond} frames/s over ${result.frames} frames ` +
        `(target ≥ 5000); IoU-matrix baseline ${result.baselineFramesPerSecond} frames/s, ratio ${result.ratioToBaseline}\n`,
    );
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}
