/**
 * Pure 2-D geometry for counting rules and for drawing them. Image coordinates: x right, y down, pixels unless a
 * function says otherwise. No allocation beyond the returned point.
 */
import type { Anchor } from '@tally/proto';
import type { Box, Vec2 } from '../vision/types';

/** The point of a box that represents the object: feet (bottom_center, default), center, or head (top_center). */
export function anchorPoint(box: Box, anchor: Anchor = 'bottom_center'): Vec2 {
  const x = (box.x1 + box.x2) / 2;
  if (anchor === 'center') return { x, y: (box.y1 + box.y2) / 2 };
  if (anchor === 'top_center') return { x, y: box.y1 };
  return { x, y: box.y2 };
}

/** cross(b − a, p − a): > 0 when p is on the right of a→b on screen (y down), < 0 on the left, 0 on the line. */
export function cross(a: Vec2, b: Vec2, p: Vec2): number {
  return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
}

/**
 * The side of the line p1→p2 that p is on: +1 the `in` side (cross(p2 − p1, p − p1) > 0), −1 the `out` side, 0 on it.
 */
export function sideOfLine(p1: Vec2, p2: Vec2, p: Vec2): -1 | 0 | 1 {
  const c = cross(p1, p2, p);
  return c > 0 ? 1 : c < 0 ? -1 : 0;
}

/** Signed perpendicular distance from p to the infinite line p1→p2 (positive on the `in` side). */
export function signedDistance(p1: Vec2, p2: Vec2, p: Vec2): number {
  const len = Math.hypot(p2.x - p1.x, p2.y - p1.y);
  return len === 0 ? 0 : cross(p1, p2, p) / len;
}

/**
 * Whether segment a→b meets segment c→d, touching included: a path that ends exactly on the counting segment still
 * meets it (the crossing is then confirmed by the following frames).
 */
export function segmentsIntersect(a: Vec2, b: Vec2, c: Vec2, d: Vec2): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (
    (d1 === 0 && onSegment(c, d, a)) ||
    (d2 === 0 && onSegment(c, d, b)) ||
    (d3 === 0 && onSegment(a, b, c)) ||
    (d4 === 0 && onSegment(a, b, d))
  );
}

/** For a point p collinear with a→b: whether it lies within the segment's bounding box. */
function onSegment(a: Vec2, b: Vec2, p: Vec2): boolean {
  return (
    Math.min(a.x, b.x) <= p.x &&
    p.x <= Math.max(a.x, b.x) &&
    Math.min(a.y, b.y) <= p.y &&
    p.y <= Math.max(a.y, b.y)
  );
}

/** Even-odd ray casting: whether p lies inside the polygon (points on an edge may go either way). */
export function pointInPolygon(p: Vec2, polygon: readonly Vec2[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Intersection over union of two boxes, 0 when they do not overlap. */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  if (w <= 0) return 0;
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (h <= 0) return 0;
  const inter = w * h;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/** Scales a normalised point ([0, 1] of the frame) to pixels. */
export function toPixels(p: Vec2, width: number, height: number): Vec2 {
  return { x: p.x * width, y: p.y * height };
}
