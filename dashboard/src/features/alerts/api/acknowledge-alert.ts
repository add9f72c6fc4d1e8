import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `POST /api/sites/:siteId/alerts/:alertId/ack`: records who acknowledged the alert, and when (audited). */
export const acknowledgeAlert = (api: ApiClient, siteId: string, alertId: string) =>
  api.json<unknown>(`/sites/${siteId}/alerts/${alertId}/ack`, { method: 'POST', body: {} });

export function useAcknowledgeAlert(siteId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (alertId: string) => acknowledgeAlert(api, siteId, alertId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['site', siteId, 'alerts'] }),
  });
}
