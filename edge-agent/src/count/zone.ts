/**
 * A zone: a simple polygon; one rule, pure (`update(tracks, t) → events`), state per track id.
 *
 * - Anchor: the box's `bottom_center` (feet) by default, or `center` / `top_center`; inside means the anchor is
 *   inside the polygon (even-odd rule).
 * - Hysteresis (inertia): a track's inside/outside state flips only after it has been observed on the other side
 *   for `sustainMs` in consecutive frames. A frame where the track is not reported (a missed detection, a lost track) changes nothing, so
 *   one missed frame never changes occupancy; a track that vanishes leaves the zone when the tracker removes it.
 * - Events: `zone_enter` when a visit starts, `zone_exit` with `dwellMs` (first observation inside → first
 *   observation outside, or → last observation when the track is removed), and `dwell_exceeded` once per visit when
 *   the visit passes `dwellThresholdS`. Events are stamped with the frame's time.
 * - Id switch: not handled here: a switch inside a zone ends one visit and starts another (occupancy stays right).
 * - A removed track's state is dropped (after its exit event if it was inside).
 * - `endAll` (camera restart or stop: the tracker's ids are about to be reset) ends every open visit with a
 *   `zone_exit` carrying `endReason`, so occupancy returns to zero (then to what is seen) and no dwell event fires
 *   for an object the camera no longer tracks.
 */
import type { Anchor, VisitEndReason } from '@tally/proto';
import type { CountEventDraft, TrackedObject, Vec2 } from '../vision/types';
import { anchorPoint, pointInPolygon } from './geometry';

export interface ZoneOptions {
  cameraId: string;
  ruleId: string;
  /** Polygon in pixels. */
  polygon: Vec2[];
  anchor: Anchor;
  classes: ReadonlySet<string> | null;
  sustainMs: number;
  /** null: no loitering events. */
  dwellThresholdS: number | null;
}

interface ZoneTrackState {
  className: string;
  score: number;
  inside: boolean;
  /** The opposite state observed since `candidateSinceMs` (null: none). */
  candidate: boolean | null;
  candidateSinceMs: number;
  enterMs: number;
  lastSeenMs: number;
  lastFrame: number;
  exceeded: boolean;
}

export class Zone {
  readonly counts = { enter: 0, exit: 0 };
  private readonly states = new Map<number, ZoneTrackState>();
  /** Frames seen by this rule. */
  private frame = 0;

  constructor(readonly options: ZoneOptions) {}

  update(tracks: readonly TrackedObject[], tMs: number, events: CountEventDraft[]): void {
    const { classes, anchor, polygon } = this.options;
    this.frame++;
    for (const t of tracks) {
      if (classes && !classes.has(t.className)) continue;
      const inside = pointInPolygon(anchorPoint(t.box, anchor), polygon);
      let s = this.states.get(t.id);
      if (!s) {
        s = {
          className: t.className,
          score: t.score,
          inside: false,
          candidate: null,
          candidateSinceMs: tMs,
          enterMs: 0,
          lastSeenMs: tMs,
          lastFrame: this.frame,
          exceeded: false,
        };
        this.states.set(t.id, s);
      }
      s.score = t.score;
      s.lastSeenMs = tMs;
      const consecutive = s.lastFrame === this.frame - 1;
      s.lastFrame = this.frame;
      this.step(s, t.id, inside, tMs, consecutive, events);
    }
    this.checkDwell(tMs, events);
  }

  /** Ends the visits of removed tracks and drops their state. */
  remove(ids: readonly number[], tMs: number, events: CountEventDraft[]): void {
    for (const id of ids) {
      const s = this.states.get(id);
      if (!s) continue;
      if (s.inside) this.emitExit(s, id, tMs, Math.max(0, s.lastSeenMs - s.enterMs), events);
      this.states.delete(id);
    }
  }

  /** Ends every open visit (exit events with `reason`, dwell up to the last observation) and forgets all tracks. */
  endAll(tMs: number, reason: VisitEndReason, events: CountEventDraft[]): void {
    for (const [id, s] of this.states) {
      if (!s.inside) continue;
      this.emitExit(s, id, tMs, Math.max(0, s.lastSeenMs - s.enterMs), events);
      events.at(-1)!.endReason = reason;
    }
    this.states.clear();
  }

  /** Tracks inside now, per class. */
  occupancy(): Record<string, number> {
    const counts: Record<string, number> = {};
    if (this.options.classes) for (const c of this.options.classes) counts[c] = 0;
    for (const s of this.states.values()) if (s.inside) counts[s.className] = (counts[s.className] ?? 0) + 1;
    return counts;
  }

  get size(): number {
    return this.states.size;
  }

  private step(
    s: ZoneTrackState,
    id: number,
    inside: boolean,
    tMs: number,
    consecutive: boolean,
    events: CountEventDraft[],
  ): void {
    if (inside === s.inside) {
      s.candidate = null;
      return;
    }
    // After an unseen frame the clock restarts: the track may have been back on its old side then.
    if (s.candidate !== inside || !consecutive) {
      s.candidate = inside;
      s.candidateSinceMs = tMs;
    }
    if (tMs - s.candidateSinceMs < this.options.sustainMs) return;
    const since = s.candidateSinceMs;
    s.candidate = null;
    if (inside) {
      s.inside = true;
      s.enterMs = since;
      s.exceeded = false;
      this.counts.enter++;
      events.push(this.event(s, id, 'zone_enter', tMs));
    } else {
      this.emitExit(s, id, tMs, Math.max(0, since - s.enterMs), events);
    }
  }

  private emitExit(
    s: ZoneTrackState,
    id: number,
    tMs: number,
    dwellMs: number,
    events: CountEventDraft[],
  ): void {
    s.inside = false;
    this.counts.exit++;
    events.push({ ...this.event(s, id, 'zone_exit', tMs), dwellMs: Math.round(dwellMs) });
  }

  /** Loitering: once per visit, when the visit passes the threshold (reported tracks or not). */
  private checkDwell(tMs: number, events: CountEventDraft[]): void {
    const threshold = this.options.dwellThresholdS;
    if (threshold === null) return;
    for (const [id, s] of this.states) {
      if (!s.inside || s.exceeded || tMs - s.enterMs < threshold * 1000) continue;
      s.exceeded = true;
      events.push({ ...this.event(s, id, 'dwell_exceeded', tMs), dwellMs: Math.round(tMs - s.enterMs) });
    }
  }

  private event(s: ZoneTrackState, id: number, kind: CountEventDraft['kind'], tMs: number): CountEventDraft {
    return {
      cameraId: this.options.cameraId,
      ruleId: this.options.ruleId,
      kind,
      objectClass: s.className,
      trackId: id,
      ts: tMs,
      confidence: Math.min(1, Math.max(0, s.score)),
    };
  }
}
