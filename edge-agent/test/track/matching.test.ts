import { describe, expect, it } from 'vitest';
import { Assignment, FORBIDDEN, fillIouCost } from '../../src/track/matching';
import type { Detection } from '../../src/vision/types';

/** Deterministic PRNG (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Best Σ(cost − limit) over all partial matchings using only pairs with cost < limit (exhaustive). */
function bruteForce(cost: Float64Array, rows: number, cols: number, limit: number): number {
  const usedCols = new Array<boolean>(cols).fill(false);
  const go = (r: number): number => {
    if (r === rows) return 0;
    let best = go(r + 1); // row r unmatched
    for (let c = 0; c < cols; c++) {
      const x = cost[r * cols + c]!;
      if (usedCols[c] || x >= limit) continue;
      usedCols[c] = true;
      best = Math.min(best, x - limit + go(r + 1));
      usedCols[c] = false;
    }
    return best;
  };
  return go(0);
}

describe('Assignment', () => {
  it('matches brute force on random matrices of every small shape, with and without a limit', () => {
    const random = rng(42);
    const solver = new Assignment();
    let checked = 0;
    for (let trial = 0; trial < 400; trial++) {
      const rows = Math.floor(random() * 6);
      const cols = Math.floor(random() * 6);
      const limit = [0.3, 0.6, 1.01][trial % 3]!;
      const cost = new Float64Array(rows * cols).map(() => (random() < 0.15 ? FORBIDDEN : random()));
      solver.solve(cost, rows, cols, limit);
      let total = 0;
      const seenCols = new Set<number>();
      for (let r = 0; r < rows; r++) {
        const c = solver.rowToCol[r]!;
        if (c < 0) continue;
        expect(solver.colToRow[c]).toBe(r);
        expect(seenCols.has(c)).toBe(false);
        seenCols.add(c);
        expect(cost[r * cols + c]!).toBeLessThan(limit);
        total += cost[r * cols + c]! - limit;
      }
      expect(total).toBeCloseTo(bruteForce(cost, rows, cols, limit), 9);
      checked++;
    }
    expect(checked).toBe(400);
  });

  it('leaves everything unmatched when every pair is over the limit', () => {
    const solver = new Assignment();
    expect(solver.solve(new Float64Array([0.9, 0.95, 0.99, 0.97]), 2, 2, 0.8)).toBe(0);
    expect([...solver.rowToCol.slice(0, 2)]).toEqual([-1, -1]);
  });

  it('prefers the globally cheaper matching over the greedy one', () => {
    // Greedy would take (0,0)=0.1 and leave row 1 with 0.9; optimal is (0,1)+(1,0) = 0.2 + 0.2.
    const solver = new Assignment();
    solver.solve(new Float64Array([0.1, 0.2, 0.2, 0.9]), 2, 2, 1);
    expect([...solver.rowToCol.slice(0, 2)]).toEqual([1, 0]);
  });
});

describe('fillIouCost', () => {
  const det = (x: number, className = 'person', score = 1): Detection => ({
    box: { x1: x, y1: 0, x2: x + 10, y2: 10 },
    score,
    classId: 0,
    className,
  });
  it('forbids pairs across classes and fuses the score when asked', () => {
    const out = new Float64Array(3);
    const tracks = [{ box: { x1: 0, y1: 0, x2: 10, y2: 10 }, className: 'person' }];
    fillIouCost(out, tracks, [det(0), det(0, 'car'), det(0, 'person', 0.5)], true);
    expect(out[0]).toBeCloseTo(0);
    expect(out[1]).toBe(FORBIDDEN);
    expect(out[2]).toBeCloseTo(0.5);
  });
});
