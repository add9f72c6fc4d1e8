import type { Role } from '@tally/proto';

/**
 * What the dashboard shows each role, mirroring the cloud's table (cloud/src/auth/permissions.ts) for the actions
 * the pages offer: a viewer reads; a site manager also exports and acknowledges alerts; owners and admins do all.
 * A button for an action the role lacks is never rendered, so no one clicks into a 403.
 */
export type UiAction = 'data.export' | 'alert.acknowledge' | 'device.read';

const ALLOWED: Record<Role, ReadonlySet<UiAction>> = {
  owner: new Set(['data.export', 'alert.acknowledge', 'device.read']),
  admin: new Set(['data.export', 'alert.acknowledge', 'device.read']),
  site_manager: new Set(['data.export', 'alert.acknowledge', 'device.read']),
  installer: new Set(['device.read']),
  viewer: new Set(['device.read']),
};

export function may(role: Role | undefined, action: UiAction): boolean {
  return role !== undefined && ALLOWED[role].has(action);
}
