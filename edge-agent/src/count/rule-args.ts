/**
 * Command-line rule arguments, shared by the CLIs: `--line NAME:x1,y1,x2,y2` and `--zone NAME:x,y;x,y;...`.
 * Coordinates are normalised ([0, 1] of the frame) when every value is within [0, 1], pixels of the frame otherwise.
 * The result is proto's LineRule / ZoneRule (normalised), so the rule engine validates it like any config.
 */
import type { LineRule, ZoneRule } from '@tally/proto';
import type { Vec2 } from '../vision/types';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function parseLineArg(text: string, frameWidth: number, frameHeight: number): LineRule {
  const { name, values } = split(text, 'line', 'NAME:x1,y1,x2,y2');
  const nums = values.split(',').map((v) => Number(v.trim()));
  if (nums.length !== 4 || nums.some((v) => !Number.isFinite(v))) {
    throw new Error(`--line ${JSON.stringify(text)}: expected NAME:x1,y1,x2,y2 with four numbers`);
  }
  const [p1, p2] = normalise(
    [
      { x: nums[0]!, y: nums[1]! },
      { x: nums[2]!, y: nums[3]! },
    ],
    frameWidth,
    frameHeight,
    text,
  ) as [Vec2, Vec2];
  if (p1.x === p2.x && p1.y === p2.y) throw new Error(`--line ${JSON.stringify(text)}: end points are equal`);
  return { id: name, name, p1, p2 };
}

export function parseZoneArg(text: string, frameWidth: number, frameHeight: number): ZoneRule {
  const { name, values } = split(text, 'zone', 'NAME:x,y;x,y;x,y[;...]');
  const points = values.split(';').map((pair) => {
    const xy = pair.split(',').map((v) => Number(v.trim()));
    if (xy.length !== 2 || xy.some((v) => !Number.isFinite(v))) {
      throw new Error(`--zone ${JSON.stringify(text)}: ${JSON.stringify(pair)} is not a point "x,y"`);
    }
    return { x: xy[0]!, y: xy[1]! };
  });
  if (points.length < 3) throw new Error(`--zone ${JSON.stringify(text)}: a zone needs at least 3 points`);
  return { id: name, name, polygon: normalise(points, frameWidth, frameHeight, text) };
}

function split(text: string, what: string, shape: string): { name: string; values: string } {
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon) : '';
  if (!NAME.test(name)) {
    throw new Error(
      `--${what} ${JSON.stringify(text)}: expected ${shape}; NAME is letters, digits, _ . - (at most 64)`,
    );
  }
  return { name, values: text.slice(colon + 1) };
}

function normalise(points: Vec2[], w: number, h: number, text: string): Vec2[] {
  const normalised = points.every((p) => p.x >= 0 && p.x <= 1 && p.y >= 0 && p.y <= 1);
  const out = normalised ? points : points.map((p) => ({ x: p.x / w, y: p.y / h }));
  if (out.some((p) => p.x < 0 || p.x > 1 || p.y < 0 || p.y > 1)) {
    throw new Error(`${JSON.stringify(text)}: a point lies outside the ${w}x${h} frame`);
  }
  return out;
}
