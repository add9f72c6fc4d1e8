import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Rule } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/cameras/:cameraId/rules`: the camera's lines and zones. */
export const getCameraRules = (api: ApiClient, cameraId: string) =>
  api.json<Rule[]>(`/cameras/${cameraId}/rules`);

export const cameraRulesQuery = (api: ApiClient, cameraId: string) =>
  queryOptions({
    queryKey: ['camera', cameraId, 'rules'],
    queryFn: () => getCameraRules(api, cameraId),
    enabled: cameraId !== '',
    // A background refetch would remount the editor and drop unsaved drawing: saving and restoring refetch.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

export function useCameraRules(cameraId: string) {
  return useQuery(cameraRulesQuery(useApi(), cameraId));
}
