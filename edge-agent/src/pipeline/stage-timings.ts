/**
 * Per-stage timings of a pipeline (milliseconds), kept in fixed ring buffers of the most recent samples so a
 * long-running camera records them without growing. Summaries (median, p95) are computed on demand.
 */
export const STAGES = ['decode', 'preprocess', 'inference', 'postprocess', 'track', 'count'] as const;
export type Stage = (typeof STAGES)[number];
export type StageSummary = Record<Stage, { median: number; p95: number }>;

export class RingSamples {
  private readonly values: Float64Array;
  private n = 0;
  private next = 0;

  constructor(capacity = 2048) {
    this.values = new Float64Array(capacity);
  }

  add(v: number): void {
    this.values[this.next] = v;
    this.next = (this.next + 1) % this.values.length;
    if (this.n < this.values.length) this.n++;
  }

  count(): number {
    return this.n;
  }

  /** Quantile q in [0, 1] (nearest rank) of the samples held; 0 when empty. */
  quantile(q: number): number {
    if (this.n === 0) return 0;
    const sorted = Float64Array.from(this.values.subarray(0, this.n)).sort();
    return sorted[Math.min(this.n - 1, Math.max(0, Math.ceil(q * this.n) - 1))]!;
  }
}

export class StageTimings {
  private readonly rings = new Map<Stage, RingSamples>(STAGES.map((s) => [s, new RingSamples()]));

  add(stage: Stage, ms: number): void {
    this.rings.get(stage)!.add(ms);
  }

  summary(): StageSummary {
    const round = (v: number) => Math.round(v * 1000) / 1000;
    return Object.fromEntries(
      STAGES.map((s) => {
        const r = this.rings.get(s)!;
        return [s, { median: round(r.quantile(0.5)), p95: round(r.quantile(0.95)) }];
      }),
    ) as StageSummary;
  }

  ring(stage: Stage): RingSamples {
    return this.rings.get(stage)!;
  }
}
