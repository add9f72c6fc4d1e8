import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ValidationIssue } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

export interface ConfigVersion {
  version: number;
  hash: string;
  status: 'pending' | 'applied' | 'rejected' | 'superseded';
  errors?: ValidationIssue[];
  createdAt: string;
  answeredAt: string | null;
}

/** `GET /api/devices/:deviceId/config-versions`: newest first, with what the box answered. */
export const getConfigVersions = (api: ApiClient, deviceId: string) =>
  api.json<ConfigVersion[]>(`/devices/${encodeURIComponent(deviceId)}/config-versions`);

/** While the newest version waits for the box's answer, asks again every 2 s. */
export const configVersionsQuery = (api: ApiClient, deviceId: string) =>
  queryOptions({
    queryKey: ['device', deviceId, 'config-versions'],
    queryFn: () => getConfigVersions(api, deviceId),
    enabled: deviceId !== '',
    refetchInterval: (query) => (query.state.data?.[0]?.status === 'pending' ? 2000 : false),
  });

export function useConfigVersions(deviceId: string) {
  return useQuery(configVersionsQuery(useApi(), deviceId));
}
