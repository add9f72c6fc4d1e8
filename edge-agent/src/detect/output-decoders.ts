import type { Detection } from '../vision/types';
import type { LetterboxPlan } from './letterbox';

/**
 * Decoders of the two supported output layouts into frame-pixel detections (before NMS). Pure.
 *
 * YOLOX: `1 × N × (5 + C)`, rows are grid cells of strides 8, 16, 32 (row-major, in that order); columns
 * `cx, cy, w, h` relative to the cell, objectness, then C class scores (sigmoid applied); score = objectness × best
 * class score. Ultralytics YOLOv8/YOLO11: `1 × (4 + C) × N`, channel-major; `cx, cy, w, h` in input pixels, then C
 * class scores; no objectness.
 */
export interface DecodeParams {
  plan: LetterboxPlan;
  numClasses: number;
  classNames: readonly string[];
  scoreThreshold: number;
  /** classMask[id] === 1 for kept classes. */
  classMask: Uint8Array;
}

/** Grid cell x, y and stride of each YOLOX output row, for an input size. */
export interface YoloxGrid {
  gx: Float32Array;
  gy: Float32Array;
  stride: Float32Array;
  rows: number;
}

export function yoloxGrid(
  width: number,
  height: number,
  strides: readonly number[] = [8, 16, 32],
): YoloxGrid {
  const rows = strides.reduce((n, s) => n + Math.floor(width / s) * Math.floor(height / s), 0);
  const gx = new Float32Array(rows);
  const gy = new Float32Array(rows);
  const stride = new Float32Array(rows);
  let r = 0;
  for (const s of strides) {
    const w = Math.floor(width / s);
    const h = Math.floor(height / s);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++, r++) {
        gx[r] = x;
        gy[r] = y;
        stride[r] = s;
      }
    }
  }
  return { gx, gy, stride, rows };
}

export function decodeYolox(out: Float32Array, grid: YoloxGrid, p: DecodeParams): Detection[] {
  const cols = 5 + p.numClasses;
  const dets: Detection[] = [];
  for (let r = 0; r < grid.rows; r++) {
    const base = r * cols;
    const obj = out[base + 4]!;
    // score = obj × class ≤ obj: most cells stop here.
    if (obj < p.scoreThreshold) continue;
    const [classId, cls] = bestClass(out, base + 5, 1, p.numClasses);
    const score = obj * cls;
    if (score < p.scoreThreshold || p.classMask[classId] !== 1) continue;
    const s = grid.stride[r]!;
    const cx = (out[base]! + grid.gx[r]!) * s;
    const cy = (out[base + 1]! + grid.gy[r]!) * s;
    const w = Math.exp(out[base + 2]!) * s;
    const h = Math.exp(out[base + 3]!) * s;
    dets.push(toFrame(cx, cy, w, h, score, classId, p));
  }
  return dets;
}

export function decodeYolov8(out: Float32Array, anchors: number, p: DecodeParams): Detection[] {
  const dets: Detection[] = [];
  for (let i = 0; i < anchors; i++) {
    const [classId, score] = bestClass(out, 4 * anchors + i, anchors, p.numClasses);
    if (score < p.scoreThreshold || p.classMask[classId] !== 1) continue;
    const cx = out[i]!;
    const cy = out[anchors + i]!;
    const w = out[2 * anchors + i]!;
    const h = out[3 * anchors + i]!;
    dets.push(toFrame(cx, cy, w, h, score, classId, p));
  }
  return dets;
}

/** The class with the highest score; the class filter applies after, so a car is never relabelled a truck. */
function bestClass(out: Float32Array, start: number, step: number, n: number): [number, number] {
  let best = 0;
  let bestScore = -Infinity;
  for (let c = 0, i = start; c < n; c++, i += step) {
    const v = out[i]!;
    if (v > bestScore) {
      bestScore = v;
      best = c;
    }
  }
  return [best, bestScore];
}

/** Model-input centre/size → frame-pixel corners, undoing the letterbox and clipping to the frame. */
function toFrame(
  cx: number,
  cy: number,
  w: number,
  h: number,
  score: number,
  classId: number,
  p: DecodeParams,
) {
  const { scale, padX, padY, srcW, srcH } = p.plan;
  const clip = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  return {
    box: {
      x1: clip((cx - w / 2 - padX) / scale, srcW),
      y1: clip((cy - h / 2 - padY) / scale, srcH),
      x2: clip((cx + w / 2 - padX) / scale, srcW),
      y2: clip((cy + h / 2 - padY) / scale, srcH),
    },
    score,
    classId,
    className: p.classNames[classId] ?? String(classId),
  };
}
