/** Shared by the sign-in and setup pages: a fresh cloud with no account sends visitors to first-run setup. */
import { useQuery } from '@tanstack/react-query';
import type { SetupStatus } from '@tally/proto';

/**
 * `GET /api/setup` (no session needed). Any failure reads as "not needed": the sign-in page must never be blocked
 * by this check, and the cloud refuses setup on its own once an account exists.
 */
export async function getSetupStatus(): Promise<SetupStatus> {
  try {
    const res = await fetch('/api/setup', { credentials: 'same-origin' });
    if (!res.ok) return { needed: false };
    return (await res.json()) as SetupStatus;
  } catch {
    return { needed: false };
  }
}

export function useSetupStatus() {
  return useQuery({
    queryKey: ['setup-status'],
    queryFn: getSetupStatus,
    staleTime: 10_000,
    retry: false,
    // Asked once per visit: the answer changes only through the setup page, which updates it.
    refetchOnWindowFocus: false,
  });
}
