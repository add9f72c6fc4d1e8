import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UpdateUserBody, User } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import { usersQueryKey } from './get-users';

/** `PATCH /api/users/:userId`: role, sites, name, or disabled. The cloud refuses to leave no owner (409). */
export const updateUser = (api: ApiClient, userId: string, body: UpdateUserBody) =>
  api.json<User>(`/users/${userId}`, { method: 'PATCH', body });

export function useUpdateUser() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, body }: { userId: string; body: UpdateUserBody }) => updateUser(api, userId, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersQueryKey }),
  });
}
