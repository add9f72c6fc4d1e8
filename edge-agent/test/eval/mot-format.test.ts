import { describe, expect, it } from 'vitest';
import { formatMotRow, parseMotRows, parseSeqInfo } from '../../src/eval/mot-format';

describe('MOTChallenge files', () => {
  it('parses rows into corner boxes and writes them back', () => {
    const [row] = parseMotRows('3,-1,10.5,20,30,40,0.9,-1,-1,-1\n', 'det.txt');
    expect(row).toEqual({ frame: 3, id: -1, box: { x1: 10.5, y1: 20, x2: 40.5, y2: 60 }, conf: 0.9 });
    expect(formatMotRow(3, 7, row!.box)).toBe('3,7,10.5,20,30,40,1,-1,-1,-1');
  });

  it('names the file and line of a malformed row', () => {
    expect(() => parseMotRows('1,1,0,0,1,1,1\n2,1,zero,0,1,1,1\n', 'gt.txt')).toThrow(/gt\.txt:2: expected/);
    expect(() => parseMotRows('0,1,0,0,1,1,1\n', 'gt.txt')).toThrow(/gt\.txt:1: frame 0/);
  });

  it('reads seqinfo.ini and requires the frame rate and size', () => {
    const info = parseSeqInfo(
      '; comment\n[Sequence]\nname=X\nframeRate=25\nseqLength=10\nimWidth=640\nimHeight=480\n',
      'seqinfo.ini',
    );
    expect(info).toEqual({ name: 'X', frameRate: 25, seqLength: 10, imWidth: 640, imHeight: 480 });
    expect(() => parseSeqInfo('[Sequence]\nimWidth=640\nimHeight=480\n', 'seqinfo.ini')).toThrow(
      /seqinfo\.ini: missing frameRate/,
    );
  });
});
