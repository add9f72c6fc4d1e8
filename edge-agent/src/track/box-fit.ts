/**
 * The box a matched track reports: a local linear fit in time through the track's recent detection boxes, read at
 * the newest one — the causal (online) half of the offline smoother in src/eval/smooth-tracks.ts.
 *
 * Why: a detector's box jitters around a person from frame to frame (on MOT15's public detections many boxes
 * overlap their person by IoU 0.3–0.5 only, each a miss AND a false alarm), while people move smoothly. A weighted
 * straight line through the last second of boxes averages the jitter out; being a LINE, not a mean, it follows
 * steady motion without lag. It looks only at the past, so a live camera can use it. The Kalman filter's box is no
 * substitute: its size (aspect ratio and height, tuned for association) lags the person and scored worse
 * (docs/BENCHMARKS.md). The centre and the size have their own kernel width: a person's size changes slowly (only
 * with distance), so it takes more averaging than the position does.
 *
 * Weights are a one-sided Gaussian of the age in seconds (so 10 and 30 fps behave alike); observations older than
 * 3σ do not count. The newest CAPACITY observations are kept in a ring buffer allocated once per track.
 */
import type { Box } from '../vision/types';

/** 64 observations: 3σ = 1.5 s at σ = 0.5 s is 45 frames at 30 fps. At higher rates the oldest (weight < 0.1)
 * fall out, which hardly changes the fit. */
const CAPACITY = 64;
const FIELDS = 5; // t (ms), cx, cy, w, h

export class RecentBoxes {
  private readonly buf = new Float64Array(CAPACITY * FIELDS);
  private start = 0;
  private count = 0;

  push(tMs: number, box: Box): void {
    const slot = (this.start + this.count) % CAPACITY;
    if (this.count < CAPACITY) this.count++;
    else this.start = (this.start + 1) % CAPACITY;
    const o = slot * FIELDS;
    this.buf[o] = tMs;
    this.buf[o + 1] = (box.x1 + box.x2) / 2;
    this.buf[o + 2] = (box.y1 + box.y2) / 2;
    this.buf[o + 3] = box.x2 - box.x1;
    this.buf[o + 4] = box.y2 - box.y1;
  }

  /**
   * The fitted box at the newest observation's time: centre by a kernel of σ `centreS`, width and height by one of
   * σ `sizeS` (seconds; 0: the newest observation's own value). Empty: a zero box.
   */
  fit(centreS: number, sizeS: number): Box {
    if (this.count === 0) return { x1: 0, y1: 0, x2: 0, y2: 0 };
    const newest = ((this.start + this.count - 1) % CAPACITY) * FIELDS;
    const t0 = this.buf[newest]!;
    const c = CENTRE.reset();
    const s = SIZE.reset();
    const maxAgeMs = 3000 * Math.max(centreS, sizeS);
    for (let i = this.count - 1; i >= 0; i--) {
      const o = ((this.start + i) % CAPACITY) * FIELDS;
      const age = t0 - this.buf[o]!; // ms, ≥ 0
      if (age > maxAgeMs) break; // older ones are older still
      const t = -age / 1000;
      if (age <= 3000 * centreS) c.add(t, gauss(t, centreS), this.buf[o + 1]!, this.buf[o + 2]!);
      if (age <= 3000 * sizeS) s.add(t, gauss(t, sizeS), this.buf[o + 3]!, this.buf[o + 4]!);
    }
    const cx = centreS > 0 ? c.at0(0) : this.buf[newest + 1]!;
    const cy = centreS > 0 ? c.at0(1) : this.buf[newest + 2]!;
    const w = sizeS > 0 ? s.at0(0) : this.buf[newest + 3]!;
    const h = sizeS > 0 ? s.at0(1) : this.buf[newest + 4]!;
    return { x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 };
  }
}

function gauss(t: number, sigma: number): number {
  return sigma > 0 ? Math.exp(-(t * t) / (2 * sigma * sigma)) : 1;
}

/** Weighted least squares y = a + b·t for two series at once, read at t = 0. */
class LineFit {
  private sw = 0;
  private st = 0;
  private stt = 0;
  private sy0 = 0;
  private sy1 = 0;
  private sty0 = 0;
  private sty1 = 0;

  reset(): this {
    this.sw = this.st = this.stt = this.sy0 = this.sy1 = this.sty0 = this.sty1 = 0;
    return this;
  }

  add(t: number, w: number, y0: number, y1: number): void {
    this.sw += w;
    this.st += w * t;
    this.stt += w * t * t;
    this.sy0 += w * y0;
    this.sy1 += w * y1;
    this.sty0 += w * t * y0;
    this.sty1 += w * t * y1;
  }

  /** a = (Σw·t²·Σw·y − Σw·t·Σw·t·y) / (Σw·Σw·t² − (Σw·t)²); with one point (no slope) the weighted mean. */
  at0(series: 0 | 1): number {
    const sy = series === 0 ? this.sy0 : this.sy1;
    const sty = series === 0 ? this.sty0 : this.sty1;
    const det = this.sw * this.stt - this.st * this.st;
    return det > 1e-9 * this.sw * this.sw ? (this.stt * sy - this.st * sty) / det : sy / this.sw;
  }
}

// Scratch space, module-level because JavaScript runs one fit at a time (no allocation per frame).
const CENTRE = new LineFit();
const SIZE = new LineFit();
