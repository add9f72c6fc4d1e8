/**
 * All counting rules of one camera: its lines and zones from the device config (normalised points), scaled to
 * pixels once. Pure: `update(trackerOutput, t)` returns the count events of that frame, stamped with `t`; removed
 * tracks' rule state is dropped. See line-crossing.ts and zone.ts for each rule's conventions.
 */
import { polygonIssue, type LineRule, type VisitEndReason, type ZoneRule } from '@tally/proto';
import type { CountEventDraft, OccupancySample, TrackerOutput } from '../vision/types';
import { toPixels } from './geometry';
import { LineCrossing } from './line-crossing';
import { Zone } from './zone';

export interface RuleEngineOptions {
  cameraId: string;
  frameWidth: number;
  frameHeight: number;
  lines: LineRule[];
  zones: ZoneRule[];
  /** The camera's classes: the default for rules that name none, and what rule classes are checked against. */
  classes?: string[];
}

/** Rule behaviour the contract leaves to the edge: named here, with their trade-offs. */
export const RULE_DEFAULTS = Object.freeze({
  /** Line hysteresis when the rule gives none (proto's defaults). */
  sustainMs: 300,
  sustainDistance: 0.02,
  /** Zone inertia: how long a track must be seen on the other side of the boundary before it enters or leaves.
   * Longer: steadier occupancy, later events. */
  zoneSustainMs: 300,
  /** Id-switch inheritance (lines): a new track within this normalised distance of a track that vanished at most
   * idSwitchWindowMs ago takes over its state. Larger: more switches caught, but a new object appearing next to
   * one that just vanished could take its state. */
  idSwitchRadius: 0.06,
  idSwitchWindowMs: 1500,
});

export class RuleEngine {
  private readonly lines: LineCrossing[] = [];
  private readonly zones: Zone[] = [];

  constructor(readonly options: RuleEngineOptions) {
    const { cameraId, frameWidth: w, frameHeight: h } = options;
    if (!(w > 0 && h > 0)) throw new Error(`camera ${cameraId}: frame size ${w}x${h} is invalid`);
    const cameraClasses = options.classes?.length ? options.classes : null;
    const classesOf = (ruleId: string, classes: string[] | undefined): ReadonlySet<string> | null => {
      const list = classes?.length ? classes : cameraClasses;
      if (!list) return null;
      if (cameraClasses) {
        const unknown = list.find((c) => !cameraClasses.includes(c));
        if (unknown) {
          throw new Error(
            `rule ${ruleId}: class ${JSON.stringify(unknown)} is not one the camera detects (${cameraClasses.join(', ')})`,
          );
        }
      }
      return new Set(list);
    };
    for (const rule of options.lines) {
      if (Math.abs(rule.p1.x - rule.p2.x) < 1e-9 && Math.abs(rule.p1.y - rule.p2.y) < 1e-9) {
        throw new Error(`line ${rule.id}: end points are equal: a line needs two distinct points`);
      }
      this.lines.push(
        new LineCrossing({
          cameraId,
          ruleId: rule.id,
          p1: toPixels(rule.p1, w, h),
          p2: toPixels(rule.p2, w, h),
          frameWidth: w,
          frameHeight: h,
          anchor: rule.anchor ?? 'bottom_center',
          classes: classesOf(rule.id, rule.classes),
          sustainMs: rule.sustainMs ?? RULE_DEFAULTS.sustainMs,
          sustainDistance: rule.sustainDistance ?? RULE_DEFAULTS.sustainDistance,
          idSwitchRadius: RULE_DEFAULTS.idSwitchRadius,
          idSwitchWindowMs: RULE_DEFAULTS.idSwitchWindowMs,
        }),
      );
    }
    for (const rule of options.zones) {
      const issue =
        rule.polygon.length < 3 ? 'a polygon needs at least 3 points' : polygonIssue(rule.polygon);
      if (issue) throw new Error(`zone ${rule.id}: ${issue}`);
      this.zones.push(
        new Zone({
          cameraId,
          ruleId: rule.id,
          polygon: rule.polygon.map((p) => toPixels(p, w, h)),
          anchor: rule.anchor ?? 'bottom_center',
          classes: classesOf(rule.id, rule.classes),
          sustainMs: RULE_DEFAULTS.zoneSustainMs,
          dwellThresholdS: rule.dwellThresholdS ?? null,
        }),
      );
    }
  }

  update(output: TrackerOutput, tMs: number): CountEventDraft[] {
    const events: CountEventDraft[] = [];
    for (const line of this.lines) {
      line.update(output.tracks, tMs, events);
      if (output.removed.length) line.remove(output.removed);
    }
    for (const zone of this.zones) {
      zone.update(output.tracks, tMs, events);
      if (output.removed.length) zone.remove(output.removed, tMs, events);
    }
    return events;
  }

  /**
   * The camera restarts or stops and its tracker forgets every id: ends all zone visits (exits carrying `reason`)
   * and drops all per-track rule state, so no ghost stays inside a zone. Returns the exit events, stamped `tMs`.
   */
  endTracks(tMs: number, reason: VisitEndReason): CountEventDraft[] {
    const events: CountEventDraft[] = [];
    for (const line of this.lines) line.clear();
    for (const zone of this.zones) zone.endAll(tMs, reason, events);
    return events;
  }

  occupancy(tMs: number): OccupancySample[] {
    return this.zones.map((z) => ({
      cameraId: this.options.cameraId,
      zoneId: z.options.ruleId,
      ts: tMs,
      counts: z.occupancy(),
    }));
  }

  counts(): Record<string, { in: number; out: number } | { enter: number; exit: number; current: number }> {
    const out: Record<
      string,
      { in: number; out: number } | { enter: number; exit: number; current: number }
    > = {};
    for (const l of this.lines) out[l.options.ruleId] = { ...l.counts };
    for (const z of this.zones) {
      const current = Object.values(z.occupancy()).reduce((a, b) => a + b, 0);
      out[z.options.ruleId] = { ...z.counts, current };
    }
    return out;
  }
}
