import { Navigate, Outlet, useLocation } from 'react-router';
import { Loading } from '../components/states';
import { useSession } from '../lib/api-context';

/**
 * Guards every page but sign-in. While the first silent refresh runs it waits; without a session it sends the user
 * to sign in with `next` set to this exact page (path, query and hash), so they come back to it afterwards.
 */
export function RequireSession() {
  const { status } = useSession();
  const location = useLocation();
  if (status === 'unknown') return <Loading label="Restoring your session…" />;
  if (status === 'signed-out') {
    const next = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}
