import { describe, expect, it } from 'vitest';
import type { ZoneRule } from '@tally/proto';
import { RuleEngine } from '../../src/count/rule-engine';
import type { CountEventDraft } from '../../src/vision/types';
import { FRAME, render, walk, type Actor } from '../fixtures/golden/scenes';

/** A square queue area in the middle of the frame, loitering after 3 s. */
const QUEUE: ZoneRule = {
  id: 'queue',
  name: 'Queue',
  polygon: [
    { x: 0.3, y: 0.3 },
    { x: 0.7, y: 0.3 },
    { x: 0.7, y: 0.7 },
    { x: 0.3, y: 0.7 },
  ],
  dwellThresholdS: 3,
};

function engine() {
  return new RuleEngine({
    cameraId: 'cam',
    frameWidth: FRAME.width,
    frameHeight: FRAME.height,
    lines: [],
    zones: [QUEUE],
    classes: ['person', 'car'],
  });
}

/** Walks in from the left, stays still `stayS` seconds, walks out to the right. */
function visitor(id: number, stayS: number, startS = 0, className = 'person'): Actor {
  const enter = walk(id, { x: 0.1, y: 0.5 }, { x: 0.5, y: 0.5 }, startS, startS + 2, className);
  const leave = walk(
    id,
    { x: 0.5, y: 0.5 },
    { x: 0.9, y: 0.5 },
    startS + 2 + stayS,
    startS + 4 + stayS,
    className,
  );
  return {
    id,
    className,
    fromS: startS,
    toS: startS + 4 + stayS,
    at: (t) => (t <= startS + 2 ? enter.at(t) : t <= startS + 2 + stayS ? { x: 0.5, y: 0.5 } : leave.at(t)),
  };
}

function run(actors: Actor[], fps: number, durationS: number) {
  const e = engine();
  const events: CountEventDraft[] = [];
  const occupancy: { tMs: number; person: number }[] = [];
  for (const f of render(actors, fps, durationS)) {
    events.push(...e.update(f.output, f.tMs));
    occupancy.push({ tMs: f.tMs, person: e.occupancy(f.tMs)[0]!.counts.person! });
  }
  return { events, occupancy, counts: e.counts() };
}

describe('zone (golden scenes)', () => {
  it('reports enter, loitering once per visit, and exit with the dwell time', () => {
    const { events, counts } = run([visitor(1, 5)], 10, 12);
    expect(events.map((e) => e.kind)).toEqual(['zone_enter', 'dwell_exceeded', 'zone_exit']);
    const [enter, loiter, exit] = events;
    // enters at x = 0.3 (1 s), leaves at x = 0.7 (2 + 5 + 1 = 8 s): a 7 s visit
    expect(enter!.ts).toBeGreaterThanOrEqual(1000);
    expect(enter!.ts).toBeLessThanOrEqual(1400);
    expect(loiter!.dwellMs).toBeGreaterThanOrEqual(3000);
    expect(loiter!.ts - enter!.ts).toBeLessThan(3400);
    expect(exit!.dwellMs).toBeGreaterThanOrEqual(6800);
    expect(exit!.dwellMs).toBeLessThanOrEqual(7200);
    expect(counts.queue).toEqual({ enter: 1, exit: 1, current: 0 });
  });

  it('reports no loitering for a short visit', () => {
    const { events } = run([visitor(1, 0.5)], 10, 8);
    expect(events.map((e) => e.kind)).toEqual(['zone_enter', 'zone_exit']);
  });

  it('counts occupancy per class', () => {
    const e = engine();
    const frames = render([visitor(1, 5), visitor(2, 5, 0.5), visitor(3, 5, 0, 'car')], 10, 5);
    for (const f of frames) e.update(f.output, f.tMs);
    expect(e.occupancy(5000)).toEqual([
      { cameraId: 'cam', zoneId: 'queue', ts: 5000, counts: { person: 2, car: 1 } },
    ]);
  });

  it('keeps occupancy through a one-frame dropout and a one-frame jump outside', () => {
    const steady = visitor(1, 6);
    const flaky: Actor = {
      ...steady,
      at: (t) =>
        Math.abs(t - 4) < 0.01 ? null : Math.abs(t - 5) < 0.01 ? { x: 0.95, y: 0.5 } : steady.at(t),
    };
    const { events, occupancy } = run([flaky], 10, 12);
    expect(events.map((e) => e.kind)).toEqual(['zone_enter', 'dwell_exceeded', 'zone_exit']);
    const inside = occupancy.filter((o) => o.tMs >= 2000 && o.tMs <= 8000);
    expect(inside.every((o) => o.person === 1)).toBe(true);
  });

  it('ends the visit when the tracker removes a track inside, and drops its state', () => {
    const e = engine();
    const actor = walk(1, { x: 0.1, y: 0.5 }, { x: 0.5, y: 0.5 }, 0, 2);
    const events = render([actor], 10, 4).flatMap((f) => e.update(f.output, f.tMs));
    expect(events.map((x) => x.kind)).toEqual(['zone_enter', 'zone_exit']);
    expect(events[1]!.ts).toBeGreaterThan(3000); // at removal, 1 s after the last frame
    expect(events[1]!.dwellMs).toBeGreaterThanOrEqual(900); // entered at ~1 s, last seen at 2 s
    expect(e.occupancy(4000)[0]!.counts.person).toBe(0);
  });

  it('gives the same events at 5 fps and at 30 fps', () => {
    const actors = [visitor(1, 5), visitor(2, 1, 1), walk(3, { x: 0.1, y: 0.1 }, { x: 0.9, y: 0.9 }, 0, 6)];
    const key = (ev: CountEventDraft[]) => ev.map((x) => `${x.trackId}:${x.kind}`).sort();
    const at5 = run(actors, 5, 14).events;
    const at30 = run(actors, 30, 14).events;
    expect(key(at30)).toEqual(key(at5));
    expect(key(at5)).toContain('3:zone_enter');
  });
});
