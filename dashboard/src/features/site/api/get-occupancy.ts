import { queryOptions, useQuery } from '@tanstack/react-query';
import type { OccupancyReport, RangeQuery } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import type { KeyRoot } from './get-counts';

/** `GET /api/sites/:siteId/analytics/occupancy`: each zone's latest count and the range's peak. */
export const getOccupancy = (api: ApiClient, siteId: string, query: RangeQuery) =>
  api.json<OccupancyReport>(`/sites/${siteId}/analytics/occupancy`, { query: { ...query } });

export const occupancyQuery = (api: ApiClient, siteId: string, query: RangeQuery, root: KeyRoot = 'site') =>
  queryOptions({
    queryKey: [root, siteId, 'occupancy', query],
    queryFn: () => getOccupancy(api, siteId, query),
    staleTime: root === 'live-base' ? Infinity : 15_000,
  });

export function useOccupancy(siteId: string, query: RangeQuery, root: KeyRoot = 'site') {
  return useQuery(occupancyQuery(useApi(), siteId, query, root));
}
