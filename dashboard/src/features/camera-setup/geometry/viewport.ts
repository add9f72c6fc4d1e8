import type { Point } from '@tally/proto';

/**
 * Screen ↔ camera mapping. The snapshot is shown with `object-fit: contain` inside its box, so the picture is
 * scaled to fit and centred, with bars on two sides (letterboxing). Camera points are the contract's: normalised,
 * x right and y down, both in [0, 1] of the camera's frame (proto/README.md). Screen points are CSS pixels from the
 * box's top-left corner. Pure: no DOM here.
 */
export interface Size {
  width: number;
  height: number;
}

export interface Rect extends Size {
  x: number;
  y: number;
}

export interface ScreenPoint {
  x: number;
  y: number;
}

/** Where a picture of `image` size is drawn inside `box` by `object-fit: contain`. */
export function containRect(box: Size, image: Size): Rect {
  if (box.width <= 0 || box.height <= 0 || image.width <= 0 || image.height <= 0) {
    return { x: 0, y: 0, width: Math.max(box.width, 0), height: Math.max(box.height, 0) };
  }
  // One side fills the box exactly (no rounding drift), the other keeps the picture's aspect.
  const widthBound = box.width * image.height <= box.height * image.width;
  const width = widthBound ? box.width : (image.width * box.height) / image.height;
  const height = widthBound ? (image.height * box.width) / image.width : box.height;
  return { x: (box.width - width) / 2, y: (box.height - height) / 2, width, height };
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/**
 * The camera point under a screen point, clamped into the frame (a tap on the bars lands on the picture's edge).
 * Rounded to 1e-6 (a micro-pixel even on 8K), so stored configs stay readable.
 */
export function toCamera(p: ScreenPoint, rect: Rect): Point {
  if (rect.width <= 0 || rect.height <= 0) return { x: 0, y: 0 };
  return {
    x: round6(clamp01((p.x - rect.x) / rect.width)),
    y: round6(clamp01((p.y - rect.y) / rect.height)),
  };
}

/** The screen point where a camera point is drawn. */
export function toScreen(p: Point, rect: Rect): ScreenPoint {
  return { x: rect.x + p.x * rect.width, y: rect.y + p.y * rect.height };
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
