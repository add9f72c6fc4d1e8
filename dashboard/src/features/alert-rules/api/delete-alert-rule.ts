import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import { alertRulesKey } from './get-alert-rules';

/** `DELETE /api/sites/:siteId/alert-rules/:ruleId`: its open alerts are resolved; its history stays. */
export const deleteAlertRule = (api: ApiClient, siteId: string, ruleId: string) =>
  api.json<void>(`/sites/${siteId}/alert-rules/${ruleId}`, { method: 'DELETE' });

export function useDeleteAlertRule(siteId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ruleId: string) => deleteAlertRule(api, siteId, ruleId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertRulesKey(siteId) }),
  });
}
