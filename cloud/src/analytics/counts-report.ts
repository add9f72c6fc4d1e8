import type { AnalyticsGroupBy, CountSeries, CountTotals, SeriesKey } from '@tally/proto';
import { formatLocal, formatOffset } from './site-time';

/** One row of a counts query: a bucket start, the group columns, and the sums. */
export interface CountsRow {
  start_ms: number | string;
  /** Local wall-clock start, `YYYY-MM-DDTHH:MM:SS`, and the zone's offset then, both from the database. */
  local?: string;
  offset_s?: number | string;
  device_id?: string;
  camera_id?: string;
  rule_id?: string;
  object_class?: string;
  direction?: string;
  n_in: number | string | null;
  n_out: number | string | null;
  n: number | string | null;
}

export function totalsOf(row: Pick<CountsRow, 'n_in' | 'n_out' | 'n'> | undefined): CountTotals {
  const inn = Number(row?.n_in ?? 0);
  const out = Number(row?.n_out ?? 0);
  return { in: inn, out, total: Number(row?.n ?? 0), net: inn - out };
}

export function addTotals(a: CountTotals, b: CountTotals): CountTotals {
  return { in: a.in + b.in, out: a.out + b.out, total: a.total + b.total, net: a.net + b.net };
}

export const ZERO: CountTotals = { in: 0, out: 0, total: 0, net: 0 };

function keyOf(row: CountsRow, groupBy: AnalyticsGroupBy): SeriesKey {
  switch (groupBy) {
    case 'none':
      return {};
    case 'camera':
      return { deviceId: row.device_id!, cameraId: row.camera_id! };
    case 'rule':
      return { deviceId: row.device_id!, cameraId: row.camera_id!, ruleId: row.rule_id! };
    case 'class':
      return { objectClass: row.object_class! };
    case 'direction':
      return { direction: row.direction! };
  }
}

/**
 * Rows (ordered by bucket) into one series per group, each point labelled with its local start and offset.
 * Buckets without any count are absent: a chart fills the gaps.
 */
export function toSeries(
  rows: readonly CountsRow[],
  groupBy: AnalyticsGroupBy,
  timezone: string,
): CountSeries[] {
  const series = new Map<string, CountSeries>();
  for (const row of rows) {
    const key = keyOf(row, groupBy);
    const id = JSON.stringify(key);
    let s = series.get(id);
    if (!s) {
      s = { key, points: [], totals: ZERO };
      series.set(id, s);
    }
    const startMs = Number(row.start_ms);
    const totals = totalsOf(row);
    const start =
      row.local !== undefined
        ? row.local + formatOffset(Number(row.offset_s) / 60)
        : formatLocal(startMs, timezone);
    s.points.push({ start, startMs, ...totals });
    s.totals = addTotals(s.totals, totals);
  }
  return [...series.values()];
}

/** Relative change from the previous period; null when the previous value was 0 (no meaningful ratio). */
export function change(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return Math.round(((current - previous) / previous) * 10_000) / 10_000;
}
