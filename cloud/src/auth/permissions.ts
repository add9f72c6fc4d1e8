import { ROLE_PERMISSIONS, type Permission, type Role } from '@tally/proto';

/**
 * Who may do what: a pure function of the caller's role and sites. Routes call `can()` (or the site helpers) after
 * loading the row, so an out-of-scope site answers 404 like a missing one.
 *
 * | role         | scope         | may                                                                     |
 * |--------------|---------------|-------------------------------------------------------------------------|
 * | owner        | organisation  | everything, including making admins and owners                         |
 * | admin        | organisation  | everything except touching owners                                       |
 * | site_manager | its sites     | read; manage devices, cameras, rules, claim codes, alerts; export       |
 * | installer    | its sites     | read; provision devices (claim codes), edit camera setup and rules      |
 * | viewer       | its sites/all | read                                                                    |
 */
export interface AuthContext {
  userId: string;
  orgId: string;
  role: Role;
  /** The sites a scoped role covers; 'all' for owner and admin (and viewers without a site list). */
  siteIds: string[] | 'all';
}

/** An action a role may be allowed (proto's Permission: the dashboard reads the same list from /api/me). */
export type Action = Permission;

const ORG_WIDE: ReadonlySet<Role> = new Set<Role>(['owner', 'admin']);

/** proto's ROLE_PERMISSIONS (the table the dashboard reads too), as sets. */
const setOf = (role: Role): ReadonlySet<Action> => new Set<Action>(ROLE_PERMISSIONS[role]);
const ALLOWED: Record<Role, ReadonlySet<Action>> = {
  owner: setOf('owner'),
  admin: setOf('admin'),
  site_manager: setOf('site_manager'),
  installer: setOf('installer'),
  viewer: setOf('viewer'),
};

/** Everything the role allows, in a stable order. */
export function allowedActions(role: Role): Action[] {
  return [...ROLE_PERMISSIONS[role]];
}

export function isOrgWide(auth: AuthContext): boolean {
  return ORG_WIDE.has(auth.role);
}

/** Whether the caller's scope covers the site (not whether the role allows an action there). */
export function coversSite(auth: AuthContext, siteId: string): boolean {
  return auth.siteIds === 'all' || auth.siteIds.includes(siteId);
}

/** The role allows `action`, and, when a site is named, the caller's scope covers it. */
export function can(auth: AuthContext, action: Action, siteId?: string): boolean {
  if (!ALLOWED[auth.role].has(action)) return false;
  return siteId === undefined || coversSite(auth, siteId);
}

export function canReadSite(auth: AuthContext, siteId: string): boolean {
  return can(auth, 'site.read', siteId);
}

export function canManageSite(auth: AuthContext, siteId: string): boolean {
  return can(auth, 'device.manage', siteId);
}

/** The sites a list query may return: undefined means every site of the organisation. */
export function visibleSiteIds(auth: AuthContext): string[] | undefined {
  return auth.siteIds === 'all' ? undefined : auth.siteIds;
}

/** Role changes: nobody raises anyone above themselves, and only an owner touches owners. */
export function canAssignRole(auth: AuthContext, target: Role, current?: Role): boolean {
  if (!can(auth, 'user.manage')) return false;
  if (auth.role === 'owner') return true;
  return target !== 'owner' && current !== 'owner';
}

/** The scope stored with a user becomes the token's scope: org-wide roles see everything. */
export function scopeFor(role: Role, siteIds: string[]): string[] | 'all' {
  if (ORG_WIDE.has(role)) return 'all';
  if (role === 'viewer' && siteIds.length === 0) return 'all';
  return siteIds;
}
