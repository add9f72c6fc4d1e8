/**
 * One tracked object: its Kalman state and its place in the lifecycle
 *   tentative → confirmed → lost → removed   (a tentative track that misses a frame is removed at once).
 * A tentative track becomes confirmed after `confirmHits` matched frames (or at once on the tracker's first frame,
 * as in ByteTrack); a confirmed track that misses becomes lost, and is removed once lost longer than the buffer.
 */
import type { Box, Detection } from '../vision/types';
import { RecentBoxes } from './box-fit';
import * as kalman from './kalman';

export type TrackState = 'tentative' | 'confirmed' | 'lost' | 'removed';

export class Track {
  readonly mean = new Float64Array(8);
  readonly cov = new Float64Array(64);
  state: TrackState = 'tentative';
  /** Matched frames so far. */
  hits = 1;
  score: number;
  /** The time of the last matched detection (ms). */
  lastSeenMs: number;
  /** Set when this update matched a detection. */
  matched = true;
  /** Predicted (or corrected) box, refreshed by `syncBox`. */
  readonly box: Box = { x1: 0, y1: 0, x2: 0, y2: 0 };
  /** While lost: how far (fraction of the box's size, each side) both boxes are grown before the IoU, since where
   * an unseen object is grows more uncertain with time (matching.ts). 0 while tracked. */
  lostBuffer = 0;
  /** Whether the tracker has reported it (so its removal must be reported). */
  reported = false;
  /** The box of the detection that started the track. */
  readonly firstBox: Box;
  /** The boxes of its recent matched detections, for the box it reports (box-fit.ts). */
  readonly recent = new RecentBoxes();

  constructor(
    readonly id: number,
    readonly className: string,
    readonly classId: number,
    det: Detection,
    tMs: number,
  ) {
    const { cx, cy, a, h } = measure(det.box);
    kalman.initiate(this.mean, this.cov, cx, cy, a, h);
    this.score = det.score;
    this.lastSeenMs = tMs;
    this.recent.push(tMs, det.box);
    this.firstBox = det.box;
    this.syncBox();
  }

  predict(dt: number): void {
    // A track that is not being observed keeps its size: its height velocity is zeroed (as ByteTrack does).
    if (this.state !== 'confirmed' && this.state !== 'tentative') this.mean[7] = 0;
    kalman.predict(this.mean, this.cov, dt);
    this.syncBox();
  }

  correct(det: Detection, tMs: number): void {
    const { cx, cy, a, h } = measure(det.box);
    kalman.update(this.mean, this.cov, cx, cy, a, h);
    this.score = det.score;
    this.lastSeenMs = tMs;
    this.recent.push(tMs, det.box);
    this.hits++;
    this.matched = true;
    this.syncBox();
  }

  syncBox(): void {
    const h = this.mean[3]!;
    const w = this.mean[2]! * h;
    this.box.x1 = this.mean[0]! - w / 2;
    this.box.x2 = this.mean[0]! + w / 2;
    this.box.y1 = this.mean[1]! - h / 2;
    this.box.y2 = this.mean[1]! + h / 2;
  }
}

function measure(b: Box): { cx: number; cy: number; a: number; h: number } {
  const h = Math.max(b.y2 - b.y1, 1e-3);
  return { cx: (b.x1 + b.x2) / 2, cy: (b.y1 + b.y2) / 2, a: (b.x2 - b.x1) / h, h };
}
