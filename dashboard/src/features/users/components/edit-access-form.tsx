import type { Role, Site, User } from '@tally/proto';
import { useState } from 'react';
import { assignableRoles, ROLE_HINT, ROLE_LABEL, scopedRole, userLabel } from './roles';
import { SitePicker } from './site-picker';

/** Role and site scope of one user; saving sends only what changed. */
export function EditAccessForm({
  user,
  callerRole,
  sites,
  pending,
  onSave,
  onCancel,
}: {
  user: User;
  callerRole: Role;
  sites: Site[];
  pending: boolean;
  onSave: (change: { role?: Role; siteIds?: string[] }) => void;
  onCancel: () => void;
}) {
  const [role, setRole] = useState<Role>(user.role);
  const [siteIds, setSiteIds] = useState<string[]>(user.siteIds);
  const roles = assignableRoles(callerRole);
  const needsSite = scopedRole(role) && role !== 'viewer' && siteIds.length === 0;
  const save = () => {
    const change: { role?: Role; siteIds?: string[] } = {};
    if (role !== user.role) change.role = role;
    const wanted = scopedRole(role) ? siteIds : [];
    if (wanted.join() !== user.siteIds.join()) change.siteIds = wanted;
    onSave(change);
  };
  return (
    <form
      className="form card"
      aria-label={`Access of ${userLabel(user)}`}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h2>Access of {userLabel(user)}</h2>
      <label>
        Role
        <select
          aria-describedby="role-hint"
          value={role}
          onChange={(e) => setRole(e.currentTarget.value as Role)}
        >
          {(roles.includes(user.role) ? roles : [user.role, ...roles]).map((r) => (
            <option key={r} value={r}>
              {ROLE_LABEL[r]}
            </option>
          ))}
        </select>
      </label>
      <p className="muted hint" id="role-hint">
        {ROLE_HINT[role]}
      </p>
      {scopedRole(role) && (
        <SitePicker
          sites={sites}
          value={siteIds}
          onChange={setSiteIds}
          emptyMeans={role === 'viewer' ? 'every site' : 'no site'}
        />
      )}
      {needsSite && <p className="field-error">Choose at least one site for this role.</p>}
      <p className="buttons">
        <button type="submit" className="button primary" disabled={pending || needsSite}>
          Save access
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </p>
    </form>
  );
}
