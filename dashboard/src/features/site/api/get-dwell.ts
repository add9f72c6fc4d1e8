import { queryOptions, useQuery } from '@tanstack/react-query';
import type { DwellReport, RangeQuery } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/sites/:siteId/analytics/dwell`: per zone, how long visits lasted. */
export const getDwell = (api: ApiClient, siteId: string, query: RangeQuery) =>
  api.json<DwellReport>(`/sites/${siteId}/analytics/dwell`, { query: { ...query } });

export const dwellQuery = (api: ApiClient, siteId: string, query: RangeQuery) =>
  queryOptions({ queryKey: ['site', siteId, 'dwell', query], queryFn: () => getDwell(api, siteId, query) });

export function useDwell(siteId: string, query: RangeQuery) {
  return useQuery(dwellQuery(useApi(), siteId, query));
}
