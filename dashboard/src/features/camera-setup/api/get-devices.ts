import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Device } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/devices?siteId=`: the boxes to pick from, with their config state (pending/applied/rejected). */
export const getDevices = (api: ApiClient, siteId: string) =>
  api.json<Device[]>('/devices', { query: { siteId } });

export const setupDevicesQuery = (api: ApiClient, siteId: string) =>
  queryOptions({ queryKey: ['site', siteId, 'devices'], queryFn: () => getDevices(api, siteId) });

export function useSetupDevices(siteId: string) {
  return useQuery(setupDevicesQuery(useApi(), siteId));
}
