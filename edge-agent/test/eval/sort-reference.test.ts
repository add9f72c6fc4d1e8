/**
 * Calibrates the evaluator: SORT (Bewley et al. 2016, abewley/sort: Kalman [x, y, s, r], IoU ≥ 0.3, max_age 1,
 * min_hits 3) re-implemented plainly here and scored by our CLEAR-MOT must reproduce SORT's published KITTI-17
 * result on the same detections: MOTA 60.2, IDs 9, FP 38, FN 225 (../shared/README.md).
 */
import { describe, expect, it } from 'vitest';
import { assets, requireAsset } from '@tally/proto/assets';
import { iou } from '../../src/count/geometry';
import { clearMot, type FrameTruth } from '../../src/eval/clear-mot';
import { byFrame } from '../../src/eval/mot-format';
import { readSequence } from '../../src/eval/sequence-files';
import { Assignment } from '../../src/track/matching';
import type { Box } from '../../src/vision/types';

type M = number[][];
const mul = (a: M, b: M): M => a.map((r) => b[0]!.map((_, j) => r.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const tr = (a: M): M => a[0]!.map((_, j) => a.map((r) => r[j]!));
const add = (a: M, b: M, s = 1): M => a.map((r, i) => r.map((v, j) => v + s * b[i]![j]!));
const eye = (n: number): M =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => +(i === j)));
function inv(m: M): M {
  const n = m.length;
  const a = m.map((r, i) => [...r, ...eye(n)[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    const d = a[c]![c]!;
    a[c] = a[c]!.map((v) => v / d);
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      a[r] = a[r]!.map((v, j) => v - f * a[c]![j]!);
    }
  }
  return a.map((r) => r.slice(n));
}
const F = eye(7);
F[0]![4] = F[1]![5] = F[2]![6] = 1;
const H = eye(7).slice(0, 4);
const toZ = (b: Box): M => {
  const w = b.x2 - b.x1;
  const h = b.y2 - b.y1;
  return [[b.x1 + w / 2], [b.y1 + h / 2], [w * h], [w / h]];
};
const toBox = (x: M): Box => {
  const w = Math.sqrt(Math.abs(x[2]![0]! * x[3]![0]!));
  const h = x[2]![0]! / w;
  return { x1: x[0]![0]! - w / 2, y1: x[1]![0]! - h / 2, x2: x[0]![0]! + w / 2, y2: x[1]![0]! + h / 2 };
};

class SortTrack {
  x: M;
  P: M;
  sinceUpdate = 0;
  streak = 0;
  constructor(
    readonly id: number,
    b: Box,
  ) {
    this.x = [...toZ(b), [0], [0], [0]];
    this.P = eye(7).map((r, i) => r.map((v) => v * (i >= 4 ? 10000 : 10)));
  }
  predict(): Box {
    if (this.x[6]![0]! + this.x[2]![0]! <= 0) this.x[6]![0] = 0;
    this.x = mul(F, this.x);
    const Q = eye(7);
    Q[4]![4] = Q[5]![5] = 0.01;
    Q[6]![6] = 0.0001;
    this.P = add(mul(mul(F, this.P), tr(F)), Q);
    if (this.sinceUpdate > 0) this.streak = 0;
    this.sinceUpdate++;
    return toBox(this.x);
  }
  update(b: Box): void {
    this.sinceUpdate = 0;
    this.streak++;
    const R = eye(4);
    R[2]![2] = R[3]![3] = 10;
    const S = add(mul(mul(H, this.P), tr(H)), R);
    const K = mul(mul(this.P, tr(H)), inv(S));
    this.x = add(this.x, mul(K, add(toZ(b), mul(H, this.x), -1)));
    this.P = mul(add(eye(7), mul(K, H), -1), this.P);
  }
}

describe('evaluator calibration', () => {
  it("reproduces SORT's published KITTI-17 numbers", async () => {
    const seq = await readSequence(requireAsset(assets.motSequence('KITTI-17')));
    const n = seq.info.seqLength!;
    const det = byFrame(seq.detections, n);
    const gt = byFrame(seq.groundTruth!, n);
    const solver = new Assignment();
    let tracks: SortTrack[] = [];
    let nextId = 1;
    const frames: FrameTruth[] = [];
    for (let f = 1; f <= n; f++) {
      const predicted = tracks.map((t) => t.predict());
      const boxes = det[f]!.map((r) => r.box);
      const m = tracks.length;
      const cost = new Float64Array(boxes.length * m);
      boxes.forEach((b, i) => predicted.forEach((p, j) => (cost[i * m + j] = -iou(b, p))));
      solver.solve(cost, boxes.length, m, 0);
      const matched = boxes.map((_, i) => solver.rowToCol[i]!);
      boxes.forEach((b, i) => {
        const j = matched[i]!;
        if (j >= 0 && -cost[i * m + j]! >= 0.3) tracks[j]!.update(b);
        else tracks.push(new SortTrack(nextId++, b));
      });
      const hyp = tracks
        .filter((t) => t.sinceUpdate < 1 && (t.streak >= 3 || f <= 3))
        .map((t) => ({ id: t.id, box: toBox(t.x) }));
      tracks = tracks.filter((t) => t.sinceUpdate <= 1);
      frames.push({
        gt: gt[f]!.filter((r) => r.conf !== 0),
        ignore: gt[f]!.filter((r) => r.conf === 0),
        hyp,
      });
    }
    const score = clearMot(frames);
    expect({
      mota: Math.round(score.mota * 1000) / 1000,
      idsw: score.idsw,
      fp: score.fp,
      fn: score.fn,
    }).toEqual({
      mota: 0.602,
      idsw: 9,
      fp: 38,
      fn: 225,
    });
  });
});
