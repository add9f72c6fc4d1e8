/**
 * A counting line: one rule, pure (`update(tracks, t) → events`), state per track id.
 *
 * - Anchor: the box's `bottom_center` (feet) by default, or `center` / `top_center` (the rule's `anchor`).
 * - In/out: the `in` side is where cross(p2 − p1, p − p1) > 0 in image coordinates (x right, y down): walking from
 *   p1 to p2 on screen, `in` is on your right. A crossing towards the `in` side counts `in`, the other way `out`.
 *
 *        p1 ────────────► p2
 *              out ↑  ↓ in
 *
 * - Anchors are clamped to the frame: a box fitted through moving detections can end a few pixels past the frame's
 *   edge, which would put the anchor beyond a line drawn to that edge.
 * - A crossing starts only when the anchor's path between two observations meets the SEGMENT p1–p2; a track that
 *   goes round an end changes side silently (never counted).
 * - Margin, relative to the object's size: a crossing counts only if the track was first clearly on the old side
 *   and gets clearly onto the new one: its distance to the line, averaged over the last `windowMs` of observations
 *   (the track's motion over a short window, not one noisy box), at least `marginOfHeight` × the box's height on
 *   each side, and at least LINE_NOISE_MARGIN × the box's jitter across the line (frame to frame over the last
 *   LINE_NOISE_WINDOW_MS, and around the trend over the window). Someone whose feet drift a little across a line and stay there, or whose box jitters across a line
 *   it walks along, is never counted; a track that appears within the margin of the line takes its side silently.
 * - Hysteresis: the crossing is counted once, past the margin, the anchor has stayed on the new side for `sustainMs`
 *   (seen in consecutive frames: after a frame where the track was not reported the clock restarts, since it may
 *   have been back on the old side then), or is `sustainDistance` (normalised units, perpendicular) past the line,
 *   whichever comes first. Coming back to the old side before that cancels it, so jitter on the line never counts.
 *   After a count the track's side is the new side: it counts again only by really crossing back (with the same
 *   margin and hysteresis). A frame where the track is not reported (a missed detection) changes nothing.
 * - Id switch: a track seen for the first time inherits the line state (its counted side and any pending crossing)
 *   of the nearest track of the same class that is not reported in this frame, was last seen at most
 *   `idSwitchWindowMs` ago within `idSwitchRadius` (normalised) of where the new one appears. The donor's state is
 *   moved, not copied, so one object is never counted twice; the path from the donor's last position to the new
 *   track's first one counts as the object's motion, so a switch exactly at the line still counts once.
 * - A new track starts from the anchor of the detection that started it (`firstBox`), not where it was confirmed, so
 *   a crossing in its first frames (typically at a frame edge) counts.
 * - A removed track's state is dropped, except that it stays available as an id-switch donor for
 *   `idSwitchWindowMs`.
 */
import type { Anchor, CountEvent } from '@tally/proto';
import type { Box, CountEventDraft, TrackedObject, Vec2 } from '../vision/types';
import { anchorPoint, cross, segmentsIntersect, sideOfLine, signedDistance } from './geometry';

export interface LineCrossingOptions {
  cameraId: string;
  ruleId: string;
  /** End points in pixels. */
  p1: Vec2;
  p2: Vec2;
  frameWidth: number;
  frameHeight: number;
  anchor: Anchor;
  /** Classes counted; null: all. */
  classes: ReadonlySet<string> | null;
  sustainMs: number;
  /** Normalised perpendicular distance past the line that confirms a crossing at once. */
  sustainDistance: number;
  idSwitchRadius: number;
  idSwitchWindowMs: number;
  /** A crossing needs the anchor at least this fraction of the box's height past the line, and before it at least
   * as far on the old side; 0: any distance. LINE_MARGIN_OF_HEIGHT where left out. */
  marginOfHeight?: number;
  /** LINE_WINDOW_MS where left out. */
  windowMs?: number;
}

/**
 * The line margin as a fraction of the object's box height (about 9 cm for a person or a car). Larger: box jitter
 * of objects moving along a line, or standing on it, never counts; but someone who only just crosses and turns
 * back, or whose track begins next to the line, is not counted. Chosen on the count-error grid (docs/BENCHMARKS.md).
 */
export const LINE_MARGIN_OF_HEIGHT = 0.02;

/** The window (ms) over which the anchor's distance to the line is averaged for the margin. */
export const LINE_WINDOW_MS = 300;

/**
 * The margin is at least this many times the box's jitter across the line: the larger of its frame-to-frame jitter
 * over LINE_NOISE_WINDOW_MS (jitterSpread) and the spread around the trend over the mean's window (trendSpread). A track whose boxes jitter more (a small object, a poor detector) must
 * get further past the line; a steady one keeps the size-relative margin.
 */
export const LINE_NOISE_MARGIN = 3;

/**
 * The box's jitter across the line is measured over this long (ms), longer than the mean's window: jitter is a
 * property of the object and the detector that changes slowly, and three or four boxes (0.3 s at 10 fps, or the first
 * ones after a missed stretch) are too few to measure it, so the margin would fall to its size-relative minimum just
 * when a track that wobbles along the line comes back from a gap.
 */
export const LINE_NOISE_WINDOW_MS = 1500;

type Side = -1 | 0 | 1;

interface LineTrackState {
  className: string;
  /** The side the track is counted on (0: not known yet, it appeared on the line). */
  side: Side;
  /** Whether the anchor has been at least the margin away on `side` since the track took that side. */
  armed: boolean;
  /** Signed distances (px) of the recent observations, oldest first, within LINE_NOISE_WINDOW_MS (the mean takes
   * those within `windowMs`). */
  recent: { tMs: number; d: number }[];
  /** Spread (px) of those distances around their straight-line trend: the box's jitter across the line. */
  noise: number;
  /** The side a crossing in progress goes to (0: none). */
  pending: Side;
  pendingSinceMs: number;
  last: Vec2;
  lastSeenMs: number;
  /** The rule's frame counter when the track was last seen (to tell consecutive observations from gaps). */
  lastFrame: number;
}

export class LineCrossing {
  readonly counts = { in: 0, out: 0 };
  private readonly states = new Map<number, LineTrackState>();
  /** Frames seen by this rule. */
  private frame = 0;
  /** States of removed tracks, kept as id-switch donors until they expire. */
  private retired: LineTrackState[] = [];
  private readonly n1: Vec2;
  private readonly n2: Vec2;
  private readonly nLength: number;

  constructor(readonly options: LineCrossingOptions) {
    const { p1, p2, frameWidth: w, frameHeight: h } = options;
    if (p1.x === p2.x && p1.y === p2.y) throw new Error(`line ${options.ruleId}: end points are equal`);
    this.n1 = { x: p1.x / w, y: p1.y / h };
    this.n2 = { x: p2.x / w, y: p2.y / h };
    this.nLength = Math.hypot(this.n2.x - this.n1.x, this.n2.y - this.n1.y);
  }

  update(tracks: readonly TrackedObject[], tMs: number, events: CountEventDraft[]): void {
    const { classes, anchor } = this.options;
    this.frame++;
    if (this.retired.length) this.pruneRetired(tMs);
    let fresh: TrackedObject[] | null = null;
    for (const t of tracks) {
      if (classes && !classes.has(t.className)) continue;
      const s = this.states.get(t.id);
      if (!s) (fresh ??= []).push(t);
      else this.step(s, t, this.anchorOf(t.box, anchor), tMs, events);
    }
    if (fresh) for (const t of fresh) this.begin(t, tMs, events);
  }

  /** Forgets every track and id-switch donor (the tracker's ids are being reset: no old state may be inherited). */
  clear(): void {
    this.states.clear();
    this.retired.length = 0;
  }

  /** Drops the state of removed tracks (kept briefly as id-switch donors). */
  remove(ids: readonly number[]): void {
    for (const id of ids) {
      const s = this.states.get(id);
      if (!s) continue;
      this.states.delete(id);
      this.retired.push(s);
    }
  }

  private pruneRetired(tMs: number): void {
    const window = this.options.idSwitchWindowMs;
    if (this.retired.some((s) => tMs - s.lastSeenMs > window)) {
      this.retired = this.retired.filter((s) => tMs - s.lastSeenMs <= window);
    }
  }

  /** Tracks with state (for tests and memory checks). */
  get size(): number {
    return this.states.size + this.retired.length;
  }

  private begin(t: TrackedObject, tMs: number, events: CountEventDraft[]): void {
    const p = this.anchorOf(t.box, this.options.anchor);
    const donor = this.takeDonor(t.className, p, tMs);
    if (donor) {
      this.states.set(t.id, donor);
      this.step(donor, t, p, tMs, events);
      return;
    }
    // Start from where the track was born (before it was confirmed) when the tracker says, so a crossing between
    // birth and confirmation, typical near a frame edge, is still seen.
    const start = t.firstBox ? this.anchorOf(t.firstBox, this.options.anchor) : p;
    const state: LineTrackState = {
      className: t.className,
      side: sideOfLine(this.options.p1, this.options.p2, start),
      armed: false,
      recent: [],
      noise: 0,
      pending: 0,
      pendingSinceMs: 0,
      last: start,
      lastSeenMs: tMs,
      lastFrame: this.frame,
    };
    this.states.set(t.id, state);
    this.arm(state, this.observe(state, start, tMs), t.firstBox ?? t.box);
    if (start !== p) this.step(state, t, p, tMs, events);
  }

  /** The anchor, clamped to the frame: a box fitted through moving detections can reach past the frame's edge,
   * which would put the anchor beyond a line drawn to that edge (it would go round its end, never through it). */
  private anchorOf(box: Box, anchor: LineCrossingOptions['anchor']): Vec2 {
    const p = anchorPoint(box, anchor);
    const { frameWidth: w, frameHeight: h } = this.options;
    return { x: Math.min(w, Math.max(0, p.x)), y: Math.min(h, Math.max(0, p.y)) };
  }

  /** The margin (px) an anchor must clear on each side: a fraction of the object's height. */
  private margin(box: Box, noise = 0): number {
    return Math.max(
      (this.options.marginOfHeight ?? LINE_MARGIN_OF_HEIGHT) * (box.y2 - box.y1),
      LINE_NOISE_MARGIN * noise,
    );
  }

  /** Records the anchor's signed distance and returns the mean over the window: the track's position across the
   * line from its motion over a short time, not from one noisy box. */
  private observe(s: LineTrackState, p: Vec2, tMs: number): number {
    s.recent.push({ tMs, d: signedDistance(this.options.p1, this.options.p2, p) });
    const window = this.options.windowMs ?? LINE_WINDOW_MS;
    const keep = tMs - Math.max(window, LINE_NOISE_WINDOW_MS);
    while (s.recent.length > 1 && s.recent[0]!.tMs < keep) s.recent.shift();
    const from = tMs - window;
    let sum = 0;
    let n = 0;
    for (let i = s.recent.length - 1; i >= 0 && (n === 0 || s.recent[i]!.tMs >= from); i--) {
      sum += s.recent[i]!.d;
      n++;
    }
    s.noise = Math.max(jitterSpread(s.recent), trendSpread(s.recent, s.recent.length - n));
    return sum / n;
  }

  /** Arms the track once its mean distance is at least the margin on the side it is on. */
  private arm(s: LineTrackState, mean: number, box: Box): void {
    if (s.armed || s.side === 0) return;
    if (mean * s.side >= this.margin(box, s.noise)) s.armed = true;
  }

  private step(s: LineTrackState, t: TrackedObject, p: Vec2, tMs: number, events: CountEventDraft[]): void {
    const { p1, p2 } = this.options;
    const cur = sideOfLine(p1, p2, p);
    const mean = this.observe(s, p, tMs);
    if (cur !== 0) {
      if (s.pending !== 0) {
        if (cur !== s.pending)
          s.pending = 0; // back on the old side before it held: jitter, no count
        // Unseen frames may have been on the old side: the time on the new side counts from the first of the
        // consecutive observations (a real crossing still completes, by distance or once seen long enough).
        else if (s.lastFrame !== this.frame - 1) s.pendingSinceMs = tMs;
      } else if (s.side === 0) {
        s.side = cur;
      } else if (cur !== s.side) {
        if (s.armed && segmentsIntersect(s.last, p, p1, p2)) {
          s.pending = cur;
          s.pendingSinceMs = tMs;
        } else {
          // went round an end of the segment, or had never been clearly on the old side (it appeared, or stood,
          // within the margin of the line): takes the new side without a count
          s.side = cur;
          s.armed = false;
        }
      }
      if (s.pending !== 0 && this.sustained(s, p, mean, t.box, tMs)) this.count(s, t, tMs, events);
      else if (s.pending === 0) this.arm(s, mean, t.box);
    }
    s.last = p;
    s.lastSeenMs = tMs;
    s.lastFrame = this.frame;
  }

  private sustained(s: LineTrackState, p: Vec2, mean: number, box: Box, tMs: number): boolean {
    if (mean * s.pending < this.margin(box, s.noise)) return false;
    if (tMs - s.pendingSinceMs >= this.options.sustainMs) return true;
    const { frameWidth: w, frameHeight: h } = this.options;
    const distance = Math.abs(cross(this.n1, this.n2, { x: p.x / w, y: p.y / h })) / this.nLength;
    return distance >= this.options.sustainDistance;
  }

  private count(s: LineTrackState, t: TrackedObject, tMs: number, events: CountEventDraft[]): void {
    const direction = s.pending === 1 ? 'in' : 'out';
    s.side = s.pending;
    s.pending = 0;
    s.armed = true; // counted only once past the margin
    this.counts[direction]++;
    const event: CountEventDraft = {
      cameraId: this.options.cameraId,
      ruleId: this.options.ruleId,
      kind: 'line_cross' satisfies CountEvent['kind'],
      direction,
      objectClass: t.className,
      trackId: t.id,
      ts: tMs,
      confidence: Math.min(1, Math.max(0, t.score)),
    };
    events.push(event);
  }

  /** The nearest eligible donor state, removed from where it was (so it is used once). */
  private takeDonor(className: string, p: Vec2, tMs: number): LineTrackState | null {
    const { idSwitchRadius: radius, idSwitchWindowMs: window, frameWidth: w, frameHeight: h } = this.options;
    let best: LineTrackState | null = null;
    let bestId: number | null = null;
    let bestDistance = radius;
    const consider = (s: LineTrackState, id: number | null) => {
      if (s.className !== className || s.lastSeenMs >= tMs || tMs - s.lastSeenMs > window) return;
      const d = Math.hypot((s.last.x - p.x) / w, (s.last.y - p.y) / h);
      if (d <= bestDistance) {
        best = s;
        bestId = id;
        bestDistance = d;
      }
    };
    for (const [id, s] of this.states) consider(s, id);
    for (const s of this.retired) consider(s, null);
    if (!best) return null;
    if (bestId !== null) this.states.delete(bestId);
    else this.retired = this.retired.filter((s) => s !== best);
    return best;
  }
}

/**
 * The jitter (px, a standard deviation) of the distances, from each observation's departure from the straight line
 * through its two neighbours (0 for fewer than 3). Smooth motion, even a turn, hardly departs from that local line,
 * so a person who walks up to the line and turns back is not taken for a jittery one; a box that jumps a few pixels
 * from frame to frame is. r = d₁ − (d₀ + (d₂ − d₀)·w) has variance σ²(1 + w² + (1 − w)²) for independent jitter σ.
 */
function jitterSpread(recent: readonly { tMs: number; d: number }[]): number {
  let ss = 0;
  let n = 0;
  for (let i = 2; i < recent.length; i++) {
    const a = recent[i - 2]!;
    const m = recent[i - 1]!;
    const b = recent[i]!;
    if (!(b.tMs > a.tMs)) continue;
    const w = (m.tMs - a.tMs) / (b.tMs - a.tMs);
    const r = m.d - (a.d + (b.d - a.d) * w);
    ss += (r * r) / (1 + w * w + (1 - w) * (1 - w));
    n++;
  }
  return n ? Math.sqrt(ss / n) : 0;
}

/** Standard deviation of the distances from `from` on around their least-squares line in time (0 for fewer than 3):
 * over the mean's short window this also takes in a slow sway (a gait, a box that grows as an occluder uncovers the
 * feet) that jitterSpread, frame to frame, does not see. */
function trendSpread(recent: readonly { tMs: number; d: number }[], from: number): number {
  const n = recent.length - from;
  if (n < 3) return 0;
  let st = 0;
  let sd = 0;
  for (let i = from; i < recent.length; i++) {
    st += recent[i]!.tMs;
    sd += recent[i]!.d;
  }
  const mt = st / n;
  const md = sd / n;
  let stt = 0;
  let std = 0;
  for (let i = from; i < recent.length; i++) {
    const r = recent[i]!;
    stt += (r.tMs - mt) ** 2;
    std += (r.tMs - mt) * (r.d - md);
  }
  const slope = stt > 0 ? std / stt : 0;
  let ss = 0;
  for (let i = from; i < recent.length; i++) {
    const r = recent[i]!;
    ss += (r.d - md - slope * (r.tMs - mt)) ** 2;
  }
  return Math.sqrt(ss / (n - 2));
}
