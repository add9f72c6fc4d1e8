import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Device } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import { devicesQuery } from './get-devices';

/** `POST /api/devices/:id/revoke`: the box is disconnected at once and can no longer sign in. */
export const revokeDevice = (api: ApiClient, deviceId: string) =>
  api.json<Device>(`/devices/${deviceId}/revoke`, { method: 'POST' });

export function useRevokeDevice(siteId: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (deviceId: string) => revokeDevice(api, deviceId),
    onSettled: () => client.invalidateQueries({ queryKey: devicesQuery(api, siteId).queryKey }),
  });
}
