/**
 * Identity metrics (Ristani et al. 2016): ground-truth ids and hypothesis ids are paired one-to-one by a global
 * optimal assignment that maximises the frames in which each pair overlaps with IoU ≥ 0.5 (IDTP). IDF1 =
 * 2·IDTP / (GT boxes + hypothesis boxes). Hypotheses discarded on ignore boxes are left out.
 */
import { iou } from '../count/geometry';
import { Assignment } from '../track/matching';
import type { FrameTruth } from './clear-mot';

export interface IdMetrics {
  idf1: number;
  idp: number;
  idr: number;
  idtp: number;
}

export function idMetrics(frames: readonly FrameTruth[], ignored?: readonly Set<number>[]): IdMetrics {
  const gtIds = new Map<number, number>();
  const hypIds = new Map<number, number>();
  const overlaps = new Map<string, number>();
  let gtBoxes = 0;
  let hypBoxes = 0;
  frames.forEach((frame, f) => {
    const skip = ignored?.[f];
    const hyps = skip?.size ? frame.hyp.filter((h) => !skip.has(h.id)) : frame.hyp;
    gtBoxes += frame.gt.length;
    hypBoxes += hyps.length;
    for (const g of frame.gt) {
      if (!gtIds.has(g.id)) gtIds.set(g.id, gtIds.size);
      for (const h of hyps) {
        if (!hypIds.has(h.id)) hypIds.set(h.id, hypIds.size);
        if (iou(g.box, h.box) >= 0.5) {
          const key = `${gtIds.get(g.id)},${hypIds.get(h.id)}`;
          overlaps.set(key, (overlaps.get(key) ?? 0) + 1);
        }
      }
    }
    for (const h of hyps) if (!hypIds.has(h.id)) hypIds.set(h.id, hypIds.size);
  });
  const rows = gtIds.size;
  const cols = hypIds.size;
  const cost = new Float64Array(rows * cols);
  for (const [key, n] of overlaps) {
    const [r, c] = key.split(',').map(Number) as [number, number];
    cost[r * cols + c] = -n;
  }
  const solver = new Assignment();
  solver.solve(cost, rows, cols, 0);
  let idtp = 0;
  for (let r = 0; r < rows; r++) {
    const c = solver.rowToCol[r]!;
    if (c >= 0) idtp -= cost[r * cols + c]!;
  }
  return {
    idf1: gtBoxes + hypBoxes ? (2 * idtp) / (gtBoxes + hypBoxes) : 0,
    idp: hypBoxes ? idtp / hypBoxes : 0,
    idr: gtBoxes ? idtp / gtBoxes : 0,
    idtp,
  };
}
