import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReplaceRulesBody, Rule } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

export interface SavedRules {
  rules: Rule[];
  config: { version: number; hash: string };
}

/** `PUT /api/cameras/:cameraId/rules`: the camera's whole rule set, issued to the box as one new config version. */
export const saveCameraRules = (api: ApiClient, cameraId: string, body: ReplaceRulesBody) =>
  api.json<SavedRules>(`/cameras/${cameraId}/rules`, { method: 'PUT', body });

export function useSaveRules(cameraId: string, deviceId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ReplaceRulesBody) => saveCameraRules(api, cameraId, body),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['camera', cameraId, 'rules'] }),
        queryClient.invalidateQueries({ queryKey: ['device', deviceId, 'config-versions'] }),
      ]),
  });
}
