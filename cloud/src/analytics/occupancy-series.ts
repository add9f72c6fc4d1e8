import type { OccupancyPoint } from '@tally/proto';
import { bucketIndex } from './bucket-starts';
import { formatLocal } from './site-time';

export interface OccupancyBucketRow {
  /** `device/camera/zone` */
  zone: string;
  startMs: number;
  mean: number;
  max: number;
  last: number;
  samples: number;
}

/**
 * Per zone, one point per bucket start (pure). A bucket without samples has null mean, max and last: the box did
 * not report then, which is not the same as nobody being there.
 */
export function fillOccupancy(
  rows: readonly OccupancyBucketRow[],
  starts: readonly number[],
  timezone: string,
): Map<string, OccupancyPoint[]> {
  const out = new Map<string, OccupancyPoint[]>();
  for (const r of rows) {
    let points = out.get(r.zone);
    if (!points) {
      points = starts.map((startMs) => ({
        start: formatLocal(startMs, timezone),
        startMs,
        mean: null,
        max: null,
        last: null,
        samples: 0,
      }));
      out.set(r.zone, points);
    }
    const i = bucketIndex(starts, r.startMs);
    if (i < 0) continue;
    points[i] = { ...points[i]!, mean: r.mean, max: r.max, last: r.last, samples: r.samples };
  }
  return out;
}
