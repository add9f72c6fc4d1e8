import type { AnalyticsBucket, AnalyticsGroupBy, CountsReport, SeriesKey } from '@tally/proto';
import { formatInZone } from '../../../lib/format';

/** One plotted line: its data key in the rows and its legend label. */
export interface PlotSeries {
  dataKey: string;
  label: string;
}

export interface ChartRow {
  startMs: number;
  label: string;
  [dataKey: string]: number | string;
}

export interface ChartData {
  series: PlotSeries[];
  rows: ChartRow[];
  /** Present when a previous period was given: its totals per row under `previous`. */
  hasPrevious: boolean;
}

const TICK: Record<AnalyticsBucket, string> = {
  '15m': 'EEE HH:mm',
  hour: 'EEE HH:mm',
  day: 'EEE d MMM',
  week: "'wk' d MMM",
  month: 'MMM yyyy',
};

/** A bucket start as the site's wall clock, e.g. "Tue 14:15" or "Mon 3 Mar". */
export const bucketLabel = (ms: number, bucket: AnalyticsBucket, timezone: string) =>
  formatInZone(ms, timezone, TICK[bucket]);

/** The series' name on screen: the rule's name, the class, the direction, the camera. */
export type LabelOf = (key: SeriesKey) => string;

/**
 * Rows for the chart and the table: one per bucket, a column per series. With no breakdown of line crossings the
 * columns are `in` and `out`; otherwise each series' total. The previous period is aligned bucket by bucket (its
 * n-th bucket beside the current n-th), which also holds across a DST change or months of different lengths.
 */
export function chartData(
  report: CountsReport,
  previous: CountsReport | undefined,
  labelOf: LabelOf,
  kind: string,
): ChartData {
  const inOut = report.groupBy === 'none' && kind === 'line_cross';
  const series: PlotSeries[] = inOut
    ? [
        { dataKey: 'in', label: 'In' },
        { dataKey: 'out', label: 'Out' },
      ]
    : report.series.map((s, i) => ({ dataKey: `s${i}`, label: labelOf(s.key) }));
  const starts = [...new Set(report.series.flatMap((s) => s.points.map((p) => p.startMs)))].sort(
    (a, b) => a - b,
  );
  const rows = new Map<number, ChartRow>(
    starts.map((ms) => [ms, { startMs: ms, label: bucketLabel(ms, report.bucket, report.timezone) }]),
  );
  report.series.forEach((s, i) => {
    for (const p of s.points) {
      const row = rows.get(p.startMs)!;
      if (inOut) {
        row.in = ((row.in as number | undefined) ?? 0) + p.in;
        row.out = ((row.out as number | undefined) ?? 0) + p.out;
      } else {
        row[`s${i}`] = p.total;
      }
    }
  });
  const ordered = [...rows.values()];
  for (const row of ordered) for (const s of series) row[s.dataKey] ??= 0;
  if (previous) {
    const prevPoints = previous.series.find((s) => s.key.kind === kind)?.points ?? [];
    ordered.forEach((row, i) => (row.previous = prevPoints[i]?.total ?? 0));
  }
  return { series, rows: ordered, hasPrevious: previous !== undefined };
}

/** Legend text for a series key under each breakdown. */
export function seriesLabeller(
  groupBy: AnalyticsGroupBy,
  ruleName: (deviceId: string, cameraId: string, ruleId: string) => string | undefined,
): LabelOf {
  return (key) => {
    switch (groupBy) {
      case 'rule':
        return ruleName(key.deviceId ?? '', key.cameraId ?? '', key.ruleId ?? '') ?? key.ruleId ?? '?';
      case 'class':
        return key.objectClass ?? '?';
      case 'direction':
        return key.direction === '' || key.direction === undefined ? 'no direction' : key.direction;
      case 'camera':
        return key.cameraId ?? '?';
      default:
        return 'Total';
    }
  };
}
