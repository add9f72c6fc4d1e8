import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Device } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/devices?siteId=`: the site's boxes: status, last contact, config state. */
export const getDevices = (api: ApiClient, siteId: string) =>
  api.json<Device[]>('/devices', { query: { siteId } });

export const devicesQuery = (api: ApiClient, siteId: string) =>
  queryOptions({ queryKey: ['site', siteId, 'devices'], queryFn: () => getDevices(api, siteId) });

/** `pollMs`: refetch this often (while a claim code is on screen, so the new box shows up by itself). */
export function useDevices(siteId: string, pollMs?: number) {
  return useQuery({ ...devicesQuery(useApi(), siteId), refetchInterval: pollMs ?? false });
}
