import { LogOut, UserRound, WifiOff } from 'lucide-react';
import { Link, NavLink, Outlet, useParams } from 'react-router';
import { useSession } from '../lib/api-context';
import { may } from '../lib/permissions';
import { useLiveStatus } from '../lib/live-context';
import { useSignOut } from '../features/auth/api/sign-out';
import { AlertToasts } from './alert-toasts';

/** The frame of every signed-in page: header with navigation and the account, a lost-connection banner. */
export function AppLayout() {
  const { user } = useSession();
  const signOut = useSignOut();
  const live = useLiveStatus();
  const { siteId } = useParams();
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Tally
        </Link>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Overview
          </NavLink>
          {siteId && (
            <>
              <NavLink to={`/sites/${siteId}`} end>
                Site
              </NavLink>
              <NavLink to={`/sites/${siteId}/alerts`}>Alerts</NavLink>
              <NavLink to={`/sites/${siteId}/devices`}>Devices</NavLink>
              {may(user, 'camera.setup') && <NavLink to={`/sites/${siteId}/camera-setup`}>Setup</NavLink>}
            </>
          )}
          {may(user, 'model.manage') && <NavLink to="/models">Models</NavLink>}
          {may(user, 'user.manage') && <NavLink to="/users">Users</NavLink>}
          {may(user, 'audit.read') && <NavLink to="/audit">Audit</NavLink>}
        </nav>
        <div className="account">
          <span className={`live-dot ${live}`} title={`Live updates: ${live}`} data-testid="live-status">
            <span className="visually-hidden">Live updates {live}</span>
          </span>
          <NavLink to="/account" aria-label={`Account of ${user?.email ?? ''}`}>
            <UserRound size={18} aria-hidden />
            <span className="hide-narrow">{user?.email}</span>
          </NavLink>
          <button type="button" className="button small" onClick={() => signOut.mutate()}>
            <LogOut size={16} aria-hidden /> <span className="hide-narrow">Sign out</span>
            <span className="visually-hidden show-narrow">Sign out</span>
          </button>
        </div>
      </header>
      {live === 'lost' && (
        <p className="banner" role="alert" data-testid="connection-lost">
          <WifiOff size={16} aria-hidden /> Live connection lost: reconnecting… Counts shown may be behind.
        </p>
      )}
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <AlertToasts />
    </div>
  );
}
