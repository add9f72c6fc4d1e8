import type { AlertEvent } from '@tally/proto';
import { createColumnHelper, type ColumnDef } from '@tanstack/react-table';
import { Check } from 'lucide-react';
import { DataTable } from '../../../components/data-table';
import { formatInZone } from '../../../lib/format';

/** An alert as listed; `acknowledged` is absent only from a cloud that does not record acknowledgements. */
export type ShownAlert = Omit<AlertEvent, 'acknowledged'> & Partial<Pick<AlertEvent, 'acknowledged'>>;

const col = createColumnHelper<ShownAlert>();

/** Alerts with their state and times in the site's zone; the acknowledge button only for roles that may. */
export function AlertsTable({
  alerts,
  timezone,
  canAcknowledge,
  onAcknowledge,
  pendingId,
  caption,
}: {
  alerts: ShownAlert[];
  timezone: string;
  canAcknowledge: boolean;
  onAcknowledge: (id: string) => void;
  pendingId: string | null;
  caption: string;
}) {
  const when = (iso: string | null | undefined) =>
    iso ? formatInZone(Date.parse(iso), timezone, 'd MMM HH:mm') : '—';
  const columns: ColumnDef<ShownAlert, unknown>[] = [
    col.accessor('state', {
      header: 'State',
      cell: (c) => <span className={`pill ${c.getValue()}`}>{c.getValue()}</span>,
    }) as ColumnDef<ShownAlert, unknown>,
    col.accessor('message', { header: 'Alert' }) as ColumnDef<ShownAlert, unknown>,
    col.accessor('startedAt', { header: 'Started', cell: (c) => when(c.getValue()) }) as ColumnDef<
      ShownAlert,
      unknown
    >,
    col.accessor('resolvedAt', { header: 'Resolved', cell: (c) => when(c.getValue()) }) as ColumnDef<
      ShownAlert,
      unknown
    >,
    col.display({
      id: 'ack',
      header: 'Acknowledged',
      cell: ({ row }) =>
        row.original.acknowledged ? (
          <span>
            <Check size={14} aria-hidden /> {when(row.original.acknowledged.at)}
            {row.original.acknowledged.email ? ` by ${row.original.acknowledged.email}` : ''}
          </span>
        ) : canAcknowledge ? (
          <button
            type="button"
            className="button small"
            disabled={pendingId === row.original.id}
            onClick={() => onAcknowledge(row.original.id)}
          >
            Acknowledge
          </button>
        ) : (
          '—'
        ),
    }) as ColumnDef<ShownAlert, unknown>,
  ];
  return <DataTable columns={columns} data={alerts} caption={caption} testId="alerts-table" />;
}
