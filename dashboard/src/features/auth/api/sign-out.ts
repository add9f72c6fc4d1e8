import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSessionStore } from '../../../lib/api-context';

/** `POST /api/auth/logout`: the cloud revokes the cookie's refresh token and clears the cookie. */
export async function signOut(): Promise<void> {
  await fetch('/api/auth/logout', { method: 'POST', credentials: 'same-origin' });
}

export function useSignOut() {
  const session = useSessionStore();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    // Signed out locally even when the network failed: the access token dies with the page anyway.
    onSettled: () => {
      session.end(false);
      queryClient.clear();
    },
  });
}
