/**
 * Frame differencing against a background model, on a GreyGrid. A cell moves when its mean grey level differs from
 * the background's by more than `threshold` levels AND at least one of its four neighbours does too: a lone cell is
 * noise (a flicker, compression), anything worth detecting covers several cells. Cells of the ignore mask never
 * move. The background follows the scene: each cell drifts towards the current value by `learnRate` per frame when
 * still, and by a tenth of that when moving, so a parked car or a changed light blends in within seconds to a
 * minute, while a passer-by leaves no trace. Pure state; no I/O.
 */
import type { CellMask } from './cell-mask';
import type { GridGeometry } from './grey-grid';

export interface MotionOptions {
  /** Grey levels (0–255) a cell's mean must change by to move. Averaged cells make sensor noise ≪ 1 level. */
  threshold: number;
  /** Per-frame background adaptation of a still cell (0–1). */
  learnRate: number;
}

export const DEFAULT_MOTION: MotionOptions = { threshold: 10, learnRate: 0.05 };

export interface MotionMap {
  /** 1 where the cell moves, row-major over the grid. Overwritten by the next `update()`. */
  moving: Uint8Array;
  /** Moving cells. */
  count: number;
}

export class MotionDetector {
  private readonly background: Float32Array;
  private readonly raw: Uint8Array;
  private readonly map: MotionMap;
  private primed = false;

  constructor(
    private readonly g: GridGeometry,
    private readonly ignore: CellMask | null = null,
    private readonly o: MotionOptions = DEFAULT_MOTION,
  ) {
    this.background = new Float32Array(g.cols * g.rows);
    this.raw = new Uint8Array(g.cols * g.rows);
    this.map = { moving: new Uint8Array(g.cols * g.rows), count: 0 };
  }

  /** Compares one grid of grey values with the background, then updates the background. */
  update(values: Float32Array): MotionMap {
    const { background: bg, raw } = this;
    if (!this.primed) {
      bg.set(values);
      this.primed = true;
    }
    for (let i = 0; i < values.length; i++) {
      raw[i] = Math.abs(values[i]! - bg[i]!) > this.o.threshold && !this.ignore?.[i] ? 1 : 0;
    }
    this.keepConnected();
    const rate = this.o.learnRate;
    for (let i = 0; i < values.length; i++) {
      bg[i]! += (values[i]! - bg[i]!) * (raw[i] ? rate / 10 : rate);
    }
    return this.map;
  }

  /** Forgets the background (a restarted stream shows another picture). */
  reset(): void {
    this.primed = false;
  }

  private keepConnected(): void {
    const { cols, rows } = this.g;
    const { raw } = this;
    const out = this.map.moving;
    let count = 0;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        const on =
          raw[i] === 1 &&
          ((c > 0 && raw[i - 1] === 1) ||
            (c < cols - 1 && raw[i + 1] === 1) ||
            (r > 0 && raw[i - cols] === 1) ||
            (r < rows - 1 && raw[i + cols] === 1));
        out[i] = on ? 1 : 0;
        if (on) count++;
      }
    }
    this.map.count = count;
  }
}
