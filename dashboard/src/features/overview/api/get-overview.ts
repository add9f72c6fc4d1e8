import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Overview } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/overview`: every site the user may read, with today's crossings, occupancy, devices and alerts. */
export const getOverview = (api: ApiClient) => api.json<Overview>('/overview');

export const OVERVIEW_KEY = ['overview'] as const;

export const overviewQuery = (api: ApiClient) =>
  queryOptions({ queryKey: OVERVIEW_KEY, queryFn: () => getOverview(api) });

export function useOverview() {
  return useQuery(overviewQuery(useApi()));
}
