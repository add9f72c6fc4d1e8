/**
 * MOTChallenge text formats, parsed and written without I/O. Rows of det.txt / gt.txt / tracker output:
 * `frame, id, left, top, width, height, conf_or_flag, x, y, z` with frames from 1. In det.txt the id is −1 and
 * column 7 is the detector's confidence; in gt.txt column 7 is 1 for boxes to evaluate, 0 for boxes to ignore.
 */
import type { Box } from '../vision/types';

export interface MotRow {
  frame: number;
  id: number;
  box: Box;
  /** Column 7: confidence (det.txt) or the evaluate/ignore flag (gt.txt). */
  conf: number;
}

export interface SeqInfo {
  name: string;
  frameRate: number;
  imWidth: number;
  imHeight: number;
  /** Frames in the sequence, when seqinfo.ini gives it. */
  seqLength: number | null;
}

/** Parses MOT rows; throws naming the line for anything malformed. `source` names the file in errors. */
export function parseMotRows(text: string, source: string): MotRow[] {
  const rows: MotRow[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const f = line.split(/[,\s]+/).map(Number);
    if (f.length < 7 || f.slice(0, 7).some((v) => !Number.isFinite(v))) {
      throw new Error(
        `${source}:${i + 1}: expected "frame,id,left,top,width,height,conf,..." but got ${JSON.stringify(line)}`,
      );
    }
    const [frame, id, left, top, width, height, conf] = f as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (frame < 1 || !Number.isInteger(frame))
      throw new Error(`${source}:${i + 1}: frame ${frame} is not an integer ≥ 1`);
    rows.push({ frame, id, box: { x1: left, y1: top, x2: left + width, y2: top + height }, conf });
  }
  return rows;
}

/** Parses seqinfo.ini's [Sequence] section; frameRate, imWidth and imHeight are required. */
export function parseSeqInfo(text: string, source: string): SeqInfo {
  const values = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#') || line.startsWith('[')) continue;
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const num = (key: string, required: boolean): number | null => {
    const v = values.get(key);
    if (v === undefined) {
      if (required) throw new Error(`${source}: missing ${key}`);
      return null;
    }
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${source}: ${key}=${v} is not a positive number`);
    return n;
  };
  return {
    name: values.get('name') ?? '',
    frameRate: num('frameRate', true)!,
    imWidth: num('imWidth', true)!,
    imHeight: num('imHeight', true)!,
    seqLength: num('seqLength', false),
  };
}

/** Groups rows by frame (index = frame number; frames without rows get an empty array). */
export function byFrame(rows: readonly MotRow[], frames: number): MotRow[][] {
  const out: MotRow[][] = Array.from({ length: frames + 1 }, () => []);
  for (const r of rows) if (r.frame <= frames) out[r.frame]!.push(r);
  return out;
}

/** One tracker output row in MOTChallenge format (confidence column 1, world coordinates −1). */
export function formatMotRow(frame: number, id: number, box: Box): string {
  const r = (v: number) => Math.round(v * 100) / 100;
  return `${frame},${id},${r(box.x1)},${r(box.y1)},${r(box.x2 - box.x1)},${r(box.y2 - box.y1)},1,-1,-1,-1`;
}
