import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import { claimCodesQuery } from './get-claim-codes';

/** `DELETE /api/claim-codes/:id`: provisioning with it fails from now on. */
export const revokeClaimCode = (api: ApiClient, id: string) =>
  api.json<void>(`/claim-codes/${id}`, { method: 'DELETE' });

export function useRevokeClaimCode(siteId: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => revokeClaimCode(api, id),
    onSettled: () => client.invalidateQueries({ queryKey: claimCodesQuery(api, siteId).queryKey }),
  });
}
