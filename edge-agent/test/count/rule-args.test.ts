import { describe, expect, it } from 'vitest';
import { parseLineArg, parseZoneArg } from '../../src/count/rule-args';

describe('--line / --zone arguments', () => {
  it('reads pixels, or normalised coordinates when all values are within [0, 1]', () => {
    expect(parseLineArg('door:100,200,300,200', 400, 400)).toEqual({
      id: 'door',
      name: 'door',
      p1: { x: 0.25, y: 0.5 },
      p2: { x: 0.75, y: 0.5 },
    });
    expect(parseLineArg('door:0.1,0.5,0.9,0.5', 400, 400).p2).toEqual({ x: 0.9, y: 0.5 });
    expect(parseZoneArg('q:0,0;200,0;200,200', 400, 400).polygon).toEqual([
      { x: 0, y: 0 },
      { x: 0.5, y: 0 },
      { x: 0.5, y: 0.5 },
    ]);
  });

  it('says what is wrong with bad input', () => {
    expect(() => parseLineArg('100,200,300,200', 400, 400)).toThrow(/expected NAME:x1,y1,x2,y2/);
    expect(() => parseLineArg('a:1,2,3', 400, 400)).toThrow(/four numbers/);
    expect(() => parseLineArg('a:5,5,5,5', 400, 400)).toThrow(/end points are equal/);
    expect(() => parseLineArg('a:0,0,900,10', 400, 400)).toThrow(/outside the 400x400 frame/);
    expect(() => parseZoneArg('z:0,0;1,1', 400, 400)).toThrow(/at least 3 points/);
    expect(() => parseZoneArg('z:0,0;1;1,0', 400, 400)).toThrow(/"1" is not a point/);
  });
});
