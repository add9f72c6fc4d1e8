/**
 * The core of `eval-mot`, without I/O: runs the tracker and the line rules over a MOTChallenge sequence's
 * detections at its frame rate (t = (frame − 1) · 1000 / frameRate), and scores the tracks against the ground truth
 * when there is one. The ground-truth tracks go through the same line geometry, so counts can be compared.
 *
 * The reported tracks (rows, `metrics`) are the tracker's online output after an offline post-process, on by
 * default (ByteTrack's and StrongSORT's published results post-process the same way): short tracks dropped
 * (`minTrackS`), gaps interpolated (`interpolateMaxGapS`), then each track's boxes smoothed (`smoothSigmaS`); each
 * step is off at 0. `online` always scores the tracker's output as it was live. Line counts
 * are always the live ones: the rules run online, frame by frame, as on a camera.
 */
import type { LineRule } from '@tally/proto';
import type { TrackerOptions } from '../track/byte-tracker';
import type { TrackedObject } from '../vision/types';
import { clearMot, type FrameTruth } from './clear-mot';
import { idMetrics } from './idf1';
import { dropShortTracks } from './drop-short-tracks';
import { interpolateGaps, type FrameBox } from './interpolate-gaps';
import { smoothTracks } from './smooth-tracks';
import { byFrame, formatMotRow, type MotRow, type SeqInfo } from './mot-format';
import { frameTime, lineCounts, newRules, runOnline, type LineCounts } from './online-run';

export { frameTime, type LineCounts };

export interface SequenceInput {
  info: SeqInfo;
  detections: MotRow[];
  /** gt.txt rows, or null when the sequence has none. */
  groundTruth: MotRow[] | null;
  lines: LineRule[];
  tracker?: Partial<TrackerOptions>;
  /** The class of every detection (MOT sequences are one class). */
  className?: string;
  /** Offline post-process of the reported tracks; DEFAULT_OFFLINE where left out. */
  offline?: Partial<OfflineOptions>;
}

export interface OfflineOptions {
  /** Longest gap (s, between a track's two observations) filled by linear interpolation; 0: none. */
  interpolateMaxGapS: number;
  /** Tracks living less than this (s, first to last reported frame) are dropped; 0: none. */
  minTrackS: number;
  /** σ (s) of the Gaussian kernel that smooths each track's boxes (local linear fit); 0: none. */
  smoothSigmaS: number;
}

/** Chosen on MOT15, one setting for both sequences; the neighbours measured are in docs/BENCHMARKS.md. */
export const DEFAULT_OFFLINE: Readonly<OfflineOptions> = Object.freeze({
  interpolateMaxGapS: 0.5,
  minTrackS: 0.5,
  smoothSigmaS: 0.5,
});

export interface Metrics {
  mota: number;
  motp: number;
  idf1: number;
  idsw: number;
  fp: number;
  fn: number;
  gt: number;
}

export interface SequenceResult {
  frames: number;
  /** Distinct track ids reported (after the offline post-process). */
  tracks: number;
  /** Line counts of the live (online) tracker. */
  counts: LineCounts;
  /** Reported tracks in MOTChallenge format, one row per track and frame. */
  rows: string[];
  offline: OfflineOptions & { interpolated: number; droppedTracks: number };
  /** Scores of the reported tracks, and the ground truth's line counts. */
  metrics: (Metrics & { gt_counts: LineCounts }) | null;
  /** Scores of the tracker's online output, before the offline post-process. */
  online: Metrics | null;
}

export function evalSequence(input: SequenceInput): SequenceResult {
  const { info, lines } = input;
  const className = input.className ?? 'person';
  const frames = info.seqLength ?? maxFrame(input.detections, input.groundTruth ?? []);
  const online = runOnline(info, input.detections, frames, lines, className, input.tracker);
  const hypByFrame = online.tracksByFrame;
  const counts = online.counts;
  const opts = { ...DEFAULT_OFFLINE, ...input.offline };
  const kept = dropShortTracks(hypByFrame, info.frameRate, opts.minTrackS);
  const filled = interpolateGaps(kept.frames, info.frameRate, opts.interpolateMaxGapS);
  const reported = smoothTracks(filled.frames, info.frameRate, opts.smoothSigmaS);
  const rows: string[] = [];
  const ids = new Set<number>();
  for (let f = 1; f <= frames; f++) {
    for (const tr of [...reported[f]!].sort((a, b) => a.id - b.id)) {
      ids.add(tr.id);
      rows.push(formatMotRow(f, tr.id, tr.box));
    }
  }
  const gt = input.groundTruth;
  return {
    frames,
    tracks: ids.size,
    counts,
    rows,
    offline: { ...opts, interpolated: filled.added, droppedTracks: kept.dropped.length },
    metrics: gt
      ? {
          ...score(gt, reported, frames),
          gt_counts: groundTruthCounts(byFrame(gt, frames), frames, info, lines, className),
        }
      : null,
    online: gt ? score(gt, hypByFrame, frames) : null,
  };
}

function score(gtRows: MotRow[], hyps: readonly (readonly FrameBox[])[], frames: number): Metrics {
  const gt = byFrame(gtRows, frames);
  const truth: FrameTruth[] = [];
  for (let f = 1; f <= frames; f++) {
    truth.push({
      gt: gt[f]!.filter((r) => r.conf !== 0).map((r) => ({ id: r.id, box: r.box })),
      ignore: gt[f]!.filter((r) => r.conf === 0).map((r) => ({ id: r.id, box: r.box })),
      hyp: hyps[f]!.map((h) => ({ id: h.id, box: h.box })),
    });
  }
  const clear = clearMot(truth);
  const id = idMetrics(truth, clear.ignored);
  return {
    mota: clear.mota,
    motp: clear.motp,
    idf1: id.idf1,
    idsw: clear.idsw,
    fp: clear.fp,
    fn: clear.fn,
    gt: clear.gt,
  };
}

/** The ground-truth tracks (boxes to evaluate) through the same rules; a gt id is removed after its last frame. */
function groundTruthCounts(
  gt: MotRow[][],
  frames: number,
  info: SeqInfo,
  lines: LineRule[],
  className: string,
): LineCounts {
  const rules = newRules(info, lines, className);
  const lastFrame = new Map<number, number>();
  for (let f = 1; f <= frames; f++) for (const r of gt[f]!) if (r.conf !== 0) lastFrame.set(r.id, f);
  for (let f = 1; f <= frames; f++) {
    const tracks: TrackedObject[] = gt[f]!.filter((r) => r.conf !== 0).map((r) => ({
      id: r.id,
      box: r.box,
      score: 1,
      className,
      matched: true,
    }));
    const removed = [...lastFrame].filter(([, last]) => last === f - 1).map(([id]) => id);
    rules.update({ tracks, removed }, frameTime(f, info.frameRate));
  }
  return lineCounts(rules);
}

function maxFrame(...lists: MotRow[][]): number {
  let max = 0;
  for (const list of lists) for (const r of list) max = Math.max(max, r.frame);
  return max;
}
