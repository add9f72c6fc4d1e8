/**
 * `tsx scripts/eval-count-matrix.ts [--grid N] [--seeds 1,2,3] [--json]`: the count-error figures of
 * docs/BENCHMARKS.md in one run. For KITTI-17 and TUD-Stadtmitte (../shared/data/mot), the grid's count error with
 * the public detections and with the ground truth's own boxes (a perfect detector), then with the simulator's
 * `clean`, `crowd` and `far-traffic` profiles over the seeds, summed per profile (Σ|got − truth| / Σ truth over every
 * line, direction, sequence and seed). Same code as `pnpm edge eval-count` and `pnpm edge simulate-dets`, in-process.
 * With --json the last stdout line is the JSON result.
 */
import { parseArgs } from 'node:util';
import { assets, requireAsset } from '@tally/proto/assets';
import { evalCount, type CountEvalResult } from '../edge-agent/src/eval/count-eval';
import { gridLines } from '../edge-agent/src/eval/grid-lines';
import { readSequence } from '../edge-agent/src/eval/sequence-files';
import { simulateDetections } from '../edge-agent/src/eval/simulate/detection-noise';
import { noiseProfile } from '../edge-agent/src/eval/simulate/noise-profiles';

const SEQUENCES = ['KITTI-17', 'TUD-Stadtmitte'];
const PROFILES = ['clean', 'crowd', 'far-traffic'];

interface Tally {
  truth: number;
  over: number;
  under: number;
  off: number;
  directions: number;
}

const { values } = parseArgs({
  options: {
    grid: { type: 'string', default: '5' },
    seeds: { type: 'string', default: '1,2,3' },
    json: { type: 'boolean' },
  },
});
const grid = Number(values.grid);
const seeds = values.seeds.split(',').map(Number);
const rows: Record<string, Tally> = {};

const add = (key: string, r: CountEvalResult) => {
  const t = (rows[key] ??= { truth: 0, over: 0, under: 0, off: 0, directions: 0 });
  for (const d of r.score.directions) {
    t.truth += d.truth;
    t.over += Math.max(0, d.got - d.truth);
    t.under += Math.max(0, d.truth - d.got);
    t.directions++;
  }
  t.off += r.score.off;
};

for (const name of SEQUENCES) {
  const seq = await readSequence(requireAsset(assets.motSequence(name)));
  const gt = seq.groundTruth!;
  const lines = gridLines(grid, seq.info.imWidth, seq.info.imHeight);
  add(`${name} det`, evalCount({ ...seq, groundTruth: gt, lines }));
  add(`${name} gt`, evalCount({ ...seq, groundTruth: gt, lines, source: 'gt' }));
  for (const profile of PROFILES) {
    for (const seed of seeds) {
      const sim = simulateDetections(seq.info, gt, noiseProfile(profile)!, seed);
      const simLines = gridLines(grid, sim.info.imWidth, sim.info.imHeight);
      const r = evalCount({ ...sim, lines: simLines });
      add(`${name} ${profile}`, r);
      add(`all ${profile}`, r);
    }
  }
}

const pct = (v: number, t: number) => (t ? Math.round((1000 * v) / t) / 10 : null);
const table = Object.entries(rows)
  .sort(([a], [b]) => Number(a.startsWith('all')) - Number(b.startsWith('all')))
  .map(([key, t]) => ({
    key,
    truth: t.truth,
    error_pct: pct(t.over + t.under, t.truth),
    over_pct: pct(t.over, t.truth),
    under_pct: pct(t.under, t.truth),
    off: `${t.off}/${t.directions}`,
  }));
if (!values.json)
  for (const r of table)
    console.log(
      `${r.key.padEnd(26)} truth ${String(r.truth).padStart(4)}  error ${r.error_pct} %  over ${r.over_pct} %  under ${r.under_pct} %  off ${r.off}`,
    );
console.log(JSON.stringify({ grid, seeds, rows: table }));
