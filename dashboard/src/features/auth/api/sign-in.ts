import { useMutation } from '@tanstack/react-query';
import type { LoginBody, TokenPair } from '@tally/proto';
import { ApiError } from '../../../lib/api-client';
import { useSessionStore } from '../../../lib/api-context';

/** `POST /api/auth/login` with `session: 'cookie'`: the refresh token comes back only as the httpOnly cookie. */
export async function signIn(body: Omit<LoginBody, 'session'>): Promise<TokenPair> {
  const res = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, session: 'cookie' } satisfies LoginBody),
    credentials: 'same-origin',
  });
  if (!res.ok) {
    const err = (await res.json().catch(() => null)) as {
      error?: { code?: string; message?: string };
    } | null;
    throw new ApiError(
      res.status,
      err?.error?.code ?? `HTTP_${res.status}`,
      err?.error?.message ?? 'sign-in failed',
    );
  }
  return (await res.json()) as TokenPair;
}

export function useSignIn() {
  const session = useSessionStore();
  return useMutation({
    mutationFn: async (body: Omit<LoginBody, 'session'>) => {
      const tokens = await signIn(body);
      await session.signedIn(tokens.accessToken, tokens.expiresIn);
    },
  });
}
