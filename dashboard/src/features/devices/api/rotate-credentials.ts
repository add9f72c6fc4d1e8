import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DeviceCredentials } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import { devicesQuery } from './get-devices';

/**
 * `POST /api/devices/:id/credentials`: a new MQTT password, shown once. The cloud hands it to a connected box over
 * its session and keeps the old one working for the default overlap, so a box that is online switches by itself.
 */
export const rotateCredentials = (api: ApiClient, deviceId: string) =>
  api.json<DeviceCredentials>(`/devices/${deviceId}/credentials`, { method: 'POST' });

export function useRotateCredentials(siteId: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (deviceId: string) => rotateCredentials(api, deviceId),
    onSettled: () => client.invalidateQueries({ queryKey: devicesQuery(api, siteId).queryKey }),
  });
}
