import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Camera } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/devices/:deviceId/cameras`: a box's cameras with their setup (the URL's password masked). */
export const getDeviceCameras = (api: ApiClient, deviceId: string) =>
  api.json<Camera[]>(`/devices/${encodeURIComponent(deviceId)}/cameras`);

export const deviceCamerasQuery = (api: ApiClient, deviceId: string) =>
  queryOptions({
    queryKey: ['device', deviceId, 'cameras'],
    queryFn: () => getDeviceCameras(api, deviceId),
    enabled: deviceId !== '',
  });

export function useDeviceCameras(deviceId: string) {
  return useQuery(deviceCamerasQuery(useApi(), deviceId));
}
