import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Camera } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/cameras?siteId=`: the site's cameras (their keys and names label counts). */
export const getCameras = (api: ApiClient, siteId: string) =>
  api.json<Camera[]>('/cameras', { query: { siteId } });

export const camerasQuery = (api: ApiClient, siteId: string) =>
  queryOptions({
    queryKey: ['site', siteId, 'cameras'],
    queryFn: () => getCameras(api, siteId),
    staleTime: 60_000,
  });

export function useCameras(siteId: string) {
  return useQuery(camerasQuery(useApi(), siteId));
}
