/**
 * Whether a camera is overloaded: the share of its received frames dropped (newest frame wins, so a dropped frame
 * is a stale one the detector had no time for) over a sliding window of about `windowMs`. A camera is overloaded
 * when that share reaches `threshold`; the reason says how much and over how long. Pure: the pipeline feeds it its
 * source's cumulative counters with a timestamp.
 */
export interface OverloadState {
  /** Share of received frames dropped in the window, 0–1. */
  dropRate: number;
  overloaded: boolean;
  reason?: string;
}

export interface OverloadOptions {
  windowMs: number;
  /** Drop share from which the camera is overloaded. */
  threshold: number;
}

export const DEFAULT_OVERLOAD: OverloadOptions = { windowMs: 10_000, threshold: 0.02 };

interface Sample {
  at: number;
  received: number;
  dropped: number;
}

export class OverloadMonitor {
  private readonly samples: Sample[] = [];

  constructor(private readonly o: OverloadOptions = DEFAULT_OVERLOAD) {}

  /** Cumulative counters at `now`: frames received from the source, frames dropped before detection. */
  observe(now: number, received: number, dropped: number): OverloadState {
    const last = this.samples.at(-1);
    if (last && (received < last.received || dropped < last.dropped)) this.samples.length = 0; // counters restarted
    this.samples.push({ at: now, received, dropped });
    // Keep one sample at or before the window's start so the window is whole; the list stays bounded by it.
    while (this.samples.length > 2 && this.samples[1]!.at <= now - this.o.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const r = received - first.received;
    const d = dropped - first.dropped;
    const dropRate = r > 0 ? Math.min(1, d / r) : 0;
    if (dropRate < this.o.threshold) return { dropRate, overloaded: false };
    const seconds = Math.max(1, Math.round((now - first.at) / 1000));
    return {
      dropRate,
      overloaded: true,
      reason: `detection cannot keep up: ${Math.round(dropRate * 100)} % of frames dropped in the last ${seconds} s (${d} of ${r})`,
    };
  }
}
