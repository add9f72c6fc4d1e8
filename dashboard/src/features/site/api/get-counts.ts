import { queryOptions, useQuery } from '@tanstack/react-query';
import type { CountsQuery, CountsReport } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/**
 * Query keys start with `site` (refetched when live messages about the site arrive) or `live-base` (loaded once:
 * the live counters add the socket's deltas to it themselves).
 */
export type KeyRoot = 'site' | 'live-base';

/** `GET /api/sites/:siteId/analytics/counts`: totals and series per bucket, in the site's time zone. */
export const getCounts = (api: ApiClient, siteId: string, query: CountsQuery) =>
  api.json<CountsReport>(`/sites/${siteId}/analytics/counts`, { query: { ...query } });

export const countsQuery = (api: ApiClient, siteId: string, query: CountsQuery, root: KeyRoot = 'site') =>
  queryOptions({
    queryKey: [root, siteId, 'counts', query],
    queryFn: () => getCounts(api, siteId, query),
    staleTime: root === 'live-base' ? Infinity : 15_000,
  });

export function useCounts(siteId: string, query: CountsQuery, root: KeyRoot = 'site', enabled = true) {
  return useQuery({ ...countsQuery(useApi(), siteId, query, root), enabled });
}
