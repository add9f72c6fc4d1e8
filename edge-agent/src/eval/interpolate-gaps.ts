/**
 * Offline gap interpolation, as ByteTrack's published MOT17/MOT20 results use (its `tools/interpolation.py`): for
 * each track, the frames it misses between two of its own observations are filled with boxes interpolated linearly
 * between those two observations, when the gap is short. Unlike predicting a lost track forward (which guesses where
 * it goes and must guess whether it still exists), this uses both ends: the object was seen before and after, so it
 * was there in between. It needs the future, so it is for offline evaluation (eval-mot), not for live counting: the
 * line rules already carry a track's state across frames it misses, so a gap costs them nothing.
 *
 * The longest gap is in seconds (time between the two observations), so a setting behaves the same at 10 and 25 fps.
 * Pure: no I/O, inputs are not modified.
 */
import type { Box } from '../vision/types';

export interface FrameBox {
  id: number;
  box: Box;
}

export interface Interpolated<T extends FrameBox> {
  /** Per frame (same indexing as the input): the input boxes, then the interpolated ones. */
  frames: (T | FrameBox)[][];
  /** How many boxes were added. */
  added: number;
}

/**
 * `frames[f]` holds the boxes reported in frame f (frame f at time (f − first) / frameRate). A track seen in frames
 * a and b (a < b, unseen between) gets boxes in a+1 … b−1 when (b − a) / frameRate ≤ maxGapS.
 */
export function interpolateGaps<T extends FrameBox>(
  frames: readonly (readonly T[])[],
  frameRate: number,
  maxGapS: number,
): Interpolated<T> {
  if (!(frameRate > 0)) throw new Error('interpolateGaps: frameRate must be > 0');
  if (!(maxGapS >= 0)) throw new Error('interpolateGaps: maxGapS must be ≥ 0');
  // 1e-6: "0.5 s" must include a gap of exactly 5 frames at 10 fps despite floating point.
  const maxGapFrames = Math.floor(maxGapS * frameRate + 1e-6);
  const out: (T | FrameBox)[][] = frames.map((list) => [...list]);
  const lastSeen = new Map<number, { frame: number; box: Box }>();
  let added = 0;
  for (let f = 0; f < frames.length; f++) {
    for (const { id, box } of frames[f]!) {
      const prev = lastSeen.get(id);
      const gap = prev ? f - prev.frame : 0;
      if (prev && gap > 1 && gap <= maxGapFrames) {
        for (let g = prev.frame + 1; g < f; g++) {
          out[g]!.push({ id, box: lerpBox(prev.box, box, (g - prev.frame) / gap) });
          added++;
        }
      }
      lastSeen.set(id, { frame: f, box });
    }
  }
  return { frames: out, added };
}

function lerpBox(a: Box, b: Box, t: number): Box {
  return {
    x1: a.x1 + (b.x1 - a.x1) * t,
    y1: a.y1 + (b.y1 - a.y1) * t,
    x2: a.x2 + (b.x2 - a.x2) * t,
    y2: a.y2 + (b.y2 - a.y2) * t,
  };
}
