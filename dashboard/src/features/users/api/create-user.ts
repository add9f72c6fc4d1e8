import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateUserBody, User } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import { usersQueryKey } from './get-users';

/** `POST /api/users`: a new user with a role, sites and an initial password (audited as user.create). */
export const createUser = (api: ApiClient, body: CreateUserBody) =>
  api.json<User>('/users', { method: 'POST', body });

export function useCreateUser() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserBody) => createUser(api, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersQueryKey }),
  });
}
