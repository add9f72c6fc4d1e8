/**
 * CLEAR-MOT (Bernardin & Stiefelhagen 2008) as py-motmetrics computes it, plus MOTChallenge's ignore boxes.
 *
 * Per frame: (1) a ground-truth object keeps the hypothesis it was last matched to (in any earlier frame) when their
 * distance is still defined; (2) the rest are matched by a minimum-cost assignment among defined distances, maximum
 * cardinality first (py-motmetrics' expensive-edge rule); a match to a hypothesis other than the object's last one
 * is an id switch; (3) hypotheses still unmatched that lie on an ignore box are discarded, neither TP nor FP.
 * Unmatched objects are FN, unmatched hypotheses FP. MOTA = 1 − (FN + FP + IDSW) / GT.
 *
 * `MotAccumulator` takes distance matrices (NaN: may not match), exactly like py-motmetrics' `MOTAccumulator`, so it
 * is tested against the numbers py-motmetrics publishes; `clearMot` feeds it boxes with distance 1 − IoU, defined
 * when IoU ≥ 0.5, and reports MOTP as the mean IoU of matches (MOTChallenge's convention, higher is better;
 * py-motmetrics' MOTP is the mean distance, `MotAccumulator.motp`).
 */
import type { Box } from '../vision/types';
import { iou } from '../count/geometry';
import { Assignment, CostBuffer } from '../track/matching';

export interface EvalBox {
  id: number;
  box: Box;
}

export interface FrameTruth {
  /** Boxes to evaluate. */
  gt: EvalBox[];
  /** Boxes to ignore (a hypothesis on one is neither TP nor FP). */
  ignore: EvalBox[];
  hyp: EvalBox[];
}

export interface ClearMot {
  mota: number;
  motp: number;
  gt: number;
  matches: number;
  fp: number;
  fn: number;
  idsw: number;
  /** Per frame, the hypotheses discarded on ignore boxes (IDF1 leaves them out too). */
  ignored: Set<number>[];
}

const LIMIT = 1e6;
const INVALID = 2e6;

export class MotAccumulator {
  gt = 0;
  matches = 0;
  fp = 0;
  fn = 0;
  idsw = 0;
  distanceSum = 0;
  private readonly last = new Map<number, number>(); // gt id → hypothesis id last matched
  private readonly solver = new Assignment();
  private readonly buffer = new CostBuffer();

  /**
   * One frame. `dist` is gt×hyp row-major, NaN where they may not match. `ignoredHyps`, when given, receives the
   * indices of hypotheses left unmatched and returns those to discard (on ignore boxes). Returns the discarded ids.
   */
  update(
    gtIds: readonly number[],
    hypIds: readonly number[],
    dist: ArrayLike<number>,
    ignoredHyps?: (unmatched: number[]) => number[],
  ): Set<number> {
    const rows = gtIds.length;
    const cols = hypIds.length;
    this.gt += rows;
    const gtUsed = new Uint8Array(rows);
    const hypUsed = new Uint8Array(cols);
    // (1) keep last matches that still hold
    for (let g = 0; g < rows; g++) {
      const h = this.last.get(gtIds[g]!);
      if (h === undefined) continue;
      const k = hypIds.indexOf(h);
      if (k < 0 || hypUsed[k] || Number.isNaN(dist[g * cols + k]!)) continue;
      gtUsed[g] = hypUsed[k] = 1;
      this.matches++;
      this.distanceSum += dist[g * cols + k]!;
    }
    // (2) optimal assignment of the rest
    const gi = unused(gtUsed);
    const hi = unused(hypUsed);
    const cost = this.buffer.reserve(gi.length, hi.length);
    for (let r = 0; r < gi.length; r++) {
      for (let c = 0; c < hi.length; c++) {
        const d = dist[gi[r]! * cols + hi[c]!]!;
        cost[r * hi.length + c] = Number.isNaN(d) ? INVALID : d;
      }
    }
    this.solver.solve(cost, gi.length, hi.length, LIMIT);
    for (let r = 0; r < gi.length; r++) {
      const c = this.solver.rowToCol[r]!;
      if (c < 0) continue;
      const gId = gtIds[gi[r]!]!;
      const hId = hypIds[hi[c]!]!;
      gtUsed[gi[r]!] = hypUsed[hi[c]!] = 1;
      const prev = this.last.get(gId);
      if (prev !== undefined && prev !== hId) this.idsw++;
      this.last.set(gId, hId);
      this.matches++;
      this.distanceSum += cost[r * hi.length + c]!;
    }
    // (3) hypotheses on ignore boxes
    const skip = new Set<number>();
    const free = unused(hypUsed);
    if (ignoredHyps && free.length) {
      for (const k of ignoredHyps(free)) {
        hypUsed[k] = 1;
        skip.add(hypIds[k]!);
      }
    }
    this.fn += rows - gtUsed.reduce((a, b) => a + b, 0);
    this.fp += cols - hypUsed.reduce((a, b) => a + b, 0);
    return skip;
  }

  get mota(): number {
    return this.gt ? 1 - (this.fn + this.fp + this.idsw) / this.gt : 0;
  }

  /** py-motmetrics' MOTP: the mean distance of matches. */
  get motp(): number {
    return this.matches ? this.distanceSum / this.matches : 0;
  }
}

const MIN_IOU = 0.5;

export function clearMot(frames: readonly FrameTruth[]): ClearMot {
  const acc = new MotAccumulator();
  const solver = new Assignment();
  const ignored: Set<number>[] = [];
  for (const { gt, hyp, ignore } of frames) {
    const dist = new Float64Array(gt.length * hyp.length);
    for (let g = 0; g < gt.length; g++) {
      for (let h = 0; h < hyp.length; h++) {
        const overlap = iou(gt[g]!.box, hyp[h]!.box);
        dist[g * hyp.length + h] = overlap >= MIN_IOU ? 1 - overlap : NaN;
      }
    }
    const onIgnoreBoxes = (free: number[]): number[] => {
      if (!ignore.length) return [];
      const cost = new Float64Array(free.length * ignore.length);
      for (let r = 0; r < free.length; r++) {
        for (let c = 0; c < ignore.length; c++) {
          const overlap = iou(hyp[free[r]!]!.box, ignore[c]!.box);
          cost[r * ignore.length + c] = overlap >= MIN_IOU ? 1 - overlap : INVALID;
        }
      }
      solver.solve(cost, free.length, ignore.length, LIMIT);
      return free.filter((_, r) => solver.rowToCol[r]! >= 0);
    };
    ignored.push(
      acc.update(
        gt.map((g) => g.id),
        hyp.map((h) => h.id),
        dist,
        onIgnoreBoxes,
      ),
    );
  }
  return {
    mota: acc.mota,
    motp: acc.matches ? 1 - acc.motp : 0,
    gt: acc.gt,
    matches: acc.matches,
    fp: acc.fp,
    fn: acc.fn,
    idsw: acc.idsw,
    ignored,
  };
}

function unused(used: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < used.length; i++) if (!used[i]) out.push(i);
  return out;
}
