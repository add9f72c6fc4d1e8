import fc from 'fast-check';
import type { Point } from '@tally/proto';
import { describe, expect, it } from 'vitest';
import type { DraftRule } from '../../../src/features/camera-setup/geometry/draft-rule';
import { draftIssue, toRuleDraft, fromApiRule } from '../../../src/features/camera-setup/geometry/draft-rule';
import { deletePoint, flipLine, translate } from '../../../src/features/camera-setup/geometry/edits';
import { hitTest } from '../../../src/features/camera-setup/geometry/hit-test';
import { inArrow, sideOf } from '../../../src/features/camera-setup/geometry/line-direction';
import { containRect, toCamera, toScreen } from '../../../src/features/camera-setup/geometry/viewport';

const size = (min: number, max: number) =>
  fc.record({ width: fc.integer({ min, max }), height: fc.integer({ min, max }) });
/** Screens from a small phone held upright to a wide desktop, and camera frames from tiny to 8K. */
const screen = fc.record({
  width: fc.double({ min: 120, max: 3840, noNaN: true }),
  height: fc.double({ min: 120, max: 2400, noNaN: true }),
});
const frame = size(32, 7680);
const unit = fc.double({ min: 0, max: 1, noNaN: true });
const point = fc.record({ x: unit, y: unit });

const line = (p1: Point, p2: Point): DraftRule => ({
  key: 'l',
  kind: 'line',
  name: 'L',
  classes: [],
  p1,
  p2,
  extra: {},
});
const zone = (polygon: Point[]): Extract<DraftRule, { kind: 'zone' }> => ({
  key: 'z',
  kind: 'zone',
  name: 'Z',
  classes: [],
  polygon,
  closed: true,
  dwellThresholdS: null,
  extra: {},
});

describe('screen ↔ camera mapping', () => {
  it('letterboxes as object-fit: contain does (worked by hand)', () => {
    // 768×576 (4:3) in a 390×300 box: width-bound, scale 390/768 = 0.5078125, height 292.5, bars of 3.75 px.
    expect(containRect({ width: 390, height: 300 }, { width: 768, height: 576 })).toEqual({
      x: 0,
      y: 3.75,
      width: 390,
      height: 292.5,
    });
    // 1920×1080 in a square 500 box: 500 × 281.25, bars of 109.375 px top and bottom.
    expect(containRect({ width: 500, height: 500 }, { width: 1920, height: 1080 })).toEqual({
      x: 0,
      y: 109.375,
      width: 500,
      height: 281.25,
    });
    // A tall phone box around a 4:3 frame on its side: height-bound, pillarboxed.
    expect(containRect({ width: 400, height: 150 }, { width: 640, height: 480 })).toEqual({
      x: 100,
      y: 0,
      width: 200,
      height: 150,
    });
  });

  it('fits the whole picture, keeps its aspect, fills one side, centres it (any screen, any frame)', () => {
    fc.assert(
      fc.property(screen, frame, (box, image) => {
        const r = containRect(box, image);
        expect(r.width / r.height).toBeCloseTo(image.width / image.height, 6);
        expect(r.x).toBeGreaterThanOrEqual(-1e-9);
        expect(r.y).toBeGreaterThanOrEqual(-1e-9);
        expect(Math.min(Math.abs(r.width - box.width), Math.abs(r.height - box.height))).toBeLessThan(1e-6);
        expect(r.x * 2 + r.width).toBeCloseTo(box.width, 6);
        expect(r.y * 2 + r.height).toBeCloseTo(box.height, 6);
      }),
    );
  });

  it('a point survives screen → camera → screen at any screen size and aspect', () => {
    fc.assert(
      fc.property(screen, frame, unit, unit, (box, image, u, v) => {
        const r = containRect(box, image);
        const s = { x: r.x + u * r.width, y: r.y + v * r.height }; // a press on the picture
        const back = toScreen(toCamera(s, r), r);
        // Stored normalised to 1e-6: under a hundredth of a pixel even on a 4K screen.
        expect(Math.abs(back.x - s.x)).toBeLessThan(0.01);
        expect(Math.abs(back.y - s.y)).toBeLessThan(0.01);
      }),
    );
  });

  it('a point drawn on one screen lands on the same camera pixel on any other', () => {
    fc.assert(
      fc.property(screen, screen, frame, unit, unit, (boxA, boxB, image, u, v) => {
        const a = containRect(boxA, image);
        const b = containRect(boxB, image);
        const drawn = { x: a.x + u * a.width, y: a.y + v * a.height };
        const shown = toScreen(toCamera(drawn, a), b);
        const pixelA = {
          x: ((drawn.x - a.x) / a.width) * image.width,
          y: ((drawn.y - a.y) / a.height) * image.height,
        };
        const pixelB = {
          x: ((shown.x - b.x) / b.width) * image.width,
          y: ((shown.y - b.y) / b.height) * image.height,
        };
        expect(Math.abs(pixelA.x - pixelB.x)).toBeLessThan(0.01);
        expect(Math.abs(pixelA.y - pixelB.y)).toBeLessThan(0.01);
      }),
    );
  });

  it('a camera point survives camera → screen → camera, and a press on the bars lands on the edge', () => {
    fc.assert(
      fc.property(screen, frame, point, (box, image, p) => {
        const r = containRect(box, image);
        const back = toCamera(toScreen(p, r), r);
        expect(Math.abs(back.x - p.x)).toBeLessThanOrEqual(1e-6);
        expect(Math.abs(back.y - p.y)).toBeLessThanOrEqual(1e-6);
      }),
    );
    const r = containRect({ width: 390, height: 600 }, { width: 768, height: 576 }); // bars above and below
    expect(toCamera({ x: 195, y: 1 }, r)).toEqual({ x: 0.5, y: 0 });
    expect(toCamera({ x: 195, y: 599 }, r)).toEqual({ x: 0.5, y: 1 });
  });
});

describe('line direction', () => {
  it('the arrow points to the in side of the contract (right of p1 → p2, y down)', () => {
    // Horizontal line drawn left → right: walking right with y down, the right hand is below (larger y).
    const a = inArrow({ x: 0, y: 100 }, { x: 200, y: 100 }, 20);
    expect(a.from).toEqual({ x: 100, y: 100 });
    expect(a.to.x).toBeCloseTo(100, 9);
    expect(a.to.y).toBeCloseTo(120, 9);
    expect(sideOf({ x: 0, y: 100 }, { x: 200, y: 100 }, { x: 50, y: 150 })).toBe('in');
  });

  it('the arrow tip is always on the in side, on screen and in the camera, and a flip swaps the sides', () => {
    fc.assert(
      fc.property(screen, frame, point, point, point, (box, image, p1, p2, q) => {
        fc.pre(Math.hypot(p1.x - p2.x, p1.y - p2.y) > 0.01);
        const r = containRect(box, image);
        const [s1, s2] = [toScreen(p1, r), toScreen(p2, r)];
        const tip = inArrow(s1, s2, 10).to;
        const tipInside = tip.x >= r.x && tip.x <= r.x + r.width && tip.y >= r.y && tip.y <= r.y + r.height;
        if (tipInside) expect(sideOf(p1, p2, toCamera(tip, r))).not.toBe('out');
        expect(sideOf(s1, s2, tip)).toBe('in');
        const flipped = flipLine(line(p1, p2)) as Extract<DraftRule, { kind: 'line' }>;
        const cross = (p2.x - p1.x) * (q.y - p1.y) - (p2.y - p1.y) * (q.x - p1.x);
        fc.pre(Math.abs(cross) > 1e-9); // clearly off the line
        const before = sideOf(p1, p2, q);
        const after = sideOf(flipped.p1, flipped.p2, q);
        expect(after).toBe(before === 'in' ? 'out' : 'in');
        expect(flipLine(flipped)).toEqual(line(p1, p2));
      }),
    );
  });
});

describe('shape edits', () => {
  it('moving a whole shape keeps its form and never leaves the frame', () => {
    fc.assert(
      fc.property(
        fc.array(point, { minLength: 3, maxLength: 8 }),
        point,
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        (poly, _p, dx, dy) => {
          const moved = translate(zone(poly), { x: dx, y: dy }) as Extract<DraftRule, { kind: 'zone' }>;
          for (const p of moved.polygon) {
            expect(p.x).toBeGreaterThanOrEqual(0);
            expect(p.x).toBeLessThanOrEqual(1);
            expect(p.y).toBeGreaterThanOrEqual(0);
            expect(p.y).toBeLessThanOrEqual(1);
          }
          // Every vertex moved by the same amount (to the 1e-6 the points are stored at).
          const shift = { x: moved.polygon[0]!.x - poly[0]!.x, y: moved.polygon[0]!.y - poly[0]!.y };
          moved.polygon.forEach((p, i) => {
            expect(Math.abs(p.x - poly[i]!.x - shift.x)).toBeLessThan(3e-6);
            expect(Math.abs(p.y - poly[i]!.y - shift.y)).toBeLessThan(3e-6);
          });
        },
      ),
    );
  });

  it('deletes a vertex, but a closed zone keeps three', () => {
    const square = zone([
      { x: 0.1, y: 0.1 },
      { x: 0.5, y: 0.1 },
      { x: 0.5, y: 0.5 },
      { x: 0.1, y: 0.5 },
    ]);
    const triangle = deletePoint(square, 2) as Extract<DraftRule, { kind: 'zone' }>;
    expect(triangle.polygon).toEqual([
      { x: 0.1, y: 0.1 },
      { x: 0.5, y: 0.1 },
      { x: 0.1, y: 0.5 },
    ]);
    expect(deletePoint(triangle, 0)).toBe(triangle);
  });

  it('hit-tests handles before bodies, within a finger radius in screen pixels', () => {
    const r = containRect({ width: 400, height: 300 }, { width: 800, height: 600 });
    const rules = [
      zone([
        { x: 0.1, y: 0.1 },
        { x: 0.6, y: 0.1 },
        { x: 0.6, y: 0.6 },
        { x: 0.1, y: 0.6 },
      ]),
      line({ x: 0.2, y: 0.8 }, { x: 0.8, y: 0.8 }),
    ];
    expect(hitTest(rules, { x: 42, y: 31 }, r, 12)).toEqual({ rule: 0, point: 0 }); // vertex at (40, 30)
    expect(hitTest(rules, { x: 120, y: 100 }, r, 12)).toEqual({ rule: 0, point: null }); // inside
    expect(hitTest(rules, { x: 200, y: 245 }, r, 12)).toEqual({ rule: 1, point: null }); // near the line at y 240
    expect(hitTest(rules, { x: 320, y: 245 }, r, 12)).toEqual({ rule: 1, point: 1 }); // its p2 at (320, 240)
    expect(hitTest(rules, { x: 380, y: 20 }, r, 12)).toBeNull();
  });

  it('round-trips rules through the API shapes, keeping fields the editor does not show', () => {
    const api = {
      id: '00000000-0000-4000-8000-000000000001',
      cameraId: '00000000-0000-4000-8000-000000000002',
      key: 'door',
      kind: 'line' as const,
      name: 'Door',
      definition: {
        p1: { x: 0.1, y: 0.5 },
        p2: { x: 0.9, y: 0.5 },
        anchor: 'center' as const,
        sustainMs: 500,
        classes: ['person'],
      },
      updatedAt: '2026-01-01T00:00:00Z',
    };
    expect(toRuleDraft(fromApiRule(api))).toEqual({
      key: 'door',
      kind: 'line',
      name: 'Door',
      definition: api.definition,
    });
    expect(
      draftIssue({
        ...zone([
          { x: 0, y: 0 },
          { x: 1, y: 1 },
          { x: 1, y: 0 },
          { x: 0, y: 1 },
        ]),
      }),
    ).toContain('self-intersecting');
    expect(
      draftIssue({
        ...zone([
          { x: 0, y: 0 },
          { x: 1, y: 1 },
          { x: 1, y: 0 },
        ]),
        closed: false,
      }),
    ).toContain('close the shape');
  });
});
