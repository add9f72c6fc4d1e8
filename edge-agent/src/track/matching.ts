/**
 * Optimal assignment with a cost limit, and the IoU cost the tracker uses.
 *
 * The npm assignment libraries (munkres-js, munkres, hungarian-on3, linear-sum-assignment) take arrays of arrays
 * and allocate on every call; the tracker solves two small problems per frame at thousands of frames per second,
 * so this is a shortest-augmenting-path Hungarian algorithm (Jonker–Volgenant style, O(n²m)) on flat typed arrays
 * that are grown, never reallocated per call. It is tested against brute force on random matrices.
 *
 * Cost limit semantics (as `lap.lapjv(..., extend_cost=True, cost_limit=L)` in ByteTrack): a pair whose cost is
 * ≥ L is never matched, and among the rest the matching minimises Σ(cost − L), i.e. leaving a row and a column
 * unmatched costs L. Solving min(cost − L, 0) as a full row assignment gives exactly that optimum.
 */
import type { Box, Detection } from '../vision/types';
import { iou } from '../count/geometry';

/** A reusable solver: `solve()` writes its answer into `rowToCol` / `colToRow` (−1: unmatched). */
export class Assignment {
  rowToCol = new Int32Array(16);
  colToRow = new Int32Array(16);
  private work = new Float64Array(256);
  private u = new Float64Array(17);
  private v = new Float64Array(17);
  private minv = new Float64Array(17);
  private p = new Int32Array(17);
  private way = new Int32Array(17);
  private used = new Uint8Array(17);

  /**
   * Minimum-cost matching of a rows×cols cost matrix (row-major in `cost`), pairs with cost ≥ `limit` excluded.
   * Returns the number of matched pairs.
   */
  solve(cost: Float64Array, rows: number, cols: number, limit: number): number {
    this.ensure(rows, cols);
    this.rowToCol.fill(-1, 0, rows);
    this.colToRow.fill(-1, 0, cols);
    if (rows === 0 || cols === 0) return 0;
    // The Hungarian loop below needs n ≤ m: transpose when there are more rows than columns.
    const transposed = rows > cols;
    const n = transposed ? cols : rows;
    const m = transposed ? rows : cols;
    const a = this.work;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const x = cost[r * cols + c]! - limit;
        a[transposed ? c * rows + r : r * cols + c] = x < 0 ? x : 0;
      }
    }
    this.hungarian(n, m);
    let matched = 0;
    for (let j = 1; j <= m; j++) {
      const i = this.p[j]!;
      if (i === 0) continue;
      const r = transposed ? j - 1 : i - 1;
      const c = transposed ? i - 1 : j - 1;
      if (cost[r * cols + c]! < limit) {
        this.rowToCol[r] = c;
        this.colToRow[c] = r;
        matched++;
      }
    }
    return matched;
  }

  /** e-maxx formulation with potentials u, v; a is n×m (n ≤ m), 1-based in the loop, 0-based in memory. */
  private hungarian(n: number, m: number): void {
    const { work: a, u, v, minv, p, way, used } = this;
    u.fill(0, 0, n + 1);
    v.fill(0, 0, m + 1);
    p.fill(0, 0, m + 1);
    way.fill(0, 0, m + 1);
    for (let i = 1; i <= n; i++) {
      p[0] = i;
      let j0 = 0;
      minv.fill(Infinity, 0, m + 1);
      used.fill(0, 0, m + 1);
      do {
        used[j0] = 1;
        const i0 = p[j0]!;
        let delta = Infinity;
        let j1 = 0;
        const rowBase = (i0 - 1) * m - 1;
        const ui0 = u[i0]!;
        for (let j = 1; j <= m; j++) {
          if (used[j]) continue;
          const cur = a[rowBase + j]! - ui0 - v[j]!;
          if (cur < minv[j]!) {
            minv[j] = cur;
            way[j] = j0;
          }
          if (minv[j]! < delta) {
            delta = minv[j]!;
            j1 = j;
          }
        }
        for (let j = 0; j <= m; j++) {
          if (used[j]) {
            u[p[j]!]! += delta;
            v[j]! -= delta;
          } else {
            minv[j]! -= delta;
          }
        }
        j0 = j1;
      } while (p[j0] !== 0);
      do {
        const j1 = way[j0]!;
        p[j0] = p[j1]!;
        j0 = j1;
      } while (j0 !== 0);
    }
  }

  private ensure(rows: number, cols: number): void {
    const size = Math.max(rows, cols) + 1;
    if (rows * cols > this.work.length) this.work = new Float64Array(rows * cols * 2);
    if (rows > this.rowToCol.length) this.rowToCol = new Int32Array(rows * 2);
    if (cols > this.colToRow.length) this.colToRow = new Int32Array(cols * 2);
    if (size > this.u.length) {
      const cap = size * 2;
      this.u = new Float64Array(cap);
      this.v = new Float64Array(cap);
      this.minv = new Float64Array(cap);
      this.p = new Int32Array(cap);
      this.way = new Int32Array(cap);
      this.used = new Uint8Array(cap);
    }
  }
}

/** A growable row-major matrix buffer, so the tracker fills costs without allocating per frame. */
export class CostBuffer {
  data = new Float64Array(256);
  reserve(rows: number, cols: number): Float64Array {
    if (rows * cols > this.data.length) this.data = new Float64Array(rows * cols * 2);
    return this.data;
  }
}

/** A forbidden pair's cost: above any limit the tracker uses. */
export const FORBIDDEN = 1e9;

/**
 * Fills `out` (rows = tracks, cols = detections) with 1 − IoU, where IoU is multiplied by the detection's score
 * when `fuseScore` (ByteTrack's fuse_score: a weak detection needs more overlap), and FORBIDDEN across classes so a
 * track never takes a detection of another class.
 */
export function fillIouCost(
  out: Float64Array,
  tracks: readonly { box: Box; className: string; lostBuffer?: number }[],
  dets: readonly Detection[],
  fuseScore: boolean,
  small: { boxPx: number; buffer: number } = { boxPx: 0, buffer: 0 },
): void {
  const cols = dets.length;
  for (let r = 0; r < tracks.length; r++) {
    const t = tracks[r]!;
    for (let c = 0; c < cols; c++) {
      const d = dets[c]!;
      if (d.className !== t.className) {
        out[r * cols + c] = FORBIDDEN;
        continue;
      }
      const h = d.box.y2 - d.box.y1;
      const k = Math.max(
        small.buffer > 0 && h < small.boxPx ? small.buffer * (1 - h / small.boxPx) : 0,
        t.lostBuffer ?? 0,
      );
      const sim = k > 0 ? iou(buffered(t.box, k), buffered(d.box, k)) : iou(t.box, d.box);
      out[r * cols + c] = 1 - (fuseScore ? sim * d.score : sim);
    }
  }
}

/** The box grown by `k` of its width and height on each side (C-BIoU's buffered box). */
function buffered(b: Box, k: number): Box {
  const dx = k * (b.x2 - b.x1);
  const dy = k * (b.y2 - b.y1);
  return { x1: b.x1 - dx, y1: b.y1 - dy, x2: b.x2 + dx, y2: b.y2 + dy };
}
