/**
 * The core of `eval-count`, without I/O: how far the live line counts are from the true crossings.
 *
 * Truth: the ground-truth tracks (boxes to evaluate; ignore boxes left out) through true-crossings.ts, margin
 * `marginOfDiagonal` of the frame diagonal. Got: the detections (det.txt, or the ground truth's own boxes as a
 * perfect detector) through the tracker and rules exactly as the agent runs them (online-run.ts). Score:
 * count-error.ts.
 */
import type { LineRule } from '@tally/proto';
import { toPixels } from '../count/geometry';
import type { TrackerOptions } from '../track/byte-tracker';
import { scoreCounts, type CountScore } from './count-error';
import type { MotRow, SeqInfo } from './mot-format';
import { runOnline, type LineCounts } from './online-run';
import { trueCrossings, TRUTH_MARGIN_OF_DIAGONAL, type TruthTrack } from './true-crossings';

export type DetectionSource = 'det' | 'gt';

export interface CountEvalInput {
  info: SeqInfo;
  detections: MotRow[];
  groundTruth: MotRow[];
  /** Normalised, as proto's LineRule. */
  lines: LineRule[];
  /** `det`: det.txt; `gt`: the ground truth's own boxes (score 1) as a perfect detector. */
  source?: DetectionSource;
  marginOfDiagonal?: number;
  tracker?: Partial<TrackerOptions>;
  className?: string;
}

export interface CountEvalResult {
  frames: number;
  marginPx: number;
  got: LineCounts;
  truth: LineCounts;
  score: CountScore;
}

export function evalCount(input: CountEvalInput): CountEvalResult {
  const { info, lines } = input;
  const className = input.className ?? 'person';
  const evaluated = input.groundTruth.filter((r) => r.conf !== 0);
  const frames =
    info.seqLength ?? Math.max(0, ...input.detections.map((r) => r.frame), ...evaluated.map((r) => r.frame));
  const detections =
    input.source === 'gt' ? evaluated.map((r) => ({ ...r, id: -1, conf: 1 })) : input.detections;
  const got = runOnline(info, detections, frames, lines, className, input.tracker).counts;
  const marginPx =
    (input.marginOfDiagonal ?? TRUTH_MARGIN_OF_DIAGONAL) * Math.hypot(info.imWidth, info.imHeight);
  const truthLines = lines.map((l) => ({
    id: l.id,
    p1: toPixels(l.p1, info.imWidth, info.imHeight),
    p2: toPixels(l.p2, info.imWidth, info.imHeight),
    anchor: l.anchor,
  }));
  const truth = trueCrossings(truthTracks(evaluated, frames), truthLines, marginPx);
  return { frames, marginPx, got, truth, score: scoreCounts(got, truth) };
}

/** Ground-truth rows grouped into tracks, boxes in frame order. */
function truthTracks(rows: readonly MotRow[], frames: number): TruthTrack[] {
  const byId = new Map<number, MotRow[]>();
  for (const r of rows) {
    if (r.frame > frames) continue;
    let list = byId.get(r.id);
    if (!list) byId.set(r.id, (list = []));
    list.push(r);
  }
  return [...byId].map(([id, list]) => ({
    id,
    boxes: list.sort((a, b) => a.frame - b.frame).map((r) => r.box),
  }));
}
