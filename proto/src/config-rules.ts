import type { Point } from './common';
import { COCO_CLASSES } from './coco';
import type { CameraConfig, DeviceConfig, ValidationIssue } from './messages/config';

/**
 * Checks on a device config that JSON Schema cannot express. Both sides run them: the cloud before it publishes a
 * config, the device before it applies one, so a config that would count nonsense is refused with a reason.
 */
export function checkDeviceConfig(config: DeviceConfig): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const modelIds = new Set((config.models ?? []).map((m) => m.id));
  duplicates(config.cameras.map((c) => c.id)).forEach((id) =>
    issues.push({ path: '/cameras', message: `camera id ${JSON.stringify(id)} is used twice` }),
  );
  config.cameras.forEach((camera, i) => {
    const base = `/cameras/${i}`;
    const model = config.models?.find((m) => m.id === camera.modelId);
    if (camera.modelId !== undefined && !modelIds.has(camera.modelId)) {
      issues.push({ path: `${base}/modelId`, message: `unknown model ${JSON.stringify(camera.modelId)}` });
    }
    issues.push(...checkCamera(camera, base, model?.classNames ?? COCO_CLASSES));
  });
  return issues;
}

export function checkCamera(camera: CameraConfig, base: string, known: readonly string[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const classSet = new Set(known);
  const checkClasses = (classes: readonly string[] | undefined, path: string) =>
    (classes ?? []).forEach((c, j) => {
      if (!classSet.has(c))
        issues.push({ path: `${path}/${j}`, message: `unknown class ${JSON.stringify(c)}` });
    });
  checkClasses(camera.classes, `${base}/classes`);
  duplicates([...camera.lines.map((l) => l.id), ...camera.zones.map((z) => z.id)]).forEach((id) =>
    issues.push({ path: base, message: `rule id ${JSON.stringify(id)} is used twice on this camera` }),
  );
  camera.lines.forEach((line, j) => {
    if (samePoint(line.p1, line.p2)) {
      issues.push({
        path: `${base}/lines/${j}`,
        message: 'line end points are equal: a line needs two distinct points',
      });
    }
    checkClasses(line.classes, `${base}/lines/${j}/classes`);
  });
  camera.zones.forEach((zone, j) => {
    const issue = polygonIssue(zone.polygon);
    if (issue) issues.push({ path: `${base}/zones/${j}/polygon`, message: issue });
    checkClasses(zone.classes, `${base}/zones/${j}/classes`);
  });
  if (camera.detectFps !== undefined && camera.detectFps > camera.fps) {
    issues.push({
      path: `${base}/detectFps`,
      message: `detectFps ${camera.detectFps} is above the camera's fps ${camera.fps}: at most every frame is detected`,
    });
  }
  camera.motionGating?.ignore?.forEach((polygon, j) => {
    const issue = polygonIssue(polygon);
    if (issue) issues.push({ path: `${base}/motionGating/ignore/${j}`, message: issue });
  });
  return issues;
}

function duplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}

const EPS = 1e-9;

function samePoint(a: Point, b: Point): boolean {
  return Math.abs(a.x - b.x) < EPS && Math.abs(a.y - b.y) < EPS;
}

/** Twice the signed area (shoelace). */
function doubleArea(poly: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    sum += a.x * b.y - b.x * a.y;
  }
  return sum;
}

function orient(a: Point, b: Point, c: Point): number {
  return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

function segmentsCross(a: Point, b: Point, c: Point, d: Point): boolean {
  const d1 = orient(c, d, a);
  const d2 = orient(c, d, b);
  const d3 = orient(a, b, c);
  const d4 = orient(a, b, d);
  return (
    ((d1 > EPS && d2 < -EPS) || (d1 < -EPS && d2 > EPS)) &&
    ((d3 > EPS && d4 < -EPS) || (d3 < -EPS && d4 > EPS))
  );
}

/** Why a polygon cannot be a zone, or null: too small, repeated vertices, or edges that cross. */
export function polygonIssue(poly: readonly Point[]): string | null {
  for (let i = 0; i < poly.length; i++) {
    if (samePoint(poly[i]!, poly[(i + 1) % poly.length]!))
      return `vertices ${i} and ${(i + 1) % poly.length} are equal`;
  }
  const n = poly.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // adjacent through the closing edge
      if (segmentsCross(poly[i]!, poly[(i + 1) % n]!, poly[j]!, poly[(j + 1) % n]!)) {
        return `polygon is self-intersecting: edge ${i} crosses edge ${j}`;
      }
    }
  }
  if (Math.abs(doubleArea(poly)) < EPS) return 'polygon has no area';
  return null;
}
