/** Frames per second over a sliding window of the most recent frame times (a fixed ring, no growth). */
export class FpsMeter {
  private readonly times: Float64Array;
  private n = 0;
  private next = 0;

  constructor(
    private readonly windowMs = 5000,
    capacity = 512,
  ) {
    this.times = new Float64Array(capacity);
  }

  tick(now: number): void {
    this.times[this.next] = now;
    this.next = (this.next + 1) % this.times.length;
    if (this.n < this.times.length) this.n++;
  }

  fps(now: number): number {
    let count = 0;
    let oldest = now;
    for (let i = 0; i < this.n; i++) {
      const t = this.times[i]!;
      if (now - t <= this.windowMs) {
        count++;
        if (t < oldest) oldest = t;
      }
    }
    if (count < 2) return 0;
    return Math.round(((count - 1) * 1000 * 10) / Math.max(1, now - oldest)) / 10;
  }
}
