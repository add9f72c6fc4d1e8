import type { CameraConfig, LineRule, ZoneRule } from '@tally/proto';
import { RuleEngine } from '../count/rule-engine';
import { UnknownClassError, classMask } from '../detect/class-filter';

export interface RuleSetup {
  engine: RuleEngine;
  /** Classes the detector is asked for: the camera's, minus unknown ones. */
  classes: string[];
  /** One line per rule or class left out, naming it and why. */
  issues: string[];
}

/**
 * Builds a camera's rule engine rule by rule, so one bad rule (a line with equal end points, a self-intersecting
 * polygon, a class the model does not know) is reported and left out while the others keep counting.
 */
export function setupRules(camera: CameraConfig, modelClasses: readonly string[]): RuleSetup {
  const issues: string[] = [];
  const classes = camera.classes.filter((c) => {
    try {
      classMask([c], modelClasses);
      return true;
    } catch (err) {
      if (!(err instanceof UnknownClassError)) throw err;
      issues.push(`camera ${camera.id}: ${err.message}; it is ignored`);
      return false;
    }
  });
  const base = {
    cameraId: camera.id,
    frameWidth: camera.inputSize.width,
    frameHeight: camera.inputSize.height,
    classes,
  };
  const fits = (lines: LineRule[], zones: ZoneRule[], id: string) => {
    try {
      new RuleEngine({ ...base, lines, zones });
      return true;
    } catch (err) {
      issues.push(`rule ${id}: ${(err as Error).message}; it is left out, the other rules keep counting`);
      return false;
    }
  };
  const lines = camera.lines.filter((l) => fits([l], [], l.id));
  const zones = camera.zones.filter((z) => fits([], [z], z.id));
  return { engine: new RuleEngine({ ...base, lines, zones }), classes, issues };
}
