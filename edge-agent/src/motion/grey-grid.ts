/**
 * A small grey copy of a frame for motion tests: the frame is cut into square cells of `cell` pixels and each cell
 * becomes the mean grey level of a sparse sample of its pixels (every second pixel of every second row). Averaging
 * over a cell is what makes the test cheap and deaf to sensor noise: per-pixel noise of σ 5 grey levels averages to
 * about 0.7 over a 7 × 7 cell's samples, while a person covering the cell moves its mean by tens of levels.
 * Pure; allocates nothing after construction.
 */
import type { Frame } from '../vision/types';

/** Cells across a frame's width: a 416-wide frame gets 7-pixel cells (59 × 44 for 416 × 312). */
const TARGET_COLUMNS = 64;

export interface GridGeometry {
  cols: number;
  rows: number;
  /** Cell side in frame pixels. */
  cell: number;
  width: number;
  height: number;
}

export function gridGeometry(width: number, height: number): GridGeometry {
  const cell = Math.max(2, Math.ceil(width / TARGET_COLUMNS));
  return {
    cols: Math.max(1, Math.floor(width / cell)),
    rows: Math.max(1, Math.floor(height / cell)),
    cell,
    width,
    height,
  };
}

export class GreyGrid {
  readonly geometry: GridGeometry;
  /** Mean grey level per cell, row-major. Overwritten by each `read()`. */
  readonly values: Float32Array;

  constructor(width: number, height: number) {
    this.geometry = gridGeometry(width, height);
    this.values = new Float32Array(this.geometry.cols * this.geometry.rows);
  }

  /** Fills `values` from a packed BGR24 frame of the size given at construction. */
  read(frame: Pick<Frame, 'data' | 'width' | 'height'>): Float32Array {
    const { cols, rows, cell } = this.geometry;
    if (frame.width !== this.geometry.width || frame.height !== this.geometry.height) {
      throw new Error(
        `frame is ${frame.width}×${frame.height}, grid made for ${this.geometry.width}×${this.geometry.height}`,
      );
    }
    const d = frame.data;
    const stride = frame.width * 3;
    for (let cy = 0; cy < rows; cy++) {
      for (let cx = 0; cx < cols; cx++) {
        let sum = 0;
        let n = 0;
        for (let y = cy * cell; y < (cy + 1) * cell; y += 2) {
          let i = y * stride + cx * cell * 3;
          for (let x = 0; x < cell; x += 2, i += 6) {
            // Integer luma approximation (B + 2G + R) / 4: enough to see change, no multiplications by weights.
            sum += d[i]! + 2 * d[i + 1]! + d[i + 2]!;
            n++;
          }
        }
        this.values[cy * cols + cx] = sum / (4 * n);
      }
    }
    return this.values;
  }
}
