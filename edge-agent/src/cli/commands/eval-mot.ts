import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UsageError } from '@tally/proto/cli';
import { parseLineArg } from '../../count/rule-args';
import { evalSequence } from '../../eval/sequence-eval';
import { readSequence, type SequenceFiles } from '../../eval/sequence-files';

/**
 * `tally-edge eval-mot <sequence-dir>`: runs the tracker and line rules on a MOTChallenge sequence's detections at
 * its frame rate and scores them against its ground truth (CLEAR-MOT, IDF1, line counts vs the ground truth's).
 */
export function registerEvalMot(program: Command): void {
  program
    .command('eval-mot')
    .description('track a MOTChallenge sequence (det/det.txt, seqinfo.ini, gt/gt.txt) and score it')
    .argument('<sequence-dir>', 'folder holding seqinfo.ini, det/det.txt and optionally gt/gt.txt')
    .option(
      '--line <NAME:x1,y1,x2,y2>',
      'a counting line, pixels of the sequence (or normalised when all within [0, 1]); repeatable',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option('--out <file>', 'write the confirmed tracks in MOTChallenge format')
    .option('--json', 'print only the JSON result')
    .action(async (dir: string, opts: { line: string[]; out?: string; json?: boolean }) => {
      let files: SequenceFiles;
      try {
        files = await readSequence(dir);
      } catch (err) {
        throw new UsageError(
          (err as Error).message,
          'point at a MOTChallenge sequence folder, e.g. ../shared/data/mot/KITTI-17',
        );
      }
      const { imWidth, imHeight } = files.info;
      let lines;
      try {
        lines = opts.line.map((l) => parseLineArg(l, imWidth, imHeight));
      } catch (err) {
        throw new UsageError(
          (err as Error).message,
          `coordinates are pixels of the ${imWidth}x${imHeight} frame`,
        );
      }
      const result = evalSequence({ ...files, lines });
      if (opts.out) await writeFile(opts.out, result.rows.join('\n') + '\n');
      const m = result.metrics;
      const summary = {
        sequence: files.info.name || dir,
        frames: result.frames,
        tracks: result.tracks,
        counts: result.counts,
        ...(m && {
          mota: round(m.mota),
          motp: round(m.motp),
          idf1: round(m.idf1),
          idsw: m.idsw,
          fp: m.fp,
          fn: m.fn,
          gt: m.gt,
          gt_counts: m.gt_counts,
        }),
      };
      if (!opts.json) {
        const counts = Object.entries(result.counts)
          .map(
            ([name, c]) =>
              `${name} in ${c.in} out ${c.out}` +
              (m ? ` (gt in ${m.gt_counts[name]!.in} out ${m.gt_counts[name]!.out})` : ''),
          )
          .join('; ');
        process.stdout.write(
          `${summary.sequence}: ${result.frames} frames, ${result.tracks} tracks` +
            (m
              ? `, MOTA ${summary.mota}, IDF1 ${summary.idf1}, IDSW ${m.idsw}, FP ${m.fp}, FN ${m.fn}`
              : ', no ground truth') +
            (counts ? `\ncounts: ${counts}` : '') +
            (opts.out ? `\ntracks written to ${opts.out}` : '') +
            '\n',
        );
      }
      process.stdout.write(JSON.stringify(summary) + '\n');
    });
}

function round(v: number): number {
  return Math.round(v * 10000) / 10000;
}
