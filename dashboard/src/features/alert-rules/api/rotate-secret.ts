import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AlertRuleWithSecret } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import { alertRulesKey } from './get-alert-rules';

/** `POST /api/sites/:siteId/alert-rules/:ruleId/rotate-secret`: a new signing secret, answered this once. */
export const rotateSecret = (api: ApiClient, siteId: string, ruleId: string) =>
  api.json<AlertRuleWithSecret>(`/sites/${siteId}/alert-rules/${ruleId}/rotate-secret`, {
    method: 'POST',
    body: {},
  });

export function useRotateSecret(siteId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ruleId: string) => rotateSecret(api, siteId, ruleId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertRulesKey(siteId) }),
  });
}
