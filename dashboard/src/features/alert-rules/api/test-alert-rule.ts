import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AlertRuleTestResult } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import { alertRulesKey } from './get-alert-rules';

/** `POST /api/sites/:siteId/alert-rules/:ruleId/test`: sends a test through each channel, answers each result. */
export const testAlertRule = (api: ApiClient, siteId: string, ruleId: string) =>
  api.json<AlertRuleTestResult>(`/sites/${siteId}/alert-rules/${ruleId}/test`, { method: 'POST', body: {} });

export function useTestAlertRule(siteId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ruleId: string) => testAlertRule(api, siteId, ruleId),
    // The rule's last delivery changed.
    onSettled: () => queryClient.invalidateQueries({ queryKey: alertRulesKey(siteId) }),
  });
}
