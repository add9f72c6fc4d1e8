import { can, coversSite, type Action, type AuthContext } from '../../auth/permissions';
import { forbidden, notFound } from '../../errors';

/**
 * The check every site-scoped route makes after loading its row (already scoped by organisation): a site outside
 * the caller's scope answers 404 like a missing row; a visible site where the role lacks `action` answers 403.
 */
export function requireOnSite(
  auth: AuthContext,
  siteId: string,
  what: string,
  action: Action = 'site.read',
): void {
  if (!coversSite(auth, siteId)) throw notFound(what);
  if (!can(auth, action, siteId)) throw forbidden(`your role (${auth.role}) cannot do ${action} here`);
}

export function requireOrgAction(auth: AuthContext, action: Action): void {
  if (!can(auth, action)) throw forbidden(`your role (${auth.role}) cannot do ${action}`);
}
