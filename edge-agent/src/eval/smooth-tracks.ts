/**
 * Offline smoothing of each track's boxes by local linear regression in time with a Gaussian kernel (a kernel
 * smoother, in the spirit of StrongSORT's Gaussian-smoothed interpolation, GSI). A detector's box jitters around the
 * person from frame to frame (on MOT15's public detections many boxes overlap their person by IoU 0.3–0.5 only, so
 * they count as a miss and a false alarm); people move smoothly, so fitting a straight line through the track's
 * boxes within about ±σ of each frame, and reading it at that frame, puts the box back on its person. The local
 * LINEAR fit (not a plain weighted mean) follows steady motion without lag and stays unbiased at a track's ends.
 * It uses the future, so it is for offline evaluation only; live counting works on the online boxes.
 *
 * σ is in seconds, so a setting behaves the same at 10 and 25 fps; boxes farther than 3σ do not count.
 * Pure: no I/O, inputs are not modified; ids and the frames each track appears in are kept.
 */
import type { Box } from '../vision/types';
import type { FrameBox } from './interpolate-gaps';

const CORNERS = ['x1', 'y1', 'x2', 'y2'] as const;

export function smoothTracks(
  frames: readonly (readonly FrameBox[])[],
  frameRate: number,
  sigmaS: number,
): FrameBox[][] {
  if (!(frameRate > 0)) throw new Error('smoothTracks: frameRate must be > 0');
  if (!(sigmaS >= 0)) throw new Error('smoothTracks: sigmaS must be ≥ 0');
  if (sigmaS === 0) return frames.map((list) => list.map((b) => ({ id: b.id, box: { ...b.box } })));
  const tracks = new Map<number, { frame: number; box: Box }[]>();
  frames.forEach((list, frame) => {
    for (const { id, box } of list) {
      const seen = tracks.get(id);
      if (seen) seen.push({ frame, box });
      else tracks.set(id, [{ frame, box }]);
    }
  });
  const out: FrameBox[][] = frames.map(() => []);
  const sigmaFrames = sigmaS * frameRate;
  for (const [id, seen] of tracks) {
    for (const { frame } of seen) out[frame]!.push({ id, box: fitAt(seen, frame, sigmaFrames) });
  }
  return out;
}

/** The local linear fit of every corner at `frame` (time in frames; the result does not depend on the unit). */
function fitAt(seen: readonly { frame: number; box: Box }[], frame: number, sigma: number): Box {
  let sw = 0;
  let st = 0;
  let stt = 0;
  const sy = [0, 0, 0, 0];
  const sty = [0, 0, 0, 0];
  for (const p of seen) {
    const t = p.frame - frame;
    if (Math.abs(t) > 3 * sigma) continue;
    const w = Math.exp(-(t * t) / (2 * sigma * sigma));
    sw += w;
    st += w * t;
    stt += w * t * t;
    CORNERS.forEach((k, i) => {
      sy[i]! += w * p.box[k];
      sty[i]! += w * t * p.box[k];
    });
  }
  // Weighted least squares y = a + b·t, read at t = 0: a = (Σw·t²·Σw·y − Σw·t·Σw·t·y) / (Σw·Σw·t² − (Σw·t)²).
  // With one point (or all at one time) the slope is undefined: fall back to the weighted mean.
  const det = sw * stt - st * st;
  const at = (i: number) => (det > 1e-9 * sw * sw ? (stt * sy[i]! - st * sty[i]!) / det : sy[i]! / sw);
  return { x1: at(0), y1: at(1), x2: at(2), y2: at(3) };
}
