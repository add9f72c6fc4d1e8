/**
 * A camera's detection gate built from its config: grid, motion detector, ignore mask, the rule areas that wake
 * detection, and the decision (see DetectionGate). Pure: frames and tracks in, a decision out.
 */
import type { CameraConfig } from '@tally/proto';
import type { Frame, TrackedObject } from '../vision/types';
import { addBox, addPolygon, addSegmentBand, emptyMask, type CellMask } from './cell-mask';
import { DetectionGate, GATE_DEFAULTS, type GateDecision } from './detection-gate';
import { GreyGrid } from './grey-grid';
import { MotionDetector } from './motion-detector';

/** Half-width of the band around a counting line where motion wakes detection (normalised). */
const LINE_BAND = 0.05;
/** How far around a track's box motion still belongs to it, as a share of the box's size on each side. */
const TRACK_GROW = 0.25;

export class FrameGate {
  readonly gating: boolean;
  private readonly grid: GreyGrid | null = null;
  private readonly motion: MotionDetector | null = null;
  private readonly ruleAreas: CellMask | null = null;
  private readonly wake: CellMask | null = null;
  private readonly gate: DetectionGate;

  constructor(camera: CameraConfig) {
    const g = camera.motionGating ?? {};
    this.gating = g.enabled ?? true;
    this.gate = new DetectionGate({
      fps: camera.fps,
      ...(camera.detectFps ? { detectFps: camera.detectFps } : {}),
      gating: this.gating,
      keepAliveFps: g.keepAliveFps ?? GATE_DEFAULTS.keepAliveFps,
      minCells: GATE_DEFAULTS.minCells,
      hangoverMs: GATE_DEFAULTS.hangoverMs,
    });
    if (!this.gating) return;
    this.grid = new GreyGrid(camera.inputSize.width, camera.inputSize.height);
    const geo = this.grid.geometry;
    let ignore: CellMask | null = null;
    if (g.ignore?.length) {
      ignore = emptyMask(geo);
      for (const polygon of g.ignore) addPolygon(ignore, geo, polygon);
    }
    this.motion = new MotionDetector(geo, ignore);
    this.ruleAreas = emptyMask(geo);
    for (const zone of camera.zones) addPolygon(this.ruleAreas, geo, zone.polygon);
    for (const line of camera.lines) addSegmentBand(this.ruleAreas, geo, line.p1, line.p2, LINE_BAND);
    this.wake = emptyMask(geo);
  }

  /** Whether `frame` goes to the detector; `tracks` are the tracker's newest (their surroundings wake it). */
  decide(frame: Frame, tracks: readonly TrackedObject[]): GateDecision {
    if (!this.grid || !this.motion || !this.wake || !this.ruleAreas)
      return this.gate.decide(frame.ts, null, null);
    const motion = this.motion.update(this.grid.read(frame));
    this.wake.set(this.ruleAreas);
    for (const t of tracks) addBox(this.wake, this.grid.geometry, t.box, TRACK_GROW);
    return this.gate.decide(frame.ts, motion, this.wake);
  }

  /** A restarted stream: new background, no history. */
  reset(): void {
    this.motion?.reset();
    this.gate.reset();
  }
}
