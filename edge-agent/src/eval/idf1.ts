/**
 * Identity metrics (Ristani et al. 2016): ground-truth ids and hypothesis ids are paired one-to-one by a global
 * optimal assignment that maximises the frames in which each pair may match (IDTP). IDF1 = 2·IDTP / (GT boxes +
 * hypothesis boxes). `idMetricsFromFrames` takes py-motmetrics-style distance matrices (NaN: may not match);
 * `idMetrics` takes boxes (may match: IoU ≥ 0.5) and leaves out hypotheses discarded on ignore boxes.
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

export interface IdFrame {
  gtIds: readonly number[];
  hypIds: readonly number[];
  /** gt×hyp row-major; NaN where they may not match. */
  dist: ArrayLike<number>;
}

export function idMetricsFromFrames(frames: readonly IdFrame[]): IdMetrics {
  const gtIndex = new Map<number, number>();
  const hypIndex = new Map<number, number>();
  const overlaps = new Map<number, Map<number, number>>();
  let gtBoxes = 0;
  let hypBoxes = 0;
  for (const { gtIds, hypIds, dist } of frames) {
    gtBoxes += gtIds.length;
    hypBoxes += hypIds.length;
    for (const id of gtIds) if (!gtIndex.has(id)) gtIndex.set(id, gtIndex.size);
    for (const id of hypIds) if (!hypIndex.has(id)) hypIndex.set(id, hypIndex.size);
    gtIds.forEach((g, r) => {
      hypIds.forEach((h, c) => {
        if (Number.isNaN(dist[r * hypIds.length + c]!)) return;
        const row = overlaps.get(gtIndex.get(g)!) ?? new Map<number, number>();
        const col = hypIndex.get(h)!;
        row.set(col, (row.get(col) ?? 0) + 1);
        overlaps.set(gtIndex.get(g)!, row);
      });
    });
  }
  const rows = gtIndex.size;
  const cols = hypIndex.size;
  const cost = new Float64Array(rows * cols);
  for (const [r, row] of overlaps) for (const [c, n] of row) cost[r * cols + c] = -n;
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

export function idMetrics(frames: readonly FrameTruth[], ignored?: readonly Set<number>[]): IdMetrics {
  return idMetricsFromFrames(
    frames.map((frame, f) => {
      const skip = ignored?.[f];
      const hyps = skip?.size ? frame.hyp.filter((h) => !skip.has(h.id)) : frame.hyp;
      const dist = new Float64Array(frame.gt.length * hyps.length);
      frame.gt.forEach((g, r) =>
        hyps.forEach((h, c) => (dist[r * hyps.length + c] = iou(g.box, h.box) >= 0.5 ? 0 : NaN)),
      );
      return { gtIds: frame.gt.map((g) => g.id), hypIds: hyps.map((h) => h.id), dist };
    }),
  );
}
