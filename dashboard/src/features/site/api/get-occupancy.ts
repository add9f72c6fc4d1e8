import { queryOptions, useQuery } from '@tanstack/react-query';
import type { OccupancyQuery, OccupancyReport } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import type { KeyRoot } from './get-counts';

/**
 * `GET /api/sites/:siteId/analytics/occupancy`: each zone's latest count (stale when its box went quiet), the range's
 * peak, and with `bucket` a series of mean / max / last per bucket.
 */
export const getOccupancy = (api: ApiClient, siteId: string, query: OccupancyQuery) =>
  api.json<OccupancyReport>(`/sites/${siteId}/analytics/occupancy`, { query: { ...query } });

export const occupancyQuery = (
  api: ApiClient,
  siteId: string,
  query: OccupancyQuery,
  root: KeyRoot = 'site',
) =>
  queryOptions({
    queryKey: [root, siteId, 'occupancy', query],
    queryFn: () => getOccupancy(api, siteId, query),
    staleTime: root === 'live-base' ? Infinity : 15_000,
  });

export function useOccupancy(siteId: string, query: OccupancyQuery, root: KeyRoot = 'site') {
  return useQuery(occupancyQuery(useApi(), siteId, query, root));
}
