import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Camera, CreateCameraBody } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `POST /api/devices/:deviceId/cameras`: a new camera on the box, issued to it as a new config version. */
export const createCamera = (api: ApiClient, deviceId: string, body: CreateCameraBody) =>
  api.json<{ camera: Camera; config: { version: number } }>(`/devices/${deviceId}/cameras`, {
    method: 'POST',
    body,
  });

export function useCreateCamera(deviceId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCameraBody) => createCamera(api, deviceId, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['device', deviceId] }),
  });
}
