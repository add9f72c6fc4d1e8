import { queryOptions, useQuery } from '@tanstack/react-query';
import type { CountsQuery, CountsReport } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/sites/:siteId/analytics/counts`. */
export const getCounts = (api: ApiClient, siteId: string, query: CountsQuery) =>
  api.json<CountsReport>(`/sites/${siteId}/analytics/counts`, { query: { ...query } });

export const countsQuery = (api: ApiClient, siteId: string, query: CountsQuery) =>
  queryOptions({
    queryKey: ['site', siteId, 'counts', query],
    queryFn: () => getCounts(api, siteId, query),
  });

export function useCounts(siteId: string, query: CountsQuery) {
  return useQuery(countsQuery(useApi(), siteId, query));
}
