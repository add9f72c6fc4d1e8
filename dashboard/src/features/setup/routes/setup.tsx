import { useState } from 'react';
import { Navigate } from 'react-router';
import { Loading } from '../../../components/states';
import { useSetupStatus } from '../../../lib/api/get-setup-status';
import { SetupForm } from '../components/setup-form';

/**
 * First run (like Grafana's or Home Assistant's onboarding): while the cloud has no account, the server logs a
 * one-time token and this page turns it into the first owner. Once any account exists it sends visitors to sign in.
 */
export function SetupRoute() {
  const status = useSetupStatus();
  // Rendered as a <Navigate> (not navigate()): the same render that learns setup is done must go to the notice,
  // or the "no setup needed" redirect below wins the race.
  const [created, setCreated] = useState<string | null>(null);
  if (created) return <Navigate to={`/sign-in?created=${encodeURIComponent(created)}`} replace />;
  if (status.isPending) return <Loading label="Checking setup…" />;
  if (!status.data?.needed) return <Navigate to="/sign-in" replace />;
  return (
    <main className="sign-in">
      <h1>Welcome to Tally</h1>
      <p>
        This cloud has no account yet. Create the first owner with the one-time setup token that the server
        wrote to its log at start (the line that says <q>no account yet</q>).
      </p>
      <SetupForm onDone={setCreated} />
    </main>
  );
}
