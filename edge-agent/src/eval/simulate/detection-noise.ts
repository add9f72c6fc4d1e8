/**
 * The detection-noise simulator's core (no I/O): turns a sequence's ground truth into detector-like boxes, seeded and
 * reproducible. The objects are the ground truth's boxes to evaluate (ignore boxes left out, so every simulated
 * detection belongs to an object the truth counts). Per frame, in this order (parameters in noise-profiles.ts):
 *
 * 1. scale: every coordinate and the frame size are multiplied by `scale` (the ground truth too, so eval-count
 *    compares like with like);
 * 2. occlusion of each object = the fraction of its box covered by boxes in front of it (their bottom edge lower in
 *    the image: nearer the camera), summed and capped at 1; smallness = how far its height is below `smallHeightPx`;
 * 3. flicker: an object shorter than `flickerHeightPx` has a detector state per object that turns off and on at
 *    random (a Markov chain), so far objects vanish for runs of frames, not single ones;
 * 4. miss: an object still seen is missed with probability missBase + missOcclusion·occlusion + missSmall·smallness;
 * 5. merge: two detected boxes overlapping by IoU ≥ `mergeIou` become one box around both, with `mergeProbability`
 *    (the higher score kept);
 * 6. jitter: each edge moves by a normal error proportional to the box's size (width in x, height in y), and the box
 *    is clipped to the frame;
 * 7. score: scoreBase − scoreOcclusion·occlusion − scoreSmall·smallness + noise, in [0.01, 1];
 * 8. false boxes: a Poisson number per frame, each sized like a random true box and placed uniformly.
 * The random draws happen in a fixed order (frames ascending, objects by id), so a seed gives one output.
 */
import { iou } from '../../count/geometry';
import type { Box } from '../../vision/types';
import type { MotRow, SeqInfo } from '../mot-format';
import type { NoiseProfile } from './noise-profiles';
import { SeededRandom } from './seeded-random';

export interface SimulatedSequence {
  info: SeqInfo;
  /** det.txt rows (id −1, column 7 the score). */
  detections: MotRow[];
  /** The ground truth, scaled like the detections (ignore boxes kept, flagged 0). */
  groundTruth: MotRow[];
}

interface SceneObject {
  id: number;
  box: Box;
  occlusion: number;
  smallness: number;
}

export function simulateDetections(
  info: SeqInfo,
  groundTruth: readonly MotRow[],
  profile: NoiseProfile,
  seed: number,
): SimulatedSequence {
  const rng = new SeededRandom(seed);
  const scaled = scaleSequence(info, groundTruth, profile.scale);
  const frames = scaled.info.seqLength ?? Math.max(0, ...scaled.groundTruth.map((r) => r.frame));
  const byFrameRows: MotRow[][] = Array.from({ length: frames + 1 }, () => []);
  for (const r of scaled.groundTruth) if (r.conf !== 0 && r.frame <= frames) byFrameRows[r.frame]!.push(r);
  const sizes = scaled.groundTruth.filter((r) => r.conf !== 0).map((r) => r.box);
  const flickerOff = new Map<number, boolean>();
  const detections: MotRow[] = [];
  for (let f = 1; f <= frames; f++) {
    const objects = sceneObjects(
      byFrameRows[f]!.sort((a, b) => a.id - b.id),
      profile,
    );
    const seen = objects.filter((o) => !flickered(o, profile, flickerOff, rng) && !missed(o, profile, rng));
    const boxes = merge(
      seen.map((o) => ({ box: o.box, score: score(o, profile, rng) })),
      profile,
      rng,
    );
    for (const b of boxes) {
      const box = jitter(b.box, profile.jitter, scaled.info, rng);
      if (box) detections.push({ frame: f, id: -1, box, conf: b.score });
    }
    for (const box of falseBoxes(sizes, profile, scaled.info, rng))
      detections.push({ frame: f, id: -1, ...box });
  }
  return { info: scaled.info, detections, groundTruth: scaled.groundTruth };
}

export function scaleSequence(
  info: SeqInfo,
  rows: readonly MotRow[],
  scale: number,
): { info: SeqInfo; groundTruth: MotRow[] } {
  const s = (b: Box): Box => ({ x1: b.x1 * scale, y1: b.y1 * scale, x2: b.x2 * scale, y2: b.y2 * scale });
  return {
    info: { ...info, imWidth: Math.round(info.imWidth * scale), imHeight: Math.round(info.imHeight * scale) },
    groundTruth: rows.map((r) => ({ ...r, box: s(r.box) })),
  };
}

/** Occlusion (by boxes nearer the camera: lower bottom edge) and smallness of each object in one frame. */
function sceneObjects(rows: readonly MotRow[], profile: NoiseProfile): SceneObject[] {
  return rows.map((r) => {
    const area = (r.box.x2 - r.box.x1) * (r.box.y2 - r.box.y1);
    let covered = 0;
    for (const other of rows) {
      if (other === r || other.box.y2 <= r.box.y2) continue;
      covered += intersection(r.box, other.box);
    }
    const h = r.box.y2 - r.box.y1;
    const small =
      profile.smallHeightPx > 0 ? Math.max(0, (profile.smallHeightPx - h) / profile.smallHeightPx) : 0;
    return { id: r.id, box: r.box, occlusion: area > 0 ? Math.min(1, covered / area) : 0, smallness: small };
  });
}

function flickered(o: SceneObject, p: NoiseProfile, off: Map<number, boolean>, rng: SeededRandom): boolean {
  if (!(p.flickerHeightPx > 0) || o.box.y2 - o.box.y1 >= p.flickerHeightPx) return false;
  const wasOff = off.get(o.id) ?? false;
  const isOff = wasOff ? rng.next() >= p.flickerOn : rng.next() < p.flickerOff;
  off.set(o.id, isOff);
  return isOff;
}

function missed(o: SceneObject, p: NoiseProfile, rng: SeededRandom): boolean {
  const chance = Math.min(0.95, p.missBase + p.missOcclusion * o.occlusion + p.missSmall * o.smallness);
  return rng.next() < chance;
}

function score(o: SceneObject, p: NoiseProfile, rng: SeededRandom): number {
  const s =
    p.scoreBase - p.scoreOcclusion * o.occlusion - p.scoreSmall * o.smallness + p.scoreNoise * rng.normal();
  return Math.round(Math.min(1, Math.max(0.01, s)) * 1000) / 1000;
}

interface Scored {
  box: Box;
  score: number;
}

/** Pairs overlapping by IoU ≥ mergeIou, greedily by IoU, each box merged at most once. */
function merge(boxes: Scored[], p: NoiseProfile, rng: SeededRandom): Scored[] {
  if (!(p.mergeProbability > 0)) return boxes;
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const v = iou(boxes[i]!.box, boxes[j]!.box);
      if (v >= p.mergeIou) pairs.push([v, i, j]);
    }
  pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  const used = new Set<number>();
  const out: Scored[] = [];
  for (const [, i, j] of pairs) {
    if (used.has(i) || used.has(j) || rng.next() >= p.mergeProbability) continue;
    used.add(i).add(j);
    const a = boxes[i]!;
    const b = boxes[j]!;
    out.push({
      box: {
        x1: Math.min(a.box.x1, b.box.x1),
        y1: Math.min(a.box.y1, b.box.y1),
        x2: Math.max(a.box.x2, b.box.x2),
        y2: Math.max(a.box.y2, b.box.y2),
      },
      score: Math.max(a.score, b.score),
    });
  }
  boxes.forEach((b, i) => used.has(i) || out.push(b));
  return out;
}

/** The box with each edge moved by N(0, k·size), clipped to the frame; null when nothing of it is left. */
function jitter(b: Box, k: number, info: SeqInfo, rng: SeededRandom): Box | null {
  const w = b.x2 - b.x1;
  const h = b.y2 - b.y1;
  const x1 = clamp(b.x1 + k * w * rng.normal(), 0, info.imWidth);
  const y1 = clamp(b.y1 + k * h * rng.normal(), 0, info.imHeight);
  const x2 = clamp(b.x2 + k * w * rng.normal(), 0, info.imWidth);
  const y2 = clamp(b.y2 + k * h * rng.normal(), 0, info.imHeight);
  return x2 - x1 >= 1 && y2 - y1 >= 1 ? { x1, y1, x2, y2 } : null;
}

function falseBoxes(
  sizes: readonly Box[],
  p: NoiseProfile,
  info: SeqInfo,
  rng: SeededRandom,
): { box: Box; conf: number }[] {
  if (!(p.falsePerFrame > 0) || sizes.length === 0) return [];
  const out: { box: Box; conf: number }[] = [];
  for (let n = rng.poisson(p.falsePerFrame); n > 0; n--) {
    const like = sizes[Math.floor(rng.next() * sizes.length)]!;
    const w = Math.min(like.x2 - like.x1, info.imWidth);
    const h = Math.min(like.y2 - like.y1, info.imHeight);
    const x1 = rng.next() * (info.imWidth - w);
    const y1 = rng.next() * (info.imHeight - h);
    const conf = Math.round((p.fpScoreMin + rng.next() * (p.fpScoreMax - p.fpScoreMin)) * 1000) / 1000;
    out.push({ box: { x1, y1, x2: x1 + w, y2: y1 + h }, conf });
  }
  return out;
}

function intersection(a: Box, b: Box): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  return w > 0 && h > 0 ? w * h : 0;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
