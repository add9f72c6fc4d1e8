/**
 * Sets of grid cells drawn from normalised shapes: the areas motion gating ignores (trees, a screen) and the areas
 * where any motion wakes the detector (zones, a band around each counting line, boxes around live tracks). Pure.
 */
import type { Point } from '@tally/proto';
import type { Box } from '../vision/types';
import type { GridGeometry } from './grey-grid';

export type CellMask = Uint8Array;

export function emptyMask(g: GridGeometry): CellMask {
  return new Uint8Array(g.cols * g.rows);
}

/** Marks the cells whose centre lies inside the polygon (normalised coordinates). */
export function addPolygon(mask: CellMask, g: GridGeometry, polygon: readonly Point[]): void {
  forEachCell(g, (i, x, y) => {
    if (insidePolygon(polygon, x, y)) mask[i] = 1;
  });
}

/** Marks the cells whose centre is within `margin` (normalised) of the segment p1 → p2. */
export function addSegmentBand(mask: CellMask, g: GridGeometry, p1: Point, p2: Point, margin: number): void {
  forEachCell(g, (i, x, y) => {
    if (segmentDistance(p1, p2, x, y) <= margin) mask[i] = 1;
  });
}

/** Marks the cells a box (frame pixels) covers, grown by `grow` of its size on each side. */
export function addBox(mask: CellMask, g: GridGeometry, box: Box, grow: number): void {
  const gx = (box.x2 - box.x1) * grow;
  const gy = (box.y2 - box.y1) * grow;
  const c0 = clamp(Math.floor((box.x1 - gx) / g.cell), 0, g.cols - 1);
  const c1 = clamp(Math.floor((box.x2 + gx) / g.cell), 0, g.cols - 1);
  const r0 = clamp(Math.floor((box.y1 - gy) / g.cell), 0, g.rows - 1);
  const r1 = clamp(Math.floor((box.y2 + gy) / g.cell), 0, g.rows - 1);
  for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) mask[r * g.cols + c] = 1;
}

function forEachCell(g: GridGeometry, fn: (i: number, x: number, y: number) => void): void {
  for (let r = 0; r < g.rows; r++) {
    for (let c = 0; c < g.cols; c++) {
      fn(r * g.cols + c, ((c + 0.5) * g.cell) / g.width, ((r + 0.5) * g.cell) / g.height);
    }
  }
}

function insidePolygon(poly: readonly Point[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!;
    const b = poly[j]!;
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

function segmentDistance(p1: Point, p2: Point, x: number, y: number): number {
  const dx = p2.x - p1.x;
  const dy = p2.y - p1.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : clamp(((x - p1.x) * dx + (y - p1.y) * dy) / len2, 0, 1);
  return Math.hypot(x - (p1.x + t * dx), y - (p1.y + t * dy));
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
