import type { Point } from '@tally/proto';
import type { DraftRule } from './draft-rule';

/** Edits of rule geometry in camera coordinates (pure; every result stays inside the frame [0, 1]). */

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

export function clampPoint(p: Point): Point {
  return { x: round6(clamp01(p.x)), y: round6(clamp01(p.y)) };
}

/** Swaps a line's ends, so its `in` side becomes the other one (the `in` side is on the right of p1 → p2). */
export function flipLine<R extends DraftRule>(rule: R): R {
  if (rule.kind !== 'line') return rule;
  return { ...rule, p1: rule.p2, p2: rule.p1 };
}

/** Moves point `index` (a line: 0 = p1, 1 = p2; a zone: its vertex) to `to`. */
export function movePoint(rule: DraftRule, index: number, to: Point): DraftRule {
  const p = clampPoint(to);
  if (rule.kind === 'line') return index === 0 ? { ...rule, p1: p } : { ...rule, p2: p };
  return { ...rule, polygon: rule.polygon.map((q, i) => (i === index ? p : q)) };
}

/**
 * Moves a whole shape by `delta`, as far as the frame allows: the delta is cut so that no point leaves [0, 1],
 * which keeps the shape's form (clamping each point alone would squash it against the edge).
 */
export function translate(rule: DraftRule, delta: Point): DraftRule {
  const pts = rule.kind === 'line' ? [rule.p1, rule.p2] : rule.polygon;
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const dx = Math.min(Math.max(delta.x, -Math.min(...xs)), 1 - Math.max(...xs));
  const dy = Math.min(Math.max(delta.y, -Math.min(...ys)), 1 - Math.max(...ys));
  const move = (p: Point) => clampPoint({ x: p.x + dx, y: p.y + dy });
  if (rule.kind === 'line') return { ...rule, p1: move(rule.p1), p2: move(rule.p2) };
  return { ...rule, polygon: rule.polygon.map(move) };
}

/** Adds a vertex at the end of an open zone. */
export function appendPoint(rule: DraftRule, p: Point): DraftRule {
  if (rule.kind !== 'zone') return rule;
  return { ...rule, polygon: [...rule.polygon, clampPoint(p)] };
}

/** Removes vertex `index` of a zone; a closed zone keeps at least 3 (returned unchanged otherwise). */
export function deletePoint(rule: DraftRule, index: number): DraftRule {
  if (rule.kind !== 'zone' || index < 0 || index >= rule.polygon.length) return rule;
  if (rule.closed && rule.polygon.length <= 3) return rule;
  return { ...rule, polygon: rule.polygon.filter((_, i) => i !== index) };
}

/** Finishes a zone's shape: needs 3 points or more. */
export function closeZone(rule: DraftRule): DraftRule {
  if (rule.kind !== 'zone' || rule.polygon.length < 3) return rule;
  return { ...rule, closed: true };
}
