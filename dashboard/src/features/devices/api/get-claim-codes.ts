import { queryOptions, useQuery } from '@tanstack/react-query';
import type { OpenClaimCode } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/sites/:siteId/claim-codes`: codes not yet used, revoked or expired (never the code itself). */
export const getClaimCodes = (api: ApiClient, siteId: string) =>
  api.json<OpenClaimCode[]>(`/sites/${siteId}/claim-codes`);

export const claimCodesQuery = (api: ApiClient, siteId: string) =>
  queryOptions({ queryKey: ['site', siteId, 'claim-codes'], queryFn: () => getClaimCodes(api, siteId) });

export function useClaimCodes(siteId: string, enabled: boolean) {
  return useQuery({ ...claimCodesQuery(useApi(), siteId), enabled });
}
