import type { Me, Permission, Role } from '@tally/proto';

/**
 * Which actions the dashboard offers a user. A button shows only when BOTH hold:
 * - the cloud grants the permission (`/api/me`'s `permissions`), so a pressed button never meets a 403;
 * - the role is one the product offers it to (issue 10: a viewer reads; a site manager also exports and
 *   acknowledges), which is narrower than the cloud for viewers, whom the cloud still lets export through the API;
 *   installers, site managers and admins set up cameras (issue 11).
 */
export type UiAction = 'data.export' | 'alert.ack' | 'camera.setup';

const OFFERED: Record<Role, ReadonlySet<UiAction>> = {
  owner: new Set(['data.export', 'alert.ack', 'camera.setup']),
  admin: new Set(['data.export', 'alert.ack', 'camera.setup']),
  site_manager: new Set(['data.export', 'alert.ack', 'camera.setup']),
  installer: new Set(['camera.setup']),
  viewer: new Set(),
};

export function may(
  user: (Pick<Me, 'role'> & { permissions?: readonly Permission[] }) | null,
  action: UiAction,
): boolean {
  if (!user || !OFFERED[user.role].has(action)) return false;
  // An older cloud without `permissions` in /api/me: the role table alone.
  return user.permissions === undefined || user.permissions.includes(action);
}
