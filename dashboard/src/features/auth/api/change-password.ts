import { useMutation } from '@tanstack/react-query';
import type { ChangePasswordBody } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `POST /api/auth/password`: the cloud also revokes every other session of the user. */
export const changePassword = (api: ApiClient, body: ChangePasswordBody) =>
  api.json<void>('/auth/password', { method: 'POST', body });

export function useChangePassword() {
  const api = useApi();
  return useMutation({ mutationFn: (body: ChangePasswordBody) => changePassword(api, body) });
}
