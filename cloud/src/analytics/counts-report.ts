import type {
  AnalyticsGroupBy,
  CountPoint,
  CountSeries,
  CountTotals,
  EventKind,
  KindTotals,
  SeriesKey,
  TotalsChange,
} from '@tally/proto';
import { bucketIndex } from './bucket-starts';
import { formatLocal, formatOffset } from './site-time';

/** One row of a counts query: a bucket start, the group columns, and the sums. */
export interface CountsRow {
  start_ms?: number | string;
  kind?: string;
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

export const KINDS: readonly EventKind[] = ['line_cross', 'zone_enter', 'zone_exit', 'dwell_exceeded'];

export function zeroKinds(): KindTotals {
  return { line_cross: ZERO, zone_enter: ZERO, zone_exit: ZERO, dwell_exceeded: ZERO };
}

function keyOf(row: CountsRow, groupBy: AnalyticsGroupBy): SeriesKey {
  const kind = row.kind as EventKind;
  switch (groupBy) {
    case 'none':
    case 'kind':
      return { kind };
    case 'camera':
      return { kind, deviceId: row.device_id!, cameraId: row.camera_id! };
    case 'rule':
      return { kind, deviceId: row.device_id!, cameraId: row.camera_id!, ruleId: row.rule_id! };
    case 'class':
      return { kind, objectClass: row.object_class! };
    case 'direction':
      return { kind, direction: row.direction! };
  }
}

/** Totals per kind from rows that carry a `kind` (series or the comparison queries). */
export function totalsByKind(items: readonly { kind: string; totals: CountTotals }[]): KindTotals {
  const byKind = zeroKinds();
  for (const { kind, totals } of items) {
    if (kind in byKind) byKind[kind as EventKind] = addTotals(byKind[kind as EventKind], totals);
  }
  return byKind;
}

/**
 * Gives every series one point per bucket start, in order: zeros where nothing was counted. A stored point is
 * placed in the bucket that holds its start (robust to how the database labels a bucket at a DST edge).
 */
export function fillBuckets(
  series: CountSeries[],
  starts: readonly number[],
  timezone: string,
): CountSeries[] {
  return series.map((s) => {
    const points: CountPoint[] = starts.map((startMs) => ({
      start: formatLocal(startMs, timezone),
      startMs,
      ...ZERO,
    }));
    for (const p of s.points) {
      const i = bucketIndex(starts, p.startMs);
      if (i < 0) continue;
      const { start: _start, startMs: _ms, ...totals } = p;
      const slot = points[i]!;
      points[i] = {
        ...slot,
        ...addTotals(slot, totals),
        ...(slot.startMs === p.startMs ? { start: p.start } : {}),
      };
    }
    return { ...s, points };
  });
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

/** Relative changes of total, in and out from an earlier period. */
export function totalsChange(current: CountTotals, earlier: CountTotals): TotalsChange {
  return {
    total: change(current.total, earlier.total),
    in: change(current.in, earlier.in),
    out: change(current.out, earlier.out),
  };
}

/** Relative change from the previous period; null when the previous value was 0 (no meaningful ratio). */
export function change(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return Math.round(((current - previous) / previous) * 10_000) / 10_000;
}
