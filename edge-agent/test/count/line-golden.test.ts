import { describe, expect, it } from 'vitest';
import type { LineRule } from '@tally/proto';
import { RuleEngine } from '../../src/count/rule-engine';
import type { CountEventDraft } from '../../src/vision/types';
import { FRAME, render, walk, type Actor } from '../fixtures/golden/scenes';

/** A horizontal door line across the middle, p1 left → p2 right: `in` is below it (walking down counts in). */
const DOOR: LineRule = { id: 'door', name: 'Door', p1: { x: 0.2, y: 0.5 }, p2: { x: 0.8, y: 0.5 } };

function run(actors: Actor[], fps: number, durationS: number, line: LineRule = DOOR): CountEventDraft[] {
  const engine = new RuleEngine({
    cameraId: 'cam',
    frameWidth: FRAME.width,
    frameHeight: FRAME.height,
    lines: [line],
    zones: [],
  });
  return render(actors, fps, durationS).flatMap((f) => engine.update(f.output, f.tMs));
}

const summary = (events: CountEventDraft[]) => events.map((e) => `${e.trackId}:${e.direction}`);

describe('line crossing (golden scenes)', () => {
  it('counts a clean crossing each way once: down is in, up is out', () => {
    const events = run(
      [
        walk(1, { x: 0.5, y: 0.2 }, { x: 0.5, y: 0.8 }, 0, 3),
        walk(2, { x: 0.4, y: 0.9 }, { x: 0.4, y: 0.1 }, 0, 3),
      ],
      10,
      5,
    );
    expect(summary(events)).toEqual(['1:in', '2:out']);
    expect(events[0]).toMatchObject({
      cameraId: 'cam',
      ruleId: 'door',
      kind: 'line_cross',
      objectClass: 'person',
      confidence: 0.9,
    });
    // stamped with the frame's time: the crossing at 1.5 s, confirmed once 0.02 past the line (0.1 s later)
    expect(events[0]!.ts).toBeGreaterThanOrEqual(1500);
    expect(events[0]!.ts).toBeLessThanOrEqual(1800);
  });

  it('never counts jitter on the line', () => {
    // The anchor wobbles ±0.005 around the line for 4 s, switching side every frame or every other frame.
    const jitter: Actor = {
      id: 1,
      fromS: 0,
      toS: 4,
      at: (t) => ({ x: 0.5, y: 0.5 + (Math.floor(t * 10) % 3 === 0 ? 0.005 : -0.005) }),
    };
    expect(run([jitter], 10, 5)).toEqual([]);
    expect(run([jitter], 30, 5)).toEqual([]);
  });

  it('counts again only by really crossing back', () => {
    const there = walk(1, { x: 0.5, y: 0.3 }, { x: 0.5, y: 0.7 }, 0, 2);
    const back = walk(1, { x: 0.5, y: 0.7 }, { x: 0.5, y: 0.3 }, 2, 4);
    const wobble = { x: 0.5, y: 0.52 }; // after crossing, steps back onto the line zone but never past it
    const actor: Actor = {
      id: 1,
      fromS: 0,
      toS: 6,
      at: (t) => (t < 2 ? there.at(t) : t < 2.5 ? wobble : t < 4.5 ? back.at(t - 0.5) : { x: 0.5, y: 0.3 }),
    };
    expect(summary(run([actor], 10, 7))).toEqual(['1:in', '1:out']);
  });

  it('does not count a crossing of the infinite line outside the segment', () => {
    expect(
      run(
        [
          walk(1, { x: 0.1, y: 0.2 }, { x: 0.1, y: 0.8 }, 0, 3),
          walk(2, { x: 0.9, y: 0.8 }, { x: 0.9, y: 0.2 }, 0, 3),
        ],
        10,
        5,
      ),
    ).toEqual([]);
  });

  it('counts once when the id switches just after the crossing was counted', () => {
    const first = walk(1, { x: 0.5, y: 0.2 }, { x: 0.5, y: 0.6 }, 0, 2); // counted at ~0.52, vanishes at 0.6
    const second = walk(2, { x: 0.51, y: 0.62 }, { x: 0.5, y: 0.9 }, 2.3, 4);
    expect(summary(run([first, second], 10, 6))).toEqual(['1:in']);
  });

  it('counts once when the id switches in the middle of the crossing (before it was confirmed)', () => {
    const first = walk(1, { x: 0.5, y: 0.3 }, { x: 0.5, y: 0.505 }, 0, 2); // just over the line, not sustained
    const second = walk(2, { x: 0.5, y: 0.51 }, { x: 0.5, y: 0.9 }, 2.2, 4);
    expect(summary(run([first, second], 10, 6))).toEqual(['2:in']);
  });

  it('counts two people who walk side by side as two', () => {
    const events = run(
      [
        walk(1, { x: 0.45, y: 0.2 }, { x: 0.45, y: 0.8 }, 0, 3),
        walk(2, { x: 0.5, y: 0.2 }, { x: 0.5, y: 0.8 }, 0, 3),
      ],
      10,
      5,
    );
    expect(summary(events).sort()).toEqual(['1:in', '2:in']);
  });

  it('gives the same counts at 5 fps and at 30 fps', () => {
    const actors = [
      walk(1, { x: 0.5, y: 0.2 }, { x: 0.5, y: 0.8 }, 0, 3),
      walk(2, { x: 0.3, y: 0.9 }, { x: 0.7, y: 0.1 }, 1, 5),
      walk(3, { x: 0.1, y: 0.2 }, { x: 0.1, y: 0.8 }, 0, 3),
      walk(4, { x: 0.6, y: 0.45 }, { x: 0.62, y: 0.55 }, 0, 6), // a slow crossing: held by time, not distance
    ];
    const at5 = run(actors, 5, 8);
    const at30 = run(actors, 30, 8);
    expect(summary(at5).sort()).toEqual(['1:in', '2:out', '4:in']);
    expect(summary(at30).sort()).toEqual(summary(at5).sort());
    for (const e of at5) {
      const twin = at30.find((x) => x.trackId === e.trackId)!;
      // a crossing is seen up to one frame late and confirmed up to one frame late: two 5 fps frames
      expect(Math.abs(twin.ts - e.ts)).toBeLessThanOrEqual(400);
    }
  });

  it('uses the configured anchor point and class filter', () => {
    // Box bottom crosses, box top (0.08 above) does not reach the line.
    const actor = walk(1, { x: 0.5, y: 0.3 }, { x: 0.5, y: 0.55 }, 0, 2);
    expect(run([actor], 10, 4, { ...DOOR, anchor: 'bottom_center' })).toHaveLength(1);
    expect(run([actor], 10, 4, { ...DOOR, anchor: 'top_center' })).toHaveLength(0);
    const car = walk(1, { x: 0.5, y: 0.2 }, { x: 0.5, y: 0.8 }, 0, 3, 'car');
    expect(run([car], 10, 4, { ...DOOR, classes: ['person'] })).toHaveLength(0);
    expect(run([car], 10, 4, { ...DOOR, classes: ['car'] })).toHaveLength(1);
  });

  it('sees a crossing made before the track was confirmed, from the box that started it (frame edge)', () => {
    const engine = new RuleEngine({
      cameraId: 'cam',
      frameWidth: FRAME.width,
      frameHeight: FRAME.height,
      lines: [DOOR],
      zones: [],
    });
    const at = (y: number) => ({ x1: 480, y1: y - 80, x2: 520, y2: y });
    const track = (y: number, firstY?: number) => ({
      id: 7,
      box: at(y),
      score: 0.8,
      className: 'person',
      matched: true,
      ...(firstY !== undefined && { firstBox: at(firstY) }),
    });
    // born above the line at y = 480, first reported (confirmed) below it at y = 540, then walks on
    const events = [
      ...engine.update({ tracks: [track(540, 480)], removed: [] }, 0),
      ...engine.update({ tracks: [track(560)], removed: [] }, 100),
    ];
    expect(summary(events)).toEqual(['7:in']);
    const without = new RuleEngine({
      cameraId: 'cam',
      frameWidth: FRAME.width,
      frameHeight: FRAME.height,
      lines: [DOOR],
      zones: [],
    });
    without.update({ tracks: [track(540)], removed: [] }, 0);
    expect(without.update({ tracks: [track(560)], removed: [] }, 100)).toEqual([]);
  });
});
