import type { AuditEntry, User } from '@tally/proto';
import { createColumnHelper, type ColumnDef } from '@tanstack/react-table';
import { format } from 'date-fns';
import { DataTable } from '../../../components/data-table';

const col = createColumnHelper<AuditEntry>();

/** Details as short `key: value` text (the full JSON is in the CSV export). */
function detailsText(d: AuditEntry['details']): string {
  if (!d) return '';
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

/** One page of the log: when (browser time), who (email, or the device), what, on what, from where. */
export function AuditTable({ entries, users }: { entries: AuditEntry[]; users: User[] }) {
  const emails = new Map(users.map((u) => [u.id, u.email]));
  const who = (e: AuditEntry) =>
    e.actorUserId
      ? (emails.get(e.actorUserId) ?? `removed user ${e.actorUserId.slice(0, 8)}`)
      : e.actorDeviceId
        ? `device ${e.actorDeviceId}`
        : '—';
  const columns: ColumnDef<AuditEntry, unknown>[] = [
    col.accessor('createdAt', {
      header: 'When',
      cell: (c) => <span className="nowrap">{format(new Date(c.getValue()), 'd MMM yyyy HH:mm:ss')}</span>,
    }) as ColumnDef<AuditEntry, unknown>,
    col.display({ id: 'who', header: 'User', cell: ({ row }) => who(row.original) }) as ColumnDef<
      AuditEntry,
      unknown
    >,
    col.accessor('action', {
      header: 'Action',
      cell: (c) => <code className="mono">{c.getValue()}</code>,
    }) as ColumnDef<AuditEntry, unknown>,
    col.display({
      id: 'target',
      header: 'Target',
      cell: ({ row }) =>
        row.original.targetType ? (
          <span>
            {row.original.targetType}{' '}
            <span className="muted mono">{row.original.targetId ? row.original.targetId : ''}</span>
          </span>
        ) : (
          '—'
        ),
    }) as ColumnDef<AuditEntry, unknown>,
    col.accessor('ip', { header: 'Address', cell: (c) => c.getValue() ?? '—' }) as ColumnDef<
      AuditEntry,
      unknown
    >,
    col.display({
      id: 'details',
      header: 'Details',
      cell: ({ row }) => <span className="details">{detailsText(row.original.details)}</span>,
    }) as ColumnDef<AuditEntry, unknown>,
  ];
  return <DataTable columns={columns} data={entries} caption="Audit log" testId="audit-table" />;
}
