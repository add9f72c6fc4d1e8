import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount } from '../../../lib/format';
import type { ChartData } from './chart-data';

const COLOURS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#4b5563'];

/** The counts per bucket, one line per series, and the previous period as a dashed grey line. */
export function CountsChart({ data }: { data: ChartData }) {
  return (
    <div className="chart" role="img" aria-label="Counts per bucket; the table below has the same numbers">
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={data.rows} margin={{ top: 8, right: 12, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="label" minTickGap={24} tick={{ fontSize: 12 }} />
          <YAxis
            allowDecimals={false}
            width={44}
            tick={{ fontSize: 12 }}
            tickFormatter={(v: number) => formatCount(v)}
          />
          <Tooltip formatter={(v) => formatCount(Number(v))} />
          <Legend />
          {data.series.map((s, i) => (
            <Line
              key={s.dataKey}
              dataKey={s.dataKey}
              name={s.label}
              stroke={COLOURS[i % COLOURS.length]}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          ))}
          {data.hasPrevious && (
            <Line
              dataKey="previous"
              name="Previous period (total)"
              stroke="#9ca3af"
              strokeDasharray="5 4"
              dot={false}
              isAnimationActive={false}
            />
          )}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
