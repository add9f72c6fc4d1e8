import { describe, expect, it } from 'vitest';
import { RuleEngine, type RuleEngineOptions } from '../../src/count/rule-engine';
import { anchorPoint, pointInPolygon, segmentsIntersect, sideOfLine } from '../../src/count';
import { render, walk, FRAME } from '../fixtures/golden/scenes';

const base: RuleEngineOptions = { cameraId: 'cam', frameWidth: 640, frameHeight: 480, lines: [], zones: [] };

describe('RuleEngine', () => {
  it('refuses invalid rules with a message naming the rule and the problem', () => {
    expect(
      () =>
        new RuleEngine({
          ...base,
          lines: [{ id: 'l1', name: 'L', p1: { x: 0.5, y: 0.5 }, p2: { x: 0.5, y: 0.5 } }],
        }),
    ).toThrow(/line l1: end points are equal/);
    const bowtie = [
      { x: 0.1, y: 0.1 },
      { x: 0.9, y: 0.9 },
      { x: 0.9, y: 0.1 },
      { x: 0.1, y: 0.9 },
    ];
    expect(() => new RuleEngine({ ...base, zones: [{ id: 'z1', name: 'Z', polygon: bowtie }] })).toThrow(
      /zone z1: polygon is self-intersecting/,
    );
    expect(
      () =>
        new RuleEngine({
          ...base,
          classes: ['person'],
          lines: [{ id: 'l2', name: 'L', p1: { x: 0, y: 0 }, p2: { x: 1, y: 1 }, classes: ['giraffe'] }],
        }),
    ).toThrow(/rule l2: class "giraffe"/);
    expect(() => new RuleEngine({ ...base, frameWidth: 0 })).toThrow(/frame size/);
  });

  it('camera restart (ghost visits): every open visit ends with a reason, occupancy drops, no dwell alert for the gone', () => {
    const engine = new RuleEngine({
      ...base,
      classes: ['person'],
      zones: [
        {
          id: 'queue',
          name: 'Queue',
          polygon: [
            { x: 0, y: 0 },
            { x: 0.5, y: 0 },
            { x: 0.5, y: 1 },
            { x: 0, y: 1 },
          ],
          dwellThresholdS: 10,
        },
      ],
    });
    // Two people standing in the zone (feet at x = 100 px of 640) for 2 s, one outside it.
    const person = (id: number, x: number) => ({
      id,
      box: { x1: x - 20, y1: 100, x2: x + 20, y2: 300 },
      score: 0.9,
      className: 'person',
      matched: true,
    });
    const events = [];
    for (let t = 0; t <= 2000; t += 100)
      events.push(
        ...engine.update({ tracks: [person(1, 100), person(2, 200), person(3, 500)], removed: [] }, t),
      );
    expect(events.map((e) => e.kind)).toEqual(['zone_enter', 'zone_enter']);

    const exits = engine.endTracks(2000, 'camera_restart');
    expect(exits).toEqual([
      expect.objectContaining({
        kind: 'zone_exit',
        trackId: 1,
        endReason: 'camera_restart',
        ts: 2000,
        dwellMs: 2000,
      }),
      expect.objectContaining({
        kind: 'zone_exit',
        trackId: 2,
        endReason: 'camera_restart',
        ts: 2000,
        dwellMs: 2000,
      }),
    ]);
    expect(engine.occupancy(2001)[0]!.counts).toEqual({ person: 0 });
    expect(engine.counts().queue).toEqual({ enter: 2, exit: 2, current: 0 });

    // The restarted tracker sees an empty scene for 20 s (past the 10 s threshold): nothing more happens.
    const later = [];
    for (let t = 2100; t <= 22_000; t += 100) later.push(...engine.update({ tracks: [], removed: [] }, t));
    expect(later).toEqual([]);
    // Someone new (the tracker reuses id 1 after its reset) enters: a fresh visit, not the ghost's.
    const fresh = [];
    for (let t = 22_100; t <= 23_000; t += 100)
      fresh.push(...engine.update({ tracks: [person(1, 100)], removed: [] }, t));
    expect(fresh.map((e) => e.kind)).toEqual(['zone_enter']);
  });

  it('drops the line state of removed tracks', () => {
    const engine = new RuleEngine({
      ...base,
      frameWidth: FRAME.width,
      frameHeight: FRAME.height,
      lines: [{ id: 'door', name: 'Door', p1: { x: 0.2, y: 0.5 }, p2: { x: 0.8, y: 0.5 } }],
    });
    const actors = Array.from({ length: 50 }, (_, i) =>
      walk(i + 1, { x: 0.5, y: 0.2 }, { x: 0.5, y: 0.8 }, i * 0.2, i * 0.2 + 2),
    );
    const frames = render(actors, 10, 20);
    for (const f of frames) engine.update(f.output, f.tMs);
    expect(engine.counts().door).toEqual({ in: 50, out: 0 });
    const line = (engine as unknown as { lines: { size: number }[] }).lines[0]!;
    expect(line.size).toBe(0);
  });
});

describe('geometry', () => {
  const box = { x1: 10, y1: 20, x2: 30, y2: 60 };
  it('anchors', () => {
    expect(anchorPoint(box)).toEqual({ x: 20, y: 60 });
    expect(anchorPoint(box, 'center')).toEqual({ x: 20, y: 40 });
    expect(anchorPoint(box, 'top_center')).toEqual({ x: 20, y: 20 });
  });
  it('sides follow the documented convention (in = right of p1→p2 on screen, y down)', () => {
    const p1 = { x: 0, y: 0 };
    const p2 = { x: 10, y: 0 };
    expect(sideOfLine(p1, p2, { x: 5, y: 5 })).toBe(1); // below a left-to-right line
    expect(sideOfLine(p1, p2, { x: 5, y: -5 })).toBe(-1);
    expect(sideOfLine(p1, p2, { x: 5, y: 0 })).toBe(0);
  });
  it('intersects segments, not infinite lines', () => {
    const a = { x: 0, y: 0 };
    const b = { x: 10, y: 0 };
    expect(segmentsIntersect({ x: 5, y: -1 }, { x: 5, y: 1 }, a, b)).toBe(true);
    expect(segmentsIntersect({ x: 15, y: -1 }, { x: 15, y: 1 }, a, b)).toBe(false);
    expect(segmentsIntersect({ x: 5, y: -1 }, { x: 5, y: 0 }, a, b)).toBe(true); // touching
  });
  it('point in polygon (concave)', () => {
    const l = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 4 },
      { x: 4, y: 4 },
      { x: 4, y: 10 },
      { x: 0, y: 10 },
    ];
    expect(pointInPolygon({ x: 2, y: 8 }, l)).toBe(true);
    expect(pointInPolygon({ x: 8, y: 8 }, l)).toBe(false);
    expect(pointInPolygon({ x: 8, y: 2 }, l)).toBe(true);
  });
});
