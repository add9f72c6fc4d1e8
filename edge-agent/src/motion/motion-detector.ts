/**
 * Frame differencing with a background model, on a GreyGrid. A cell moves when its mean grey level differs by more
 * than `threshold` levels both from the background AND from the same cell `lagFrames` frames ago, and at least one
 * of its four neighbours does too:
 * - against the background, so noise and slow light changes (which the background follows) never count;
 * - against a recent frame, so something that stopped (a parked van, a person waiting, a scene cut) stops moving
 *   after `lagFrames` frames instead of until the background has absorbed it;
 * - with a moving neighbour, because a lone cell is noise (a flicker, compression) and anything worth detecting
 *   covers several cells.
 * Cells of the ignore mask never move. The background drifts towards the current value by `learnRate` per frame on
 * still cells and a tenth of that on moving ones, so a passer-by leaves no trace. Pure state; no I/O.
 */
import type { CellMask } from './cell-mask';
import type { GridGeometry } from './grey-grid';

export interface MotionOptions {
  /** Grey levels (0–255) a cell's mean must change by to move. Averaged cells make sensor noise ≪ 1 level. */
  threshold: number;
  /** Per-frame background adaptation of a still cell (0–1). */
  learnRate: number;
  /** The recent frame compared with: 3 frames is 0.3 s at 10 fps, long enough for a slow walker to change cells. */
  lagFrames: number;
}

export const DEFAULT_MOTION: MotionOptions = { threshold: 10, learnRate: 0.05, lagFrames: 3 };

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
  /** The last `lagFrames` grids, oldest at `next`. */
  private readonly recent: Float32Array[];
  private next = 0;
  private primed = false;

  constructor(
    private readonly g: GridGeometry,
    private readonly ignore: CellMask | null = null,
    private readonly o: MotionOptions = DEFAULT_MOTION,
  ) {
    this.background = new Float32Array(g.cols * g.rows);
    this.raw = new Uint8Array(g.cols * g.rows);
    this.map = { moving: new Uint8Array(g.cols * g.rows), count: 0 };
    this.recent = Array.from({ length: Math.max(1, o.lagFrames) }, () => new Float32Array(g.cols * g.rows));
  }

  /** Compares one grid of grey values with the background, then updates the background. */
  update(values: Float32Array): MotionMap {
    const { background: bg, raw } = this;
    if (!this.primed) {
      bg.set(values);
      for (const r of this.recent) r.set(values);
      this.primed = true;
    }
    const lagged = this.recent[this.next]!;
    const t = this.o.threshold;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      raw[i] = Math.abs(v - bg[i]!) > t && Math.abs(v - lagged[i]!) > t && !this.ignore?.[i] ? 1 : 0;
    }
    lagged.set(values);
    this.next = (this.next + 1) % this.recent.length;
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
