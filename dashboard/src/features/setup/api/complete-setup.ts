import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SetupBody, SetupResult } from '@tally/proto';
import { ApiError } from '../../../lib/api-client';

/** `POST /api/setup`: creates the first organisation and its owner with the one-time token from the server log. */
export async function completeSetup(body: SetupBody): Promise<SetupResult> {
  const res = await fetch('/api/setup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!res.ok) {
    const err = (await res.json().catch(() => null)) as {
      error?: { code?: string; message?: string };
    } | null;
    throw new ApiError(
      res.status,
      err?.error?.code ?? `HTTP_${res.status}`,
      err?.error?.message ?? 'setup failed',
    );
  }
  return (await res.json()) as SetupResult;
}

/**
 * `onCreated` runs from the mutation itself (not from `mutate`'s callbacks, which React Query drops once the form
 * unmounts), and only then is setup marked done: marking it first would let the setup page redirect on its own.
 */
export function useCompleteSetup(onCreated: (result: SetupResult) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: completeSetup,
    onSuccess: (result) => {
      onCreated(result);
      queryClient.setQueryData(['setup-status'], { needed: false });
    },
  });
}
