import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RestoreResult } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `POST /api/devices/:deviceId/config-versions/:version/restore`: that version's cameras and rules, as a new version. */
export const restoreVersion = (api: ApiClient, deviceId: string, version: number) =>
  api.json<RestoreResult>(`/devices/${encodeURIComponent(deviceId)}/config-versions/${version}/restore`, {
    method: 'POST',
  });

export function useRestoreVersion(deviceId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (version: number) => restoreVersion(api, deviceId, version),
    // Rules and setups of every camera of the box may have changed.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['device', deviceId] }),
        queryClient.invalidateQueries({ queryKey: ['camera'] }),
      ]),
  });
}
