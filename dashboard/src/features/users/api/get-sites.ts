import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Site } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/sites`: the sites a user's scope can name. */
export const getSites = (api: ApiClient) => api.json<Site[]>('/sites');

export const sitesQuery = (api: ApiClient) =>
  queryOptions({ queryKey: ['sites', 'list'], queryFn: () => getSites(api), staleTime: 60_000 });

export function useSites() {
  return useQuery(sitesQuery(useApi()));
}
