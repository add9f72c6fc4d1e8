import type { Me, Permission, Role } from '@tally/proto';

/**
 * Which actions the dashboard offers a user. A button shows only when BOTH hold:
 * - the cloud grants the permission (`/api/me`'s `permissions`), so a pressed button never meets a 403;
 * - the role is one the product offers it to (issue 10: a viewer reads; a site manager also exports and
 *   acknowledges; site managers and admins manage alert rules; installers, site managers and admins set up
 *   cameras), which is narrower than the cloud for viewers, whom the cloud still lets export through the API.
 */
export type UiAction =
  | 'data.export'
  | 'alert.ack'
  | 'alert.manage'
  | 'site.create'
  | 'device.provision'
  | 'device.manage'
  | 'model.manage'
  | 'user.manage'
  | 'audit.read'
  | 'camera.setup';

/** Issue 11: installers provision (claim codes); managing boxes and models is for admins (and site managers' boxes). */
const DEVICES: UiAction[] = ['device.provision', 'device.manage'];
/** Owners and admins: everything the dashboard offers. */
const ORG_ADMIN: UiAction[] = [
  'data.export',
  'alert.ack',
  'alert.manage',
  'site.create',
  ...DEVICES,
  'model.manage',
  'user.manage',
  'audit.read',
  'camera.setup',
];
const OFFERED: Record<Role, ReadonlySet<UiAction>> = {
  owner: new Set([...ORG_ADMIN]),
  admin: new Set([...ORG_ADMIN]),
  site_manager: new Set(['data.export', 'alert.ack', 'alert.manage', ...DEVICES, 'camera.setup']),
  installer: new Set(['device.provision', 'camera.setup']),
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
