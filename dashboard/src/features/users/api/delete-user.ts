import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import { usersQueryKey } from './get-users';

/** `DELETE /api/users/:userId`: removes the user and ends its sessions. */
export const deleteUser = (api: ApiClient, userId: string) =>
  api.json<void>(`/users/${userId}`, { method: 'DELETE' });

export function useDeleteUser() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => deleteUser(api, userId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersQueryKey }),
  });
}
