/**
 * Count error of line counts against the truth (no I/O): per line and direction got/truth, and over all of them
 * error = Σ|got − truth| / Σ truth, split into overcount Σ max(0, got − truth) / Σ truth and undercount
 * Σ max(0, truth − got) / Σ truth (error = overcount + undercount). A direction is `off` when it misses by more
 * than max(1, 20 % of its truth) (the per-direction bound).
 */
import type { DirectionCounts } from './true-crossings';

export interface DirectionScore {
  line: string;
  direction: 'in' | 'out';
  got: number;
  truth: number;
  off: boolean;
}

export interface CountScore {
  directions: DirectionScore[];
  truth: number;
  /** null when there are no true crossings at all (nothing to divide by). */
  error: number | null;
  overcount: number | null;
  undercount: number | null;
  /** Directions off by more than max(1, 20 %). */
  off: number;
}

export function scoreCounts(
  got: Record<string, DirectionCounts>,
  truth: Record<string, DirectionCounts>,
): CountScore {
  const directions: DirectionScore[] = [];
  let total = 0;
  let over = 0;
  let under = 0;
  for (const [line, t] of Object.entries(truth)) {
    for (const direction of ['in', 'out'] as const) {
      const g = got[line]?.[direction] ?? 0;
      const tr = t[direction];
      total += tr;
      over += Math.max(0, g - tr);
      under += Math.max(0, tr - g);
      directions.push({ line, direction, got: g, truth: tr, off: Math.abs(g - tr) > Math.max(1, 0.2 * tr) });
    }
  }
  const ratio = (v: number) => (total > 0 ? v / total : null);
  return {
    directions,
    truth: total,
    error: ratio(over + under),
    overcount: ratio(over),
    undercount: ratio(under),
    off: directions.filter((d) => d.off).length,
  };
}
