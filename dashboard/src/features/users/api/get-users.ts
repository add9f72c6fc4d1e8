import { queryOptions, useQuery } from '@tanstack/react-query';
import type { User } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/users`: the organisation's users, by email (owners and admins only). */
export const getUsers = (api: ApiClient) => api.json<User[]>('/users');

export const usersQueryKey = ['users'] as const;

export const usersQuery = (api: ApiClient) =>
  queryOptions({ queryKey: usersQueryKey, queryFn: () => getUsers(api) });

export function useUsers() {
  return useQuery(usersQuery(useApi()));
}
