import type { ScreenPoint } from './viewport';

/**
 * The arrow that shows a line's `in` side, in screen coordinates. The contract (proto/README.md): `in` is where
 * cross(p2 − p1, p − p1) > 0 with x right and y down — on your right walking from p1 to p2. The normal
 * (−dy, dx) has cross(d, n) = dx² + dy² > 0, so it points to the `in` side. Scaling x and y by positive factors
 * (camera → screen) keeps the sign of the cross product, so the side computed on screen is the camera's.
 */
export function inArrow(
  p1: ScreenPoint,
  p2: ScreenPoint,
  length: number,
): { from: ScreenPoint; to: ScreenPoint } {
  const dx = p2.x - p1.x;
  const dy = p2.y - p1.y;
  const len = Math.hypot(dx, dy) || 1;
  const from = { x: (p1.x + p2.x) / 2, y: (p1.y + p2.y) / 2 };
  return { from, to: { x: from.x + (-dy / len) * length, y: from.y + (dx / len) * length } };
}

/** Which side of the line p1 → p2 a point is on, as the edge counts it: 'in', 'out', or 'on'. */
export function sideOf(p1: ScreenPoint, p2: ScreenPoint, p: ScreenPoint): 'in' | 'out' | 'on' {
  const cross = (p2.x - p1.x) * (p.y - p1.y) - (p2.y - p1.y) * (p.x - p1.x);
  return cross > 0 ? 'in' : cross < 0 ? 'out' : 'on';
}
