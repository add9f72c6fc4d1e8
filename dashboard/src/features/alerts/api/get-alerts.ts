import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AlertEvent } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/sites/:siteId/alerts`: the site's alerts, newest first (open and past). */
export const getAlerts = (api: ApiClient, siteId: string) =>
  api.json<AlertEvent[]>(`/sites/${siteId}/alerts`, { query: { limit: 200 } });

export const alertsQuery = (api: ApiClient, siteId: string) =>
  queryOptions({ queryKey: ['site', siteId, 'alerts', 'all'], queryFn: () => getAlerts(api, siteId) });

export function useAlerts(siteId: string) {
  return useQuery(alertsQuery(useApi(), siteId));
}
