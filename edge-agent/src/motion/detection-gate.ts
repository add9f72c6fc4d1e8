/**
 * Decides, frame by frame, whether a camera's frame goes to the detector (pure; the pipeline feeds it frames and
 * tracks). In order:
 * 1. **Detection rate**: at most `detectFps` detections per second (half a frame period of slack, so 5 of a 10 fps
 *    camera is exactly every second frame). Without it every frame may be detected.
 * 2. Gating off: detect.
 * 3. **Wake**: any moving cell in a rule's area (a zone, a band around a line) or near a live track, or a moving
 *    blob of `minCells` cells anywhere (something new entering the picture).
 * 4. **Hang-over**: for `hangoverMs` after the last wake, keep detecting, so tracks that stop moving or leave are
 *    followed to their end.
 * 5. **Keep-alive**: otherwise once every 1/`keepAliveFps` s, so standing people stay tracked (tracks keep their
 *    state in between: the tracker measures gaps in seconds) and zone occupancy stays fresh.
 * Anything else is skipped as quiet.
 */
import type { CellMask } from './cell-mask';
import type { MotionMap } from './motion-detector';

export type GateDecision = 'detect' | 'rate' | 'quiet';

export interface GateOptions {
  /** The camera's frame rate (for the rate limit's slack). */
  fps: number;
  detectFps?: number;
  gating: boolean;
  keepAliveFps: number;
  /** Moving cells anywhere that wake detection outside rule areas and tracks. */
  minCells: number;
  hangoverMs: number;
}

export const GATE_DEFAULTS = { keepAliveFps: 1, minCells: 4, hangoverMs: 1500 } as const;

export class DetectionGate {
  private lastDetect = -Infinity;
  private lastWake = -Infinity;

  constructor(private readonly o: GateOptions) {}

  /**
   * `motion`: this frame's motion (null when gating is off); `wake`: cells where any motion wakes detection (rule
   * areas and tracks). Call once per frame in time order; a `detect` answer counts as a detection.
   */
  decide(ts: number, motion: MotionMap | null, wake: CellMask | null): GateDecision {
    const slack = 500 / this.o.fps;
    if (this.o.detectFps && ts - this.lastDetect < 1000 / this.o.detectFps - slack) return 'rate';
    if (!this.o.gating || !motion) return this.detect(ts);
    if (this.wakes(motion, wake)) {
      this.lastWake = ts;
      return this.detect(ts);
    }
    if (ts - this.lastWake < this.o.hangoverMs) return this.detect(ts);
    if (ts - this.lastDetect >= 1000 / this.o.keepAliveFps - slack) return this.detect(ts);
    return 'quiet';
  }

  /** Forgets the history (a restarted camera). */
  reset(): void {
    this.lastDetect = this.lastWake = -Infinity;
  }

  private detect(ts: number): GateDecision {
    this.lastDetect = ts;
    return 'detect';
  }

  private wakes(motion: MotionMap, wake: CellMask | null): boolean {
    if (motion.count === 0) return false;
    if (motion.count >= this.o.minCells) return true;
    if (!wake) return false;
    const m = motion.moving;
    for (let i = 0; i < m.length; i++) if (m[i] && wake[i]) return true;
    return false;
  }
}
