import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AlertRule, AlertRuleBody, AlertRulePatch, AlertRuleWithSecret } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import { alertRulesKey } from './get-alert-rules';

/** `POST /api/sites/:siteId/alert-rules`: answers the rule with its webhook secret, this once. */
export const createAlertRule = (api: ApiClient, siteId: string, body: AlertRuleBody) =>
  api.json<AlertRuleWithSecret>(`/sites/${siteId}/alert-rules`, { method: 'POST', body });

/**
 * `PATCH /api/sites/:siteId/alert-rules/:ruleId`: edit, enable or disable. An edit that adds the rule's first
 * webhook is answered with its new secret, this once.
 */
export const updateAlertRule = (api: ApiClient, siteId: string, ruleId: string, patch: AlertRulePatch) =>
  api.json<AlertRule & { webhookSecret?: string }>(`/sites/${siteId}/alert-rules/${ruleId}`, {
    method: 'PATCH',
    body: patch,
  });

export function useCreateAlertRule(siteId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AlertRuleBody) => createAlertRule(api, siteId, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertRulesKey(siteId) }),
  });
}

export function useUpdateAlertRule(siteId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ ruleId, patch }: { ruleId: string; patch: AlertRulePatch }) =>
      updateAlertRule(api, siteId, ruleId, patch),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertRulesKey(siteId) }),
  });
}
