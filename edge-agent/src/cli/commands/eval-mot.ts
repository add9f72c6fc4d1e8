import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UsageError } from '@tally/proto/cli';
import { parseLineArg } from '../../count/rule-args';
import { DEFAULT_OFFLINE, evalSequence, type Metrics, type OfflineOptions } from '../../eval/sequence-eval';
import { readSequence, type SequenceFiles } from '../../eval/sequence-files';

/**
 * `tally-edge eval-mot <sequence-dir>`: runs the tracker and line rules on a MOTChallenge sequence's detections at
 * its frame rate and scores them against its ground truth (CLEAR-MOT, IDF1, line counts vs the ground truth's).
 * The reported tracks go through an offline post-process (short tracks dropped, gaps interpolated, boxes smoothed; see
 * eval/sequence-eval.ts), on by default; the JSON's `online` holds the scores without it.
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
    .option(
      '--interpolate [max-gap-s]',
      `offline: fill a track's gaps up to this many seconds by linear interpolation (default on, ${DEFAULT_OFFLINE.interpolateMaxGapS} s)`,
    )
    .option('--no-interpolate', 'report the tracks without gap interpolation')
    .option(
      '--smooth [sigma-s]',
      `offline: smooth each track's boxes, Gaussian kernel of this σ in seconds (default on, ${DEFAULT_OFFLINE.smoothSigmaS} s)`,
    )
    .option('--no-smooth', "report the tracks' boxes without smoothing")
    .option(
      '--min-track-s <seconds>',
      `offline: drop tracks living less than this; 0 keeps all (default ${DEFAULT_OFFLINE.minTrackS})`,
    )
    .option('--out <file>', 'write the reported tracks in MOTChallenge format')
    .option('--json', 'print only the JSON result')
    .action(async (dir: string, opts: EvalMotOptions) => {
      const offline = offlineOptions(opts);
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
      const result = evalSequence({ ...files, lines, offline });
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
        offline: {
          interpolate_max_gap_s: result.offline.interpolateMaxGapS,
          min_track_s: result.offline.minTrackS,
          smooth_sigma_s: result.offline.smoothSigmaS,
          interpolated_boxes: result.offline.interpolated,
          dropped_tracks: result.offline.droppedTracks,
        },
        ...(result.online && { online: roundMetrics(result.online) }),
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
              ? `, MOTA ${summary.mota}, IDF1 ${summary.idf1}, IDSW ${m.idsw}, FP ${m.fp}, FN ${m.fn}` +
                ` (online: MOTA ${round(result.online!.mota)}, IDF1 ${round(result.online!.idf1)})`
              : ', no ground truth') +
            (counts ? `\ncounts: ${counts}` : '') +
            (opts.out ? `\ntracks written to ${opts.out}` : '') +
            '\n',
        );
      }
      process.stdout.write(JSON.stringify(summary) + '\n');
    });
}

interface EvalMotOptions {
  line: string[];
  out?: string;
  json?: boolean;
  /** undefined: default; true: bare --interpolate (default gap); false: --no-interpolate; string: the gap. */
  interpolate?: boolean | string;
  /** As `interpolate`, for --smooth / --no-smooth. */
  smooth?: boolean | string;
  minTrackS?: string;
}

function offlineOptions(opts: EvalMotOptions): OfflineOptions {
  const seconds = (flag: string, v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < 0)
      throw new UsageError(`${flag} ${v}: expected seconds ≥ 0`, `e.g. ${flag}=0.5`);
    return n;
  };
  const onOff = (flag: string, v: boolean | string | undefined, byDefault: number): number =>
    v === false ? 0 : typeof v === 'string' ? seconds(flag, v) : byDefault;
  return {
    interpolateMaxGapS: onOff('--interpolate', opts.interpolate, DEFAULT_OFFLINE.interpolateMaxGapS),
    smoothSigmaS: onOff('--smooth', opts.smooth, DEFAULT_OFFLINE.smoothSigmaS),
    minTrackS:
      opts.minTrackS === undefined ? DEFAULT_OFFLINE.minTrackS : seconds('--min-track-s', opts.minTrackS),
  };
}

function roundMetrics(m: Metrics): Metrics {
  return { ...m, mota: round(m.mota), motp: round(m.motp), idf1: round(m.idf1) };
}

function round(v: number): number {
  return Math.round(v * 10000) / 10000;
}
