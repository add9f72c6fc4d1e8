import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useSetupStatus } from '../../../lib/api/get-setup-status';
import { useSession } from '../../../lib/api-context';
import { SignInForm } from '../components/sign-in-form';

/** Only same-site paths are followed after sign-in, never another origin. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** `/sign-in?next=/sites/…`: after signing in the user lands back on the page where the session ended. */
export function SignInRoute() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const setup = useSetupStatus();
  const next = safeNext(params.get('next'));
  const created = params.get('created');
  if (session.status === 'signed-in') return <Navigate to={next} replace />;
  // A fresh cloud has no account to sign in with: first-run setup creates the owner.
  if (setup.data?.needed) return <Navigate to="/setup" replace />;
  return (
    <main className="sign-in">
      <h1>Tally</h1>
      {session.ended && (
        <p className="notice" role="status">
          Your session ended. Sign in again to continue where you were.
        </p>
      )}
      {created && (
        <p className="notice" role="status">
          The owner account {created} is ready. Sign in with it.
        </p>
      )}
      <SignInForm onSignedIn={() => navigate(next, { replace: true })} />
    </main>
  );
}
