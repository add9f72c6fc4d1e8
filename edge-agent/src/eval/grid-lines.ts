/**
 * Evenly spaced counting lines over the whole frame, so that nobody picks the lines an evaluation runs on.
 * `n` vertical lines at x = W·i/(n+1) and `n` horizontal lines at y = H·i/(n+1), i = 1…n, each from one frame edge
 * to the other. Vertical lines run bottom → top (p1 at the bottom), so `in` = moving right; horizontal lines run
 * left → right, so `in` = moving down (the `in` side is on the right of p1 → p2 on screen, proto's convention).
 * Names: `x<pixel>` and `y<pixel>` (rounded). Points are normalised, as proto's LineRule.
 */
import type { LineRule } from '@tally/proto';

export function gridLines(n: number, frameWidth: number, frameHeight: number): LineRule[] {
  const lines: LineRule[] = [];
  for (let i = 1; i <= n; i++) {
    const f = i / (n + 1);
    const name = `x${Math.round(f * frameWidth)}`;
    lines.push({ id: name, name, p1: { x: f, y: 1 }, p2: { x: f, y: 0 } });
  }
  for (let i = 1; i <= n; i++) {
    const f = i / (n + 1);
    const name = `y${Math.round(f * frameHeight)}`;
    lines.push({ id: name, name, p1: { x: 0, y: f }, p2: { x: 1, y: f } });
  }
  return lines;
}
