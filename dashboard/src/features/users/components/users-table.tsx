import type { Role, Site, User } from '@tally/proto';
import { createColumnHelper, type ColumnDef } from '@tanstack/react-table';
import { DataTable } from '../../../components/data-table';
import { ROLE_LABEL, scopedRole } from './roles';

export type UserAction = 'edit' | 'disable' | 'enable' | 'reset' | 'remove';

const col = createColumnHelper<User>();

/** Which sites the user covers, by name: org-wide roles and site-less viewers cover all. */
function scopeText(u: User, siteName: (id: string) => string): string {
  if (!scopedRole(u.role as Role) || (u.role === 'viewer' && u.siteIds.length === 0)) return 'All sites';
  if (u.siteIds.length === 0) return 'No site';
  return u.siteIds.map(siteName).join(', ');
}

/** The organisation's users; each row's buttons only where the caller may change that user. */
export function UsersTable({
  users,
  sites,
  lockedReason,
  selfId,
  onAction,
}: {
  users: User[];
  sites: Site[];
  lockedReason: (u: User) => string | null;
  selfId: string;
  onAction: (action: UserAction, user: User) => void;
}) {
  const names = new Map(sites.map((s) => [s.id, s.name]));
  const siteName = (id: string) => names.get(id) ?? 'unknown site';
  const columns: ColumnDef<User, unknown>[] = [
    col.display({
      id: 'user',
      header: 'User',
      cell: ({ row }) => (
        <span className="user-cell">
          <strong>{row.original.name || row.original.email}</strong>
          {row.original.name && <span className="muted"> {row.original.email}</span>}
          {row.original.id === selfId && <span className="muted"> (you)</span>}
        </span>
      ),
    }) as ColumnDef<User, unknown>,
    col.accessor('role', { header: 'Role', cell: (c) => ROLE_LABEL[c.getValue() as Role] }) as ColumnDef<
      User,
      unknown
    >,
    col.display({
      id: 'sites',
      header: 'Sites',
      cell: ({ row }) => scopeText(row.original, siteName),
    }) as ColumnDef<User, unknown>,
    col.accessor('disabled', {
      header: 'Status',
      cell: (c) =>
        c.getValue() ? (
          <span className="pill revoked">Disabled</span>
        ) : (
          <span className="pill online">Active</span>
        ),
    }) as ColumnDef<User, unknown>,
    col.display({
      id: 'actions',
      header: 'Actions',
      cell: ({ row }) => {
        const u = row.original;
        const locked = lockedReason(u);
        if (locked) return <span className="muted locked">{locked}</span>;
        const who = u.name || u.email;
        const button = (action: UserAction, label: string) => (
          <button
            type="button"
            className="button small"
            aria-label={`${label} ${who}`}
            onClick={() => onAction(action, u)}
          >
            {label}
          </button>
        );
        return (
          <span className="buttons">
            {button('edit', 'Edit access')}
            {u.disabled ? button('enable', 'Enable') : button('disable', 'Disable')}
            {button('reset', 'Reset password')}
            {button('remove', 'Remove')}
          </span>
        );
      },
    }) as ColumnDef<User, unknown>,
  ];
  return <DataTable columns={columns} data={users} caption="Users" testId="users-table" />;
}
