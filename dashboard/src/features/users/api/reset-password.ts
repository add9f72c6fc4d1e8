import { useMutation } from '@tanstack/react-query';
import type { PasswordReset } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `POST /api/users/:userId/password-reset`: a temporary password, returned once; the user's sessions end. */
export const resetPassword = (api: ApiClient, userId: string) =>
  api.json<PasswordReset>(`/users/${userId}/password-reset`, { method: 'POST', body: {} });

export function useResetPassword() {
  const api = useApi();
  return useMutation({ mutationFn: (userId: string) => resetPassword(api, userId) });
}
