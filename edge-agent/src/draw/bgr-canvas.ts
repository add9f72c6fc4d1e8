import type { Vec2 } from '../vision/types';
import { GLYPH_H, GLYPH_W, glyph } from './font-5x7';

export type Color = readonly [b: number, g: number, r: number];

/**
 * Drawing primitives on a packed BGR24 buffer, in place: lines with thickness, rectangles, polygons and text in a
 * bitmap font. Pure (no I/O), clipped to the frame, so overlays cost no dependency and no process-wide handlers.
 */
export class BgrCanvas {
  constructor(
    readonly data: Uint8Array,
    readonly width: number,
    readonly height: number,
  ) {}

  fillRect(x: number, y: number, w: number, h: number, c: Color): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++) {
      let o = (yy * this.width + x0) * 3;
      for (let xx = x0; xx < x1; xx++, o += 3) {
        this.data[o] = c[0];
        this.data[o + 1] = c[1];
        this.data[o + 2] = c[2];
      }
    }
  }

  /** A line of the given thickness (square pen stepped along the segment). */
  line(a: Vec2, b: Vec2, c: Color, thickness = 2): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(b.x - a.x), Math.abs(b.y - a.y))));
    const half = thickness / 2;
    for (let i = 0; i <= steps; i++) {
      const x = a.x + ((b.x - a.x) * i) / steps;
      const y = a.y + ((b.y - a.y) * i) / steps;
      this.fillRect(x - half, y - half, thickness, thickness, c);
    }
  }

  rect(x1: number, y1: number, x2: number, y2: number, c: Color, thickness = 2): void {
    this.line({ x: x1, y: y1 }, { x: x2, y: y1 }, c, thickness);
    this.line({ x: x2, y: y1 }, { x: x2, y: y2 }, c, thickness);
    this.line({ x: x2, y: y2 }, { x: x1, y: y2 }, c, thickness);
    this.line({ x: x1, y: y2 }, { x: x1, y: y1 }, c, thickness);
  }

  polygon(points: readonly Vec2[], c: Color, thickness = 2): void {
    points.forEach((p, i) => this.line(p, points[(i + 1) % points.length]!, c, thickness));
  }

  /** An arrow from `from` to `to` with a two-stroke head. */
  arrow(from: Vec2, to: Vec2, c: Color, thickness = 2): void {
    this.line(from, to, c, thickness);
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    const head = Math.min(10, len / 2);
    for (const s of [1, -1]) {
      this.line(
        to,
        { x: to.x - head * (ux - s * 0.5 * uy), y: to.y - head * (uy + s * 0.5 * ux) },
        c,
        thickness,
      );
    }
  }

  /** Text with its top-left at (x, y), `scale` pixels per font dot, on a dark box so it reads on any scene. */
  text(s: string, x: number, y: number, c: Color, scale = 2): void {
    const w = s.length * (GLYPH_W + 1) * scale + scale;
    this.fillRect(x - scale, y - scale, w + scale, (GLYPH_H + 2) * scale, [0, 0, 0]);
    for (let i = 0; i < s.length; i++) {
      const rows = glyph(s[i]!);
      const gx = x + i * (GLYPH_W + 1) * scale;
      for (let r = 0; r < GLYPH_H; r++) {
        const bits = rows[r]!;
        for (let col = 0; col < GLYPH_W; col++) {
          if (bits & (1 << (GLYPH_W - 1 - col)))
            this.fillRect(gx + col * scale, y + r * scale, scale, scale, c);
        }
      }
    }
  }
}
