/**
 * CLEAR-MOT (Bernardin & Stiefelhagen 2008) as py-motmetrics computes it, plus MOTChallenge's ignore boxes.
 *
 * Per frame: (1) a ground-truth object keeps the hypothesis it was last matched to (in any earlier frame) when they
 * still overlap with IoU ≥ 0.5; (2) the rest are matched by a minimum-cost assignment on 1 − IoU among pairs with
 * IoU ≥ 0.5, maximum cardinality first (py-motmetrics' expensive-edge rule); a match to a hypothesis other than the
 * object's last one is an id switch; (3) hypotheses still unmatched that overlap an ignore box (gt column 7 == 0)
 * with IoU ≥ 0.5 are discarded, neither TP nor FP. Unmatched objects are FN, unmatched hypotheses FP.
 * MOTA = 1 − (FN + FP + IDSW) / GT. MOTP here is the mean IoU of the matches (MOTChallenge's convention, higher is
 * better; py-motmetrics reports 1 − this).
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

const MIN_IOU = 0.5;
const LIMIT = 1e6;
const INVALID = 2e6;

export function clearMot(frames: readonly FrameTruth[]): ClearMot {
  const last = new Map<number, number>(); // gt id → hypothesis id last matched
  const solver = new Assignment();
  const buffer = new CostBuffer();
  let gtTotal = 0;
  let matches = 0;
  let fp = 0;
  let fn = 0;
  let idsw = 0;
  let iouSum = 0;
  const ignored: Set<number>[] = [];
  for (const frame of frames) {
    const { gt, hyp, ignore } = frame;
    gtTotal += gt.length;
    const gtUsed = new Uint8Array(gt.length);
    const hypUsed = new Uint8Array(hyp.length);
    // (1) keep last matches that still hold
    for (let g = 0; g < gt.length; g++) {
      const h = last.get(gt[g]!.id);
      if (h === undefined) continue;
      const k = hyp.findIndex((x, i) => x.id === h && !hypUsed[i]);
      if (k < 0) continue;
      const overlap = iou(gt[g]!.box, hyp[k]!.box);
      if (overlap < MIN_IOU) continue;
      gtUsed[g] = hypUsed[k] = 1;
      matches++;
      iouSum += overlap;
    }
    // (2) optimal assignment of the rest
    const gi = indices(gtUsed);
    const hi = indices(hypUsed);
    const cost = buffer.reserve(gi.length, hi.length);
    for (let r = 0; r < gi.length; r++) {
      for (let c = 0; c < hi.length; c++) {
        const overlap = iou(gt[gi[r]!]!.box, hyp[hi[c]!]!.box);
        cost[r * hi.length + c] = overlap >= MIN_IOU ? 1 - overlap : INVALID;
      }
    }
    solver.solve(cost, gi.length, hi.length, LIMIT);
    for (let r = 0; r < gi.length; r++) {
      const c = solver.rowToCol[r]!;
      if (c < 0) continue;
      const g = gt[gi[r]!]!;
      const h = hyp[hi[c]!]!;
      gtUsed[gi[r]!] = hypUsed[hi[c]!] = 1;
      const prev = last.get(g.id);
      if (prev !== undefined && prev !== h.id) idsw++;
      last.set(g.id, h.id);
      matches++;
      iouSum += 1 - cost[r * hi.length + c]!;
    }
    // (3) hypotheses on ignore boxes
    const skip = new Set<number>();
    const free = indices(hypUsed);
    if (ignore.length && free.length) {
      const ic = buffer.reserve(free.length, ignore.length);
      for (let r = 0; r < free.length; r++) {
        for (let c = 0; c < ignore.length; c++) {
          const overlap = iou(hyp[free[r]!]!.box, ignore[c]!.box);
          ic[r * ignore.length + c] = overlap >= MIN_IOU ? 1 - overlap : INVALID;
        }
      }
      solver.solve(ic, free.length, ignore.length, LIMIT);
      for (let r = 0; r < free.length; r++) {
        if (solver.rowToCol[r]! >= 0) {
          hypUsed[free[r]!] = 1;
          skip.add(hyp[free[r]!]!.id);
        }
      }
    }
    ignored.push(skip);
    fn += gt.length - gtUsed.reduce((a, b) => a + b, 0);
    fp += hyp.length - hypUsed.reduce((a, b) => a + b, 0);
  }
  return {
    mota: gtTotal ? 1 - (fn + fp + idsw) / gtTotal : 0,
    motp: matches ? iouSum / matches : 0,
    gt: gtTotal,
    matches,
    fp,
    fn,
    idsw,
    ignored,
  };
}

function indices(used: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < used.length; i++) if (!used[i]) out.push(i);
  return out;
}
