import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ClaimCode, CreateClaimCodeBody } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import { claimCodesQuery } from './get-claim-codes';

/** `POST /api/sites/:siteId/claim-codes`: the answer is the only time the code is ever shown. */
export const createClaimCode = (api: ApiClient, siteId: string, body: CreateClaimCodeBody) =>
  api.json<ClaimCode>(`/sites/${siteId}/claim-codes`, { method: 'POST', body });

export function useCreateClaimCode(siteId: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateClaimCodeBody) => createClaimCode(api, siteId, body),
    onSettled: () => client.invalidateQueries({ queryKey: claimCodesQuery(api, siteId).queryKey }),
  });
}
