/**
 * Command-line rule arguments, shared by the CLIs: `--line NAME:x1,y1,x2,y2` and `--zone NAME:x,y;x,y;...`.
 *
 * Coordinates are pixels of the decoded frame. With the marker `norm:` after the name (`door:norm:0.1,0.5,0.9,0.5`)
 * they are normalised to [0, 1] of the frame, the convention the cloud and the device config use. The unit is never
 * guessed from the values: a pixel line whose every value lies within [0, 1] is refused with a hint to add the
 * marker (it would be a line shorter than a pixel). A point outside the frame is refused in either unit.
 * The result is proto's LineRule / ZoneRule (normalised), so the rule engine validates it like any config.
 */
import type { LineRule, ZoneRule } from '@tally/proto';
import type { Vec2 } from '../vision/types';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** The marker that says the coordinates are normalised to [0, 1] of the frame. */
export const NORMALISED_MARKER = 'norm:';

export function parseLineArg(text: string, frameWidth: number, frameHeight: number): LineRule {
  const { name, values, normalised } = split(text, 'line', 'NAME:x1,y1,x2,y2');
  const nums = values.split(',').map((v) => Number(v.trim()));
  if (nums.length !== 4 || nums.some((v) => !Number.isFinite(v))) {
    throw new Error(`--line ${JSON.stringify(text)}: expected NAME:x1,y1,x2,y2 with four numbers`);
  }
  const [p1, p2] = toFrame(
    [
      { x: nums[0]!, y: nums[1]! },
      { x: nums[2]!, y: nums[3]! },
    ],
    { width: frameWidth, height: frameHeight, normalised },
    `--line ${JSON.stringify(text)}`,
  ) as [Vec2, Vec2];
  if (p1.x === p2.x && p1.y === p2.y) throw new Error(`--line ${JSON.stringify(text)}: end points are equal`);
  return { id: name, name, p1, p2 };
}

export function parseZoneArg(text: string, frameWidth: number, frameHeight: number): ZoneRule {
  const { name, values, normalised } = split(text, 'zone', 'NAME:x,y;x,y;x,y[;...]');
  const points = values.split(';').map((pair) => {
    const xy = pair.split(',').map((v) => Number(v.trim()));
    if (xy.length !== 2 || xy.some((v) => !Number.isFinite(v))) {
      throw new Error(`--zone ${JSON.stringify(text)}: ${JSON.stringify(pair)} is not a point "x,y"`);
    }
    return { x: xy[0]!, y: xy[1]! };
  });
  if (points.length < 3) throw new Error(`--zone ${JSON.stringify(text)}: a zone needs at least 3 points`);
  const polygon = toFrame(
    points,
    { width: frameWidth, height: frameHeight, normalised },
    `--zone ${JSON.stringify(text)}`,
  );
  return { id: name, name, polygon };
}

function split(
  text: string,
  what: string,
  shape: string,
): { name: string; values: string; normalised: boolean } {
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon) : '';
  if (!NAME.test(name)) {
    throw new Error(
      `--${what} ${JSON.stringify(text)}: expected ${shape} (pixels) or ${name || 'NAME'}:${NORMALISED_MARKER}… ` +
        '(normalised 0–1); NAME is letters, digits, _ . - (at most 64)',
    );
  }
  const rest = text.slice(colon + 1);
  const normalised = rest.startsWith(NORMALISED_MARKER);
  return { name, values: normalised ? rest.slice(NORMALISED_MARKER.length) : rest, normalised };
}

/** Points in the frame's normalised coordinates, refusing any that lie outside the frame. */
function toFrame(
  points: Vec2[],
  frame: { width: number; height: number; normalised: boolean },
  what: string,
): Vec2[] {
  const { width: w, height: h, normalised } = frame;
  if (normalised) {
    const outside = points.find((p) => p.x < 0 || p.x > 1 || p.y < 0 || p.y > 1);
    if (outside) {
      throw new Error(
        `${what}: the point ${outside.x},${outside.y} lies outside the frame (normalised coordinates are 0 to 1)`,
      );
    }
    return points;
  }
  const outside = points.find((p) => p.x < 0 || p.x > w || p.y < 0 || p.y > h);
  if (outside) {
    throw new Error(`${what}: the point ${outside.x},${outside.y} lies outside the ${w}x${h} frame (pixels)`);
  }
  if (points.every((p) => p.x <= 1 && p.y <= 1)) {
    throw new Error(
      `${what}: every coordinate is within 0–1 pixel; for normalised coordinates write ` +
        `NAME:${NORMALISED_MARKER}x,y,...`,
    );
  }
  return points.map((p) => ({ x: p.x / w, y: p.y / h }));
}
