import { createColumnHelper, type ColumnDef } from '@tanstack/react-table';
import { DataTable } from '../../../components/data-table';
import { formatCount } from '../../../lib/format';
import type { ChartData, ChartRow } from './chart-data';

const col = createColumnHelper<ChartRow>();

/** The chart's numbers as a table: one row per bucket, a column per series (and the previous period). */
export function CountsTable({ data }: { data: ChartData }) {
  const columns: ColumnDef<ChartRow, unknown>[] = [
    col.accessor('label', { header: 'Bucket (site time)' }) as ColumnDef<ChartRow, unknown>,
    ...data.series.map(
      (s) =>
        col.accessor((row) => row[s.dataKey] as number, {
          id: s.dataKey,
          header: s.label,
          cell: (c) => formatCount(c.getValue()),
        }) as ColumnDef<ChartRow, unknown>,
    ),
    ...(data.hasPrevious
      ? [
          col.accessor((row) => row.previous as number, {
            id: 'previous',
            header: 'Previous period',
            cell: (c) => formatCount(c.getValue()),
          }) as ColumnDef<ChartRow, unknown>,
        ]
      : []),
  ];
  return <DataTable columns={columns} data={data.rows} caption="Counts per bucket" testId="counts-table" />;
}
