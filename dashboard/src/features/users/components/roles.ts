import type { Role, User } from '@tally/proto';

export const ROLE_LABEL: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  site_manager: 'Site manager',
  installer: 'Installer',
  viewer: 'Viewer',
};

/** What each role is for, shown under the role picker. */
export const ROLE_HINT: Record<Role, string> = {
  owner: 'everything, including owners and admins',
  admin: 'everything except changing owners',
  site_manager: 'its sites: devices, cameras, rules, alerts, exports',
  installer: 'its sites: provisions boxes and sets up cameras',
  viewer: 'reads counts; no site chosen means every site',
};

const ORDER: Role[] = ['owner', 'admin', 'site_manager', 'installer', 'viewer'];

/** The roles the caller may give (the cloud's rule: only an owner makes or changes owners). */
export function assignableRoles(caller: Role): Role[] {
  return caller === 'owner' ? ORDER : ORDER.filter((r) => r !== 'owner');
}

export const LAST_OWNER_REASON =
  'Last owner: make another user an owner before changing or removing this one';

/**
 * Why the caller may not change this user here, or null when they may: the cloud's rules (it refuses the same
 * requests), said before a button is pressed. The last enabled owner comes first: it is the reason that holds
 * whoever asks.
 */
export function lockedReason(caller: { id: string; role: Role }, target: User, users: User[]): string | null {
  const owners = users.filter((u) => u.role === 'owner' && !u.disabled);
  if (target.role === 'owner' && !target.disabled && owners.length === 1) return LAST_OWNER_REASON;
  if (caller.id === target.id) return 'Your own account: ask another owner or admin to change it';
  if (caller.role !== 'owner' && target.role === 'owner') return 'Only an owner can change an owner';
  return null;
}

/** Whether the role is scoped to sites (owners and admins see every site whatever is stored). */
export const scopedRole = (role: Role) => role !== 'owner' && role !== 'admin';

/** "Name (email)", or the email alone: how confirmations name a user. */
export const userLabel = (u: Pick<User, 'name' | 'email'>) => (u.name ? `${u.name} (${u.email})` : u.email);
