/** Upper bounds (ms) of the detector latency histogram, Prometheus-style cumulative buckets. */
export const LATENCY_BUCKETS_MS = [5, 10, 20, 35, 50, 75, 100, 150, 250, 500, 1000] as const;

export interface HistogramSnapshot {
  /** Cumulative counts per bound in LATENCY_BUCKETS_MS, then +Inf (= count). */
  cumulative: number[];
  sum: number;
  count: number;
}

/** A fixed-bucket latency histogram (pure, cheap to copy across a worker boundary). */
export class LatencyHistogram {
  private readonly counts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  private sum = 0;
  private count = 0;

  observe(ms: number): void {
    const i = LATENCY_BUCKETS_MS.findIndex((b) => ms <= b);
    this.counts[i === -1 ? LATENCY_BUCKETS_MS.length : i]!++;
    this.sum += ms;
    this.count++;
  }

  snapshot(): HistogramSnapshot {
    let acc = 0;
    return { cumulative: this.counts.map((c) => (acc += c)), sum: this.sum, count: this.count };
  }
}
