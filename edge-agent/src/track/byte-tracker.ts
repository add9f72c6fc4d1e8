/**
 * ByteTrack (Zhang et al., 2022): a Kalman filter predicts every track, then detections are associated in two
 * stages so that objects stay tracked through occlusion, when the detector's score drops:
 *   1. confirmed and lost tracks ↔ high-score detections (IoU fused with the score, optimal assignment);
 *   2. the confirmed tracks left ↔ low-score detections (plain IoU): a low score alone never starts a track,
 *      but it keeps an existing one alive; confirmed tracks still unmatched become lost;
 *   2b. lost tracks still unmatched ↔ the high-score detections left, both boxes grown by how long the track has
 *      been unseen (`lostBufferPerS`): an object that reappears from behind an occluder a little off its predicted
 *      path takes its old id back instead of starting a new track (OC-SORT's observation-centric recovery, in IoU);
 *   3. tentative tracks ↔ the high-score detections left; a tentative track that misses is removed;
 *   4. high-score detections still left (≥ newTrackThreshold) start tentative tracks;
 *   5. tracks lost for longer than the buffer (seconds, so 5 and 30 fps behave alike) are removed.
 * Confirmed tracks matched in this frame are reported (a fit through their recent detection boxes, box-fit.ts),
 * and lost ones for `coastS` seconds (their predicted box, `matched: false`); ids come from a counter per instance.
 * Differences from the reference: time in seconds (Kalman and buffer), class-consistent matching, small boxes
 * scored higher before the thresholds (`smallBoxPx`: detectors score far objects low), the recovery stage 2b, and no
 * per-frame allocation beyond the small output objects (and a copy of each small detection).
 */
import type { Detection, TrackedObject, TrackerOutput } from '../vision/types';
import { Assignment, CostBuffer, fillIouCost } from './matching';
import { Track } from './track';

/** Every parameter, named by its trade-off. */
export interface TrackerOptions {
  /** Detections at or above this score take part in the first association and may start tracks. Higher: fewer
   * false tracks from weak detections, but objects whose score dips are carried only by the second stage. */
  highThreshold: number;
  /** Detections below this are ignored entirely; between it and highThreshold they only keep tracks alive.
   * Lower: tracks survive deeper occlusion, at the risk of following background clutter. */
  lowThreshold: number;
  /** A new track needs a detection at least this confident. Higher: fewer ghost tracks, later starts. */
  newTrackThreshold: number;
  /** Largest cost (1 − IoU·score) accepted in the first association. Higher: fast or far-apart motion still
   * matches, but neighbouring objects swap ids more easily. */
  matchThreshold: number;
  /** Largest cost (1 − IoU) accepted when matching low-score detections. Lower than matchThreshold because weak
   * detections are less trustworthy. */
  lowMatchThreshold: number;
  /** Largest cost accepted between a tentative track and a detection. */
  tentativeMatchThreshold: number;
  /** Matched frames a tentative track needs before it is confirmed (reported). Higher: fewer short false tracks,
   * but every object appears later (at 5 fps, 2 hits = 0.4 s). */
  confirmHits: number;
  /** Seconds a lost track is kept for re-identification. Longer: an id survives longer occlusions, but a lost
   * track can steal the detection of a new object that appears where it was predicted to be. */
  lostBufferS: number;
  /** Multiply IoU by the detection score in the first association (ByteTrack's fuse_score). */
  fuseScore: boolean;
  /** Seconds a lost track is still reported (its predicted box, `matched: false`) so a missed detection does not
   * make the object vanish. Longer: fewer gaps, but a track that really left lingers as a false box. */
  coastS: number;
  /** A matched track reports a local linear fit in time through its recent detection boxes (box-fit.ts), not the
   * newest detection's box alone: the detector's box jitters around a smoothly moving person. This is the σ
   * (seconds) of the fit's one-sided Gaussian kernel for the box's centre; 0: the detection's centre. Longer: less
   * jitter, but a person who turns or stops is followed later. */
  reportCentreS: number;
  /** The same for the box's width and height, which change slowly (with distance only), so they take a wider
   * kernel than the centre. 0: the detection's size. */
  reportSizeS: number;
  /** Detectors score small objects lower (a far car, a distant person), so a small object's detections fall under
   * the thresholds and it is never tracked, or only intermittently. A detection shorter than this (pixels) is
   * treated as scoring up to `smallScoreBoost` more, in proportion to how much shorter it is (0 px: the full boost):
   * it can then start and keep a track. 0: off. Larger: small objects are tracked, but small false detections too. */
  smallBoxPx: number;
  smallScoreBoost: number;
  /** A small box's jitter and motion are large against its size, so its IoU with its own track's box is often 0
   * from one frame to the next. For detections shorter than `smallBoxPx`, both boxes are grown on each side by this
   * fraction of their size, times how much shorter (C-BIoU's buffered IoU, only where boxes are small). 0: off.
   * Larger: small fast objects keep their id, but neighbouring small objects may swap. */
  smallMatchBuffer: number;
  /** A lost track's box and each detection are grown, for the IoU, by this fraction of their size per second the
   * track has been unseen (each side, up to LOST_BUFFER_MAX): where an occluded object is becomes more uncertain the
   * longer it is hidden, and an object that reappears a little off its predicted path then takes its old id back
   * (OC-SORT's recovery, appearance-free) instead of starting a new one. 0: off. Larger: longer occlusions are
   * bridged, but a lost track may take the detection of a different object that appears near it. */
  lostBufferPerS: number;
}

/** The most a lost track's boxes are grown (fraction of their size, each side). */
export const LOST_BUFFER_MAX = 1;

export const DEFAULT_TRACKER_OPTIONS: Readonly<TrackerOptions> = Object.freeze({
  highThreshold: 0.6,
  lowThreshold: 0.1,
  newTrackThreshold: 0.7,
  matchThreshold: 0.7,
  lowMatchThreshold: 0.5,
  tentativeMatchThreshold: 0.7,
  confirmHits: 2,
  lostBufferS: 2,
  fuseScore: true,
  coastS: 0,
  // Online MOTA on MOT15 (docs/BENCHMARKS.md): KITTI-17 0.605 → 0.657, TUD-Stadtmitte 0.725 → 0.729 against the
  // previous report (a 0.25 blend of the detection's box toward the Kalman box).
  reportCentreS: 0.3,
  reportSizeS: 0.5,
  // Count error on the simulator's far-traffic profile 55 % → 36 %; MOT15 MOTA unchanged (docs/BENCHMARKS.md).
  smallBoxPx: 60,
  smallScoreBoost: 0.3,
  // far-traffic 31.6 % → 23.6 %; KITTI-17 online MOTA 0.657 → 0.663 (docs/BENCHMARKS.md).
  smallMatchBuffer: 1.5,
  // TUD-Stadtmitte grid-5 count error 31.8 → 27.3 %, simulator crowd 8.6 → 6.3 %; online MOTA KITTI-17 0.663 → 0.665,
  // TUD-Stadtmitte 0.729 → 0.730 (docs/BENCHMARKS.md). 0.5: MOTA TUD 0.724; 1: KITTI-17 0.643.
  lostBufferPerS: 0.3,
});

export class ByteTracker {
  readonly options: Readonly<TrackerOptions>;
  private nextId = 1;
  private tracks: Track[] = [];
  private lastTMs: number | null = null;
  private readonly assignment = new Assignment();
  private readonly cost = new CostBuffer();
  // Reused per frame (cleared, not reallocated).
  private readonly high: Detection[] = [];
  private readonly low: Detection[] = [];
  private readonly left: Detection[] = [];
  private readonly pool: Track[] = [];
  private readonly rest: Track[] = [];

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = Object.freeze({ ...DEFAULT_TRACKER_OPTIONS, ...options });
    const o = this.options;
    if (!(o.lowThreshold <= o.highThreshold))
      throw new Error('tracker: lowThreshold must be ≤ highThreshold');
    if (!(o.lostBufferS >= 0)) throw new Error('tracker: lostBufferS must be ≥ 0');
    if (!(o.confirmHits >= 1)) throw new Error('tracker: confirmHits must be ≥ 1');
    if (!(o.reportCentreS >= 0)) throw new Error('tracker: reportCentreS must be ≥ 0');
    if (!(o.reportSizeS >= 0)) throw new Error('tracker: reportSizeS must be ≥ 0');
  }

  /** Forgets every track (a camera restarted); ids keep increasing. */
  reset(): void {
    this.tracks = [];
    this.lastTMs = null;
  }

  update(detections: Detection[], tMs: number): TrackerOutput {
    const first = this.lastTMs === null;
    const dt = first ? 0 : Math.max(0, (tMs - this.lastTMs!) / 1000);
    this.lastTMs = tMs;
    this.predictAll(dt);
    this.splitDetections(detections);
    this.associateHigh(tMs);
    this.associateLow(tMs);
    this.recoverLost(tMs);
    this.associateTentative(tMs);
    this.startTracks(tMs, first);
    return this.collect(tMs);
  }

  /** Step 0: every live track moves by its velocity. */
  private predictAll(dt: number): void {
    for (const t of this.tracks) {
      t.matched = false;
      t.predict(dt);
    }
  }

  private splitDetections(detections: Detection[]): void {
    const { highThreshold, lowThreshold } = this.options;
    this.high.length = 0;
    this.low.length = 0;
    for (const raw of detections) {
      if (!validBox(raw)) continue;
      const d = this.sizeAdjusted(raw);
      if (!(d.score >= lowThreshold)) continue;
      (d.score >= highThreshold ? this.high : this.low).push(d);
    }
  }

  /** The detection with its score raised when its box is small (`smallBoxPx`); the same object otherwise. */
  private sizeAdjusted(d: Detection): Detection {
    const { smallBoxPx, smallScoreBoost } = this.options;
    const h = d.box.y2 - d.box.y1;
    if (!(smallBoxPx > 0 && smallScoreBoost > 0) || h >= smallBoxPx) return d;
    return { ...d, score: Math.min(1, d.score + smallScoreBoost * (1 - h / smallBoxPx)) };
  }

  /** Step 1: confirmed and lost tracks ↔ high-score detections. Unmatched detections go to `left`. */
  private associateHigh(tMs: number): void {
    this.pool.length = 0;
    for (const t of this.tracks) if (t.state === 'confirmed' || t.state === 'lost') this.pool.push(t);
    this.match(this.pool, this.high, this.options.matchThreshold, this.options.fuseScore, tMs, this.left);
    for (const t of this.pool) if (t.matched) t.state = 'confirmed';
  }

  /** Step 2: confirmed tracks still unmatched ↔ low-score detections; those still unmatched become lost. */
  private associateLow(tMs: number): void {
    this.rest.length = 0;
    for (const t of this.pool) if (!t.matched && t.state === 'confirmed') this.rest.push(t);
    this.match(this.rest, this.low, this.options.lowMatchThreshold, false, tMs, null);
    for (const t of this.rest) if (!t.matched) t.state = 'lost';
  }

  /**
   * Step 2b: lost tracks still unmatched ↔ the high-score detections no track took, with both boxes grown by how
   * long the track has been unseen (`lostBufferPerS`). After the other stages, so a recovered track never takes a
   * detection that a tracked object matches plainly; before tentative tracks, so it wins over a track just born
   * where it reappeared.
   */
  private recoverLost(tMs: number): void {
    const grow = this.options.lostBufferPerS;
    if (!(grow > 0) || this.left.length === 0) return;
    this.rest.length = 0;
    for (const t of this.tracks) {
      if (t.state !== 'lost' || t.matched) continue;
      t.lostBuffer = Math.min(grow * ((tMs - t.lastSeenMs) / 1000), LOST_BUFFER_MAX);
      this.rest.push(t);
    }
    if (this.rest.length === 0) return;
    this.high.length = 0;
    for (const d of this.left) this.high.push(d);
    this.match(this.rest, this.high, this.options.matchThreshold, this.options.fuseScore, tMs, this.left);
    for (const t of this.rest) {
      t.lostBuffer = 0;
      if (t.matched) t.state = 'confirmed';
    }
  }

  /** Step 3: tentative tracks ↔ the high-score detections left; a tentative track that misses is removed. */
  private associateTentative(tMs: number): void {
    this.pool.length = 0;
    for (const t of this.tracks) if (t.state === 'tentative') this.pool.push(t);
    this.high.length = 0;
    for (const d of this.left) this.high.push(d);
    const { tentativeMatchThreshold, fuseScore, confirmHits } = this.options;
    this.match(this.pool, this.high, tentativeMatchThreshold, fuseScore, tMs, this.left);
    for (const t of this.pool) {
      if (!t.matched) t.state = 'removed';
      else if (t.hits >= confirmHits) t.state = 'confirmed';
    }
  }

  /** Step 4: confident detections that matched nothing start tracks (confirmed at once on the first frame). */
  private startTracks(tMs: number, first: boolean): void {
    for (const d of this.left) {
      if (d.score < this.options.newTrackThreshold) continue;
      const t = new Track(this.nextId++, d.className, d.classId, d, tMs);
      if (first || this.options.confirmHits <= 1) t.state = 'confirmed';
      this.tracks.push(t);
    }
  }

  /** Step 5: drop expired tracks; report confirmed tracks seen in this frame and the removed ids. */
  private collect(tMs: number): TrackerOutput {
    const bufferMs = this.options.lostBufferS * 1000;
    const coastMs = this.options.coastS * 1000;
    const tracks: TrackedObject[] = [];
    const removed: number[] = [];
    let w = 0;
    for (const t of this.tracks) {
      // 1 µs of slack: frame times like i·1000/30 are not exact, and a buffer of 1 s must mean 30 frames at 30 fps.
      if (t.state === 'lost' && tMs - t.lastSeenMs > bufferMs + 1e-3) t.state = 'removed';
      if (t.state === 'removed') {
        if (t.reported) removed.push(t.id);
        continue;
      }
      this.tracks[w++] = t;
      const coasting = t.state === 'lost' && tMs - t.lastSeenMs <= coastMs;
      if ((t.state === 'confirmed' && t.matched) || coasting) {
        const reported: TrackedObject = {
          id: t.id,
          box: t.matched ? t.recent.fit(this.options.reportCentreS, this.options.reportSizeS) : { ...t.box },
          score: t.score,
          className: t.className,
          matched: t.matched,
        };
        if (!t.reported) reported.firstBox = { ...t.firstBox };
        t.reported = true;
        tracks.push(reported);
      }
    }
    this.tracks.length = w;
    return { tracks, removed };
  }

  /**
   * Optimal assignment of `tracks` to `dets` under `limit`; matched tracks are corrected. Unmatched detections are
   * written to `unmatched` when given.
   */
  private match(
    tracks: Track[],
    dets: Detection[],
    limit: number,
    fuse: boolean,
    tMs: number,
    unmatched: Detection[] | null,
  ): void {
    const rows = tracks.length;
    const cols = dets.length;
    const cost = this.cost.reserve(rows, cols);
    fillIouCost(cost, tracks, dets, fuse, {
      boxPx: this.options.smallBoxPx,
      buffer: this.options.smallMatchBuffer,
    });
    this.assignment.solve(cost, rows, cols, limit);
    for (let r = 0; r < rows; r++) {
      const c = this.assignment.rowToCol[r]!;
      if (c >= 0) tracks[r]!.correct(dets[c]!, tMs);
    }
    if (unmatched) {
      unmatched.length = 0;
      for (let c = 0; c < cols; c++) if (this.assignment.colToRow[c]! < 0) unmatched.push(dets[c]!);
    }
  }
}

function validBox(d: Detection): boolean {
  const { x1, y1, x2, y2 } = d.box;
  return Number.isFinite(x1 + y1 + x2 + y2) && x2 > x1 && y2 > y1;
}
