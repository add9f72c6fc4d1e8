import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Site } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/sites`: every site the user may see. */
export const getSites = (api: ApiClient) => api.json<Site[]>('/sites');

export const sitesQuery = (api: ApiClient) =>
  queryOptions({ queryKey: ['sites'], queryFn: () => getSites(api) });

export function useSites() {
  return useQuery(sitesQuery(useApi()));
}
