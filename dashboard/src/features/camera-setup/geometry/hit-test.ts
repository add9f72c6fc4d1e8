import type { Point } from '@tally/proto';
import type { DraftRule } from './draft-rule';
import { toScreen, type Rect, type ScreenPoint } from './viewport';

/** What a pointer pressed on: one of a rule's points, or the rule's body (a line's segment, a zone's inside). */
export type Hit = { rule: number; point: number } | { rule: number; point: null };

export function distance(a: ScreenPoint, b: ScreenPoint): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** Distance from `p` to the segment a–b. */
export function distanceToSegment(p: ScreenPoint, a: ScreenPoint, b: ScreenPoint): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return distance(p, { x: a.x + t * dx, y: a.y + t * dy });
}

/** Even-odd rule: whether `p` lies inside the polygon. */
export function insidePolygon(p: ScreenPoint, poly: readonly ScreenPoint[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!;
    const b = poly[j]!;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

export function pointsOf(rule: DraftRule): Point[] {
  return rule.kind === 'line' ? [rule.p1, rule.p2] : rule.polygon;
}

/**
 * What lies under a screen point, in screen pixels so a finger's `radius` is the same at any zoom. Points win over
 * bodies (a handle sits on its shape), the selected rule wins over the others, and later rules (drawn on top) over
 * earlier ones.
 */
export function hitTest(
  rules: readonly DraftRule[],
  at: ScreenPoint,
  rect: Rect,
  radius: number,
  selected: number | null = null,
): Hit | null {
  const order = rules.map((_, i) => i).reverse();
  if (selected !== null && selected < rules.length)
    order.sort((a, b) => (b === selected ? 1 : 0) - (a === selected ? 1 : 0));
  for (const i of order) {
    const pts = pointsOf(rules[i]!).map((p) => toScreen(p, rect));
    let best: { point: number; d: number } | null = null;
    pts.forEach((s, point) => {
      const d = distance(at, s);
      if (d <= radius && (!best || d < best.d)) best = { point, d };
    });
    if (best) return { rule: i, point: (best as { point: number }).point };
  }
  for (const i of order) {
    const rule = rules[i]!;
    const pts = pointsOf(rule).map((p) => toScreen(p, rect));
    if (rule.kind === 'line' && distanceToSegment(at, pts[0]!, pts[1]!) <= radius)
      return { rule: i, point: null };
    if (rule.kind === 'zone') {
      if (rule.closed && pts.length >= 3 && insidePolygon(at, pts)) return { rule: i, point: null };
      for (let k = 0; k + 1 < pts.length; k++) {
        if (distanceToSegment(at, pts[k]!, pts[k + 1]!) <= radius) return { rule: i, point: null };
      }
    }
  }
  return null;
}
