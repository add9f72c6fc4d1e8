import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AlertRule } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/sites/:siteId/alert-rules`: the site's rules with their last delivery per channel. */
export const getAlertRules = (api: ApiClient, siteId: string) =>
  api.json<AlertRule[]>(`/sites/${siteId}/alert-rules`);

export const alertRulesKey = (siteId: string) => ['site', siteId, 'alert-rules'] as const;

export const alertRulesQuery = (api: ApiClient, siteId: string) =>
  queryOptions({ queryKey: alertRulesKey(siteId), queryFn: () => getAlertRules(api, siteId) });

export function useAlertRules(siteId: string) {
  return useQuery(alertRulesQuery(useApi(), siteId));
}
