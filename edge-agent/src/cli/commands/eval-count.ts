import type { Command } from 'commander';
import { UsageError } from '@tally/proto/cli';
import { parseLineArg } from '../../count/rule-args';
import { evalCount, type DetectionSource } from '../../eval/count-eval';
import { gridLines } from '../../eval/grid-lines';
import { readSequence, type SequenceFiles } from '../../eval/sequence-files';
import { TRUTH_MARGIN_OF_DIAGONAL } from '../../eval/true-crossings';

/** Grid lines per axis when neither --grid nor --line is given. */
const DEFAULT_GRID = 5;

/**
 * `tally-edge eval-count <sequence-dir>`: line counts of the live tracker + rules against the true crossings of the
 * ground-truth tracks, per line and direction, and the count error over all of them (eval/count-eval.ts).
 */
export function registerEvalCount(program: Command): void {
  program
    .command('eval-count')
    .description(
      "count crossings of a MOTChallenge sequence's detections and score them against its ground truth",
    )
    .argument('<sequence-dir>', 'folder holding seqinfo.ini, det/det.txt and gt/gt.txt')
    .option(
      '--grid <n>',
      `n vertical and n horizontal lines evenly across the frame (default ${DEFAULT_GRID} when no --line is given)`,
    )
    .option(
      '--line <NAME:x1,y1,x2,y2>',
      'a counting line, pixels of the sequence (or normalised when all within [0, 1]); repeatable',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option(
      '--detections <source>',
      "det: det/det.txt; gt: the ground truth's own boxes (a perfect detector)",
      'det',
    )
    .option(
      '--margin <fraction>',
      `a true crossing goes this fraction of the frame diagonal past the line on both sides (default ${TRUTH_MARGIN_OF_DIAGONAL})`,
    )
    .option('--json', 'print only the JSON result')
    .action(async (dir: string, opts: EvalCountOptions) => {
      const files = await readFiles(dir);
      const { imWidth, imHeight } = files.info;
      const source = detectionSource(opts.detections);
      const margin = opts.margin === undefined ? TRUTH_MARGIN_OF_DIAGONAL : fraction('--margin', opts.margin);
      const grid =
        opts.grid === undefined ? (opts.line.length ? 0 : DEFAULT_GRID) : count('--grid', opts.grid);
      let lines;
      try {
        lines = [
          ...gridLines(grid, imWidth, imHeight),
          ...opts.line.map((l) => parseLineArg(l, imWidth, imHeight)),
        ];
      } catch (err) {
        throw new UsageError(
          (err as Error).message,
          `coordinates are pixels of the ${imWidth}x${imHeight} frame`,
        );
      }
      const ids = new Set<string>();
      for (const l of lines) {
        if (ids.has(l.id))
          throw new UsageError(`line ${l.id} is given twice`, 'give each --line its own name');
        ids.add(l.id);
      }
      if (!files.groundTruth)
        throw new UsageError(
          `${dir} has no gt/gt.txt`,
          'eval-count needs ground-truth tracks to derive the truth',
        );
      const r = evalCount({
        ...files,
        groundTruth: files.groundTruth,
        lines,
        source,
        marginOfDiagonal: margin,
      });
      const s = r.score;
      const summary = {
        sequence: files.info.name || dir,
        frames: r.frames,
        detections: source,
        margin_px: round(r.marginPx),
        lines: s.directions.length / 2,
        truth: s.truth,
        count_error: s.error === null ? null : round(s.error),
        overcount: s.overcount === null ? null : round(s.overcount),
        undercount: s.undercount === null ? null : round(s.undercount),
        off: s.off,
        per_line: Object.fromEntries(
          Object.keys(r.truth).map((id) => [
            id,
            { in: [r.got[id]!.in, r.truth[id]!.in], out: [r.got[id]!.out, r.truth[id]!.out] },
          ]),
        ),
      };
      if (!opts.json) {
        const rows = s.directions
          .filter((d) => d.got !== 0 || d.truth !== 0)
          .map((d) => `  ${d.line} ${d.direction}: ${d.got}/${d.truth}${d.off ? '  OFF' : ''}`);
        process.stdout.write(
          `${summary.sequence}: ${summary.lines} lines, ${s.truth} true crossings (margin ${summary.margin_px} px), ` +
            `count error ${pct(s.error)} (over ${pct(s.overcount)}, under ${pct(s.undercount)}), ` +
            `${s.off} directions off by more than max(1, 20 %)\n` +
            (rows.length ? `got/truth:\n${rows.join('\n')}\n` : ''),
        );
      }
      process.stdout.write(JSON.stringify(summary) + '\n');
    });
}

interface EvalCountOptions {
  grid?: string;
  line: string[];
  detections: string;
  margin?: string;
  json?: boolean;
}

async function readFiles(dir: string): Promise<SequenceFiles> {
  try {
    return await readSequence(dir);
  } catch (err) {
    throw new UsageError(
      (err as Error).message,
      'point at a MOTChallenge sequence folder, e.g. ../shared/data/mot/KITTI-17',
    );
  }
}

function detectionSource(v: string): DetectionSource {
  if (v === 'det' || v === 'gt') return v;
  throw new UsageError(
    `--detections ${v}: expected det or gt`,
    'det: det/det.txt; gt: the ground-truth boxes',
  );
}

function count(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 100)
    throw new UsageError(`${flag} ${v}: expected an integer 0–100`, `e.g. ${flag} 5`);
  return n;
}

function fraction(flag: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 0.5)
    throw new UsageError(
      `${flag} ${v}: expected a fraction of the frame diagonal in [0, 0.5)`,
      `e.g. ${flag} 0.005`,
    );
  return n;
}

function pct(v: number | null): string {
  return v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`;
}

function round(v: number): number {
  return Math.round(v * 10000) / 10000;
}
