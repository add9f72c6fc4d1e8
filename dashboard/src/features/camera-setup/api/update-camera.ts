import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Camera } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import type { SetupPatch } from '../components/source-patch';

/** `PATCH /api/cameras/:cameraId`: the camera's source and detection settings, issued as a new config version. */
export const updateCamera = (api: ApiClient, cameraId: string, setup: SetupPatch) =>
  api.json<{ camera: Camera; config: { version: number } }>(`/cameras/${cameraId}`, {
    method: 'PATCH',
    body: { setup },
  });

export function useUpdateCamera(cameraId: string, deviceId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (setup: SetupPatch) => updateCamera(api, cameraId, setup),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['device', deviceId] }),
  });
}
