/**
 * A sequence's detections through the tracker and the line rules exactly as a camera runs them: frame by frame, at
 * the sequence's frame rate (t = (frame − 1) · 1000 / frameRate), each frame's tracker output straight into the
 * rule engine (camera-pipeline.ts does the same per decoded frame). No I/O.
 */
import type { LineRule } from '@tally/proto';
import { RuleEngine } from '../count/rule-engine';
import { ByteTracker, type TrackerOptions } from '../track/byte-tracker';
import type { Detection, TrackedObject } from '../vision/types';
import { byFrame, type MotRow, type SeqInfo } from './mot-format';

export type LineCounts = Record<string, { in: number; out: number }>;

export interface OnlineRun {
  /** The tracker's output per frame (index = frame number, 0 unused). */
  tracksByFrame: TrackedObject[][];
  counts: LineCounts;
}

export function runOnline(
  info: SeqInfo,
  detections: readonly MotRow[],
  frames: number,
  lines: LineRule[],
  className: string,
  tracker?: Partial<TrackerOptions>,
): OnlineRun {
  const dets = byFrame(detections, frames);
  const byteTracker = new ByteTracker(tracker);
  const rules = newRules(info, lines, className);
  const tracksByFrame: TrackedObject[][] = [[]];
  for (let f = 1; f <= frames; f++) {
    const frameDets: Detection[] = dets[f]!.map((r) => ({
      box: r.box,
      score: r.conf,
      classId: 0,
      className,
    }));
    const t = frameTime(f, info.frameRate);
    const out = byteTracker.update(frameDets, t);
    rules.update(out, t);
    tracksByFrame.push(out.tracks);
  }
  return { tracksByFrame, counts: lineCounts(rules) };
}

export function frameTime(frame: number, frameRate: number): number {
  return ((frame - 1) * 1000) / frameRate;
}

export function newRules(info: SeqInfo, lines: LineRule[], className: string): RuleEngine {
  return new RuleEngine({
    cameraId: 'eval',
    frameWidth: info.imWidth,
    frameHeight: info.imHeight,
    lines,
    zones: [],
    classes: [className],
  });
}

export function lineCounts(rules: RuleEngine): LineCounts {
  const out: LineCounts = {};
  for (const [id, c] of Object.entries(rules.counts())) if ('in' in c) out[id] = { in: c.in, out: c.out };
  return out;
}
