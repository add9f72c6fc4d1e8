/** Reads a MOTChallenge sequence folder: seqinfo.ini, det/det.txt, and gt/gt.txt when present. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseMotRows, parseSeqInfo, type MotRow, type SeqInfo } from './mot-format';

export interface SequenceFiles {
  info: SeqInfo;
  detections: MotRow[];
  groundTruth: MotRow[] | null;
}

export async function readSequence(dir: string): Promise<SequenceFiles> {
  const read = async (path: string, required: boolean): Promise<string | null> => {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!required && code === 'ENOENT') return null;
      throw new Error(`cannot read ${path}: ${code ?? (err as Error).message}`);
    }
  };
  const iniPath = join(dir, 'seqinfo.ini');
  const detPath = join(dir, 'det', 'det.txt');
  const gtPath = join(dir, 'gt', 'gt.txt');
  const info = parseSeqInfo((await read(iniPath, true))!, iniPath);
  const detections = parseMotRows((await read(detPath, true))!, detPath);
  const gtText = await read(gtPath, false);
  return { info, detections, groundTruth: gtText === null ? null : parseMotRows(gtText, gtPath) };
}
