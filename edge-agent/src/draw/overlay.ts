import type { LineRule, ZoneRule } from '@tally/proto';
import { toPixels } from '../count/geometry';
import type { TrackedObject } from '../vision/types';
import type { BgrCanvas } from './bgr-canvas';
import { type Color } from './bgr-canvas';

/**
 * What installers check a placement with: each line with an arrow pointing to its `in` side (where
 * cross(p2 − p1, p − p1) > 0, see proto's README), each zone's outline, running counts, and the tracked boxes with
 * their ids. Rules come in normalised coordinates, as in the config.
 */
export type RuleCounts = Record<
  string,
  { in: number; out: number } | { enter: number; exit: number; current: number }
>;

const LINE: Color = [0, 255, 255];
const ZONE: Color = [255, 160, 0];
const TEXT: Color = [255, 255, 255];

export function drawRules(
  canvas: BgrCanvas,
  lines: readonly LineRule[],
  zones: readonly ZoneRule[],
  counts?: RuleCounts,
): void {
  const { width: w, height: h } = canvas;
  for (const z of zones) {
    const poly = z.polygon.map((p) => toPixels(p, w, h));
    canvas.polygon(poly, ZONE, 2);
    const c = counts?.[z.id];
    const label = c && 'current' in c ? `${z.name} NOW ${c.current} IN ${c.enter} OUT ${c.exit}` : z.name;
    canvas.text(label, poly[0]!.x + 4, poly[0]!.y + 4, ZONE);
  }
  for (const l of lines) {
    const p1 = toPixels(l.p1, w, h);
    const p2 = toPixels(l.p2, w, h);
    canvas.line(p1, p2, LINE, 3);
    // The in-side normal of p1→p2 in image coordinates is (−dy, dx): cross(d, n) = dx² + dy² > 0.
    const dx = p2.x - p1.x;
    const dy = p2.y - p1.y;
    const len = Math.hypot(dx, dy) || 1;
    const mid = { x: (p1.x + p2.x) / 2, y: (p1.y + p2.y) / 2 };
    canvas.arrow(mid, { x: mid.x + (-dy / len) * 25, y: mid.y + (dx / len) * 25 }, LINE, 2);
    const c = counts?.[l.id];
    const label = c && 'in' in c ? `${l.name} IN ${c.in} OUT ${c.out}` : l.name;
    canvas.text(label, p1.x + 4, p1.y + 6, LINE);
  }
}

export function drawTracks(canvas: BgrCanvas, tracks: readonly TrackedObject[]): void {
  for (const t of tracks) {
    const color = colorOf(t.id);
    canvas.rect(t.box.x1, t.box.y1, t.box.x2, t.box.y2, color, t.matched ? 2 : 1);
    canvas.text(`${t.id}`, t.box.x1, Math.max(0, t.box.y1 - 18), TEXT);
  }
}

/** A stable, distinct colour per track id. */
function colorOf(id: number): Color {
  const hue = (id * 137.508) % 360;
  const f = (n: number) => {
    const k = (n + hue / 60) % 6;
    return Math.round(255 * (1 - Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(1), f(3), f(5)];
}
