import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '@tally/proto/cli';
import { parseMotRows, parseSeqInfo, type MotRow, type SeqInfo } from '../../eval/mot-format';
import { simulateDetections } from '../../eval/simulate/detection-noise';
import { NOISE_PROFILES, noiseProfile } from '../../eval/simulate/noise-profiles';

/**
 * `tally-edge simulate-dets <sequence-dir> --profile NAME --seed S --out DIR`: writes a MOTChallenge sequence folder
 * (seqinfo.ini, det/det.txt, gt/gt.txt) whose detections are the input's ground truth put through a named
 * detection-noise profile (eval/simulate/detection-noise.ts), ready for `eval-count` and `eval-mot`.
 */
export function registerSimulateDets(program: Command): void {
  const names = Object.keys(NOISE_PROFILES).join(', ');
  program
    .command('simulate-dets')
    .description("turn a MOTChallenge sequence's ground truth into noisy detector boxes (seeded)")
    .argument('<sequence-dir>', 'folder holding seqinfo.ini and gt/gt.txt')
    .requiredOption('--profile <name>', `noise profile: ${names}`)
    .option('--seed <n>', 'random seed (an integer); the same seed gives the same boxes', '1')
    .option('--scale <factor>', "override the profile's scale (coordinates and frame size multiplied)")
    .requiredOption('--out <dir>', 'folder to write the simulated sequence to (created)')
    .option('--json', 'print only the JSON result')
    .action(async (dir: string, opts: SimulateOptions) => {
      const profile = noiseProfile(opts.profile);
      if (!profile) throw new UsageError(`--profile ${opts.profile}: unknown profile`, `one of: ${names}`);
      const seed = Number(opts.seed);
      if (!Number.isSafeInteger(seed) || seed < 0)
        throw new UsageError(`--seed ${opts.seed}: expected an integer ≥ 0`, 'e.g. --seed 1');
      if (opts.scale !== undefined) {
        const scale = Number(opts.scale);
        if (!(scale > 0 && scale <= 4))
          throw new UsageError(`--scale ${opts.scale}: expected a factor in (0, 4]`, 'e.g. --scale 0.3');
        profile.scale = scale;
      }
      const { info, groundTruth } = await readInput(dir);
      const sim = simulateDetections(info, groundTruth, profile, seed);
      const name = `${info.name || 'sequence'}-${opts.profile}-s${seed}`;
      await mkdir(join(opts.out, 'det'), { recursive: true });
      await mkdir(join(opts.out, 'gt'), { recursive: true });
      await writeFile(join(opts.out, 'seqinfo.ini'), seqInfoText({ ...sim.info, name }, opts.profile, seed));
      await writeFile(join(opts.out, 'det', 'det.txt'), sim.detections.map(row).join('\n') + '\n');
      await writeFile(join(opts.out, 'gt', 'gt.txt'), sim.groundTruth.map(row).join('\n') + '\n');
      const summary = {
        sequence: name,
        profile: opts.profile,
        seed,
        scale: profile.scale,
        frame: [sim.info.imWidth, sim.info.imHeight],
        detections: sim.detections.length,
        truth_boxes: sim.groundTruth.filter((r) => r.conf !== 0).length,
        out: opts.out,
      };
      if (!opts.json)
        process.stdout.write(
          `${name}: ${summary.detections} detections for ${summary.truth_boxes} true boxes, ` +
            `${sim.info.imWidth}x${sim.info.imHeight}, written to ${opts.out}\n`,
        );
      process.stdout.write(JSON.stringify(summary) + '\n');
    });
}

interface SimulateOptions {
  profile: string;
  seed: string;
  scale?: string;
  out: string;
  json?: boolean;
}

async function readInput(dir: string): Promise<{ info: SeqInfo; groundTruth: MotRow[] }> {
  const ini = join(dir, 'seqinfo.ini');
  const gt = join(dir, 'gt', 'gt.txt');
  try {
    const info = parseSeqInfo(await readFile(ini, 'utf8'), ini);
    return { info, groundTruth: parseMotRows(await readFile(gt, 'utf8'), gt) };
  } catch (err) {
    throw new UsageError(
      (err as Error).message,
      'point at a MOTChallenge sequence folder with seqinfo.ini and gt/gt.txt, e.g. ../shared/data/mot/KITTI-17',
    );
  }
}

function seqInfoText(info: SeqInfo, profile: string, seed: number): string {
  return (
    `; simulated by tally-edge simulate-dets --profile ${profile} --seed ${seed}\n[Sequence]\n` +
    `name=${info.name}\nframeRate=${info.frameRate}\n` +
    (info.seqLength !== null ? `seqLength=${info.seqLength}\n` : '') +
    `imWidth=${info.imWidth}\nimHeight=${info.imHeight}\n`
  );
}

/** A MOT row: frame, id, left, top, width, height, conf, −1, −1, −1 (two decimals). */
function row(r: MotRow): string {
  const f = (v: number) => Math.round(v * 100) / 100;
  const { x1, y1, x2, y2 } = r.box;
  return `${r.frame},${r.id},${f(x1)},${f(y1)},${f(x2 - x1)},${f(y2 - y1)},${r.conf},-1,-1,-1`;
}
