/**
 * The true crossings of counting lines, derived from ground-truth tracks (no I/O).
 *
 * Same anchor and side convention as the counter (count/line-crossing.ts: `bottom_center` by default, `in` where
 * cross(p2 − p1, p − p1) > 0). A ground-truth track crosses a line when its anchor goes from at least `marginPx` on
 * one side of the line to at least `marginPx` on the other, and the path between those two points (the straight
 * steps between its consecutive boxes) meets the segment p1–p2. Points inside the band |distance| < marginPx are
 * skipped, so a hand-drawn box wobbling on the line is never a crossing, and neither is someone whose feet drift a
 * few pixels across it. After a crossing the track is on the new side and crosses again only by coming back past the
 * margin. `marginPx` is 0.5 % of the frame diagonal by default (`TRUTH_MARGIN_OF_DIAGONAL`): about 10 cm at a
 * person in KITTI-17 and TUD-Stadtmitte. Ignore boxes (gt.txt column 7 = 0) are left out by the caller.
 */
import { anchorPoint, segmentsIntersect, signedDistance } from '../count/geometry';
import type { Anchor } from '@tally/proto';
import type { Box, Vec2 } from '../vision/types';

export const TRUTH_MARGIN_OF_DIAGONAL = 0.005;

/** One track's boxes in frame order (frames may skip: the step between two boxes is a straight line). */
export interface TruthTrack {
  id: number;
  boxes: readonly Box[];
}

export interface TruthLine {
  id: string;
  /** End points in pixels. */
  p1: Vec2;
  p2: Vec2;
  anchor?: Anchor;
}

export interface DirectionCounts {
  in: number;
  out: number;
}

export function trueCrossings(
  tracks: readonly TruthTrack[],
  lines: readonly TruthLine[],
  marginPx: number,
): Record<string, DirectionCounts> {
  const out: Record<string, DirectionCounts> = {};
  for (const line of lines) {
    const counts = { in: 0, out: 0 };
    for (const t of tracks) {
      const c = trackCrossings(t.boxes, line, marginPx);
      counts.in += c.in;
      counts.out += c.out;
    }
    out[line.id] = counts;
  }
  return out;
}

/** The crossings of one track: a Schmitt trigger on the signed distance, gated by the segment. */
export function trackCrossings(boxes: readonly Box[], line: TruthLine, marginPx: number): DirectionCounts {
  const counts = { in: 0, out: 0 };
  let armedSide = 0;
  /** Index of the last box at least the margin away on `armedSide`. */
  let armedAt = -1;
  for (let i = 0; i < boxes.length; i++) {
    const p = anchorPoint(boxes[i]!, line.anchor);
    const d = signedDistance(line.p1, line.p2, p);
    if (Math.abs(d) < marginPx) continue;
    const side = d > 0 ? 1 : -1;
    if (side !== armedSide && armedSide !== 0 && pathMeetsSegment(boxes, armedAt, i, line)) {
      if (side === 1) counts.in++;
      else counts.out++;
    }
    armedSide = side;
    armedAt = i;
  }
  return counts;
}

function pathMeetsSegment(boxes: readonly Box[], from: number, to: number, line: TruthLine): boolean {
  for (let i = from; i < to; i++) {
    const a = anchorPoint(boxes[i]!, line.anchor);
    const b = anchorPoint(boxes[i + 1]!, line.anchor);
    if (segmentsIntersect(a, b, line.p1, line.p2)) return true;
  }
  return false;
}
