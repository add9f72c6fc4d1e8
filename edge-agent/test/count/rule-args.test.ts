import { describe, expect, it } from 'vitest';
import { parseLineArg, parseZoneArg } from '../../src/count/rule-args';

describe('--line / --zone arguments', () => {
  it('reads pixels of the frame, or normalised 0–1 coordinates after the norm: marker', () => {
    expect(parseLineArg('door:100,200,300,200', 400, 400)).toEqual({
      id: 'door',
      name: 'door',
      p1: { x: 0.25, y: 0.5 },
      p2: { x: 0.75, y: 0.5 },
    });
    expect(parseLineArg('door:norm:0.1,0.5,0.9,0.5', 400, 400)).toEqual({
      id: 'door',
      name: 'door',
      p1: { x: 0.1, y: 0.5 },
      p2: { x: 0.9, y: 0.5 },
    });
    expect(parseZoneArg('q:0,0;200,0;200,200', 400, 400).polygon).toEqual([
      { x: 0, y: 0 },
      { x: 0.5, y: 0 },
      { x: 0.5, y: 0.5 },
    ]);
    expect(parseZoneArg('q:norm:0,0;0.5,0;0.5,0.5', 400, 400).polygon).toEqual([
      { x: 0, y: 0 },
      { x: 0.5, y: 0 },
      { x: 0.5, y: 0.5 },
    ]);
  });

  it('never guesses the unit from the values: pixels 0–1 are refused with a hint to add the marker', () => {
    // Before, a line whose values all lay within [0, 1] was silently read as normalised: "a:0,1,1,0" in a
    // 400x400 frame became the whole diagonal instead of a line one pixel long.
    expect(() => parseLineArg('a:0,1,1,0', 400, 400)).toThrow(/NAME:norm:/);
    expect(() => parseZoneArg('z:0,0;1,0;1,1', 400, 400)).toThrow(/NAME:norm:/);
  });

  it('refuses a line or zone outside the frame, in pixels and in normalised coordinates', () => {
    expect(() => parseLineArg('a:0,0,900,10', 400, 400)).toThrow(/outside the 400x400 frame/);
    expect(() => parseLineArg('a:-5,0,100,10', 400, 400)).toThrow(/outside the 400x400 frame/);
    expect(() => parseLineArg('a:norm:0.1,0.5,1.2,0.5', 400, 400)).toThrow(/outside the frame/);
    expect(() => parseZoneArg('z:norm:0,0;1,0;1,1.5', 400, 400)).toThrow(/outside the frame/);
    // The frame's edge itself is inside.
    expect(parseLineArg('edge:0,0,400,400', 400, 400).p2).toEqual({ x: 1, y: 1 });
  });

  it('says what is wrong with bad input', () => {
    expect(() => parseLineArg('100,200,300,200', 400, 400)).toThrow(/expected NAME:x1,y1,x2,y2/);
    expect(() => parseLineArg('a:1,2,3', 400, 400)).toThrow(/four numbers/);
    expect(() => parseLineArg('a:5,5,5,5', 400, 400)).toThrow(/end points are equal/);
    expect(() => parseLineArg('a:norm:0.5,0.5,0.5,0.5', 400, 400)).toThrow(/end points are equal/);
    expect(() => parseZoneArg('z:0,0;1,1', 400, 400)).toThrow(/at least 3 points/);
    expect(() => parseZoneArg('z:0,0;1;1,0', 400, 400)).toThrow(/"1" is not a point/);
  });
});
