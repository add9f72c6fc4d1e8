import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AlertEvent } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/sites/:siteId/alerts?state=firing`: the site's open alerts. */
export const getOpenAlerts = (api: ApiClient, siteId: string) =>
  api.json<AlertEvent[]>(`/sites/${siteId}/alerts`, { query: { state: 'firing' } });

export const openAlertsQuery = (api: ApiClient, siteId: string) =>
  queryOptions({ queryKey: ['site', siteId, 'alerts', 'firing'], queryFn: () => getOpenAlerts(api, siteId) });

export function useOpenAlerts(siteId: string) {
  return useQuery(openAlertsQuery(useApi(), siteId));
}
