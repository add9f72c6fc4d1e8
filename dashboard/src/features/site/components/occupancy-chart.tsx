import type { OccupancyReport } from '@tally/proto';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDecimal } from '../../../lib/format';
import { bucketLabel } from './chart-data';

const COLOURS = ['#059669', '#7c3aed', '#d97706', '#0891b2', '#db2777', '#4b5563'];

/**
 * Occupancy per bucket: each zone's mean (solid) and maximum (dashed). A bucket where the box sent nothing is a gap,
 * not a zero: the API reports it as unknown.
 */
export function OccupancyChart({
  report,
  zoneName,
}: {
  report: OccupancyReport;
  zoneName: (i: number) => string;
}) {
  const bucket = report.bucket ?? 'hour';
  const starts = [...new Set(report.zones.flatMap((z) => (z.series ?? []).map((p) => p.startMs)))].sort(
    (a, b) => a - b,
  );
  const rows = starts.map((ms) => {
    const row: Record<string, number | string | null> = { label: bucketLabel(ms, bucket, report.timezone) };
    report.zones.forEach((z, i) => {
      const p = z.series?.find((x) => x.startMs === ms);
      row[`mean${i}`] = p?.mean ?? null;
      row[`max${i}`] = p?.max ?? null;
    });
    return row;
  });
  return (
    <div className="chart" role="img" aria-label="Occupancy per bucket, mean and maximum per zone">
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="label" minTickGap={24} tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} width={36} tick={{ fontSize: 12 }} />
          <Tooltip formatter={(v) => (v === null || v === undefined ? '—' : formatDecimal(Number(v)))} />
          <Legend />
          {report.zones.flatMap((_, i) => [
            <Line
              key={`mean${i}`}
              dataKey={`mean${i}`}
              name={`${zoneName(i)} (mean)`}
              stroke={COLOURS[i % COLOURS.length]}
              strokeWidth={2}
              // Dots: a bucket between two unknown ones is still visible.
              dot={{ r: 2 }}
              isAnimationActive={false}
            />,
            <Line
              key={`max${i}`}
              dataKey={`max${i}`}
              name={`${zoneName(i)} (max)`}
              stroke={COLOURS[i % COLOURS.length]}
              strokeDasharray="4 3"
              dot={false}
              isAnimationActive={false}
            />,
          ])}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
