import { queryOptions, useQuery } from '@tanstack/react-query';
import type { User } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/users`: who the actors of the log are (for names, and the user filter). */
export const getActors = (api: ApiClient) => api.json<User[]>('/users');

export const actorsQuery = (api: ApiClient) =>
  queryOptions({ queryKey: ['users'], queryFn: () => getActors(api), staleTime: 60_000 });

export function useActors() {
  return useQuery(actorsQuery(useApi()));
}
