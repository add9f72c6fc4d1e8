/** Shared by the site, alerts and devices features: every page of a site shows its name and zone. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Site } from '@tally/proto';
import type { ApiClient } from '../api-client';
import { useApi } from '../api-context';

/** `GET /api/sites/:siteId`: name and time zone (every chart and range is in the site's zone). */
export const getSite = (api: ApiClient, siteId: string) => api.json<Site>(`/sites/${siteId}`);

export const siteQuery = (api: ApiClient, siteId: string) =>
  queryOptions({
    queryKey: ['site', siteId, 'info'],
    queryFn: () => getSite(api, siteId),
    staleTime: 300_000,
  });

export function useSite(siteId: string) {
  return useQuery(siteQuery(useApi(), siteId));
}
