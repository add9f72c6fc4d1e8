import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

export interface Snapshot {
  blob: Blob;
  /** When the box took it (the upload's time); null when unknown. */
  takenAt: number | null;
}

/**
 * `GET /api/devices/:deviceId/cameras/:cameraKey/snapshot`: the latest JPEG the box uploaded. Fetched with the
 * session (an <img src> cannot send the bearer token); null when there is none yet (404).
 */
export async function getSnapshot(
  api: ApiClient,
  deviceId: string,
  cameraKey: string,
): Promise<Snapshot | null> {
  try {
    const { blob, lastModified } = await api.blob(
      `/devices/${encodeURIComponent(deviceId)}/cameras/${encodeURIComponent(cameraKey)}/snapshot`,
    );
    return { blob, takenAt: lastModified };
  } catch (err) {
    if ((err as { status?: number }).status === 404) return null;
    throw err;
  }
}

export const snapshotQuery = (api: ApiClient, deviceId: string, cameraKey: string) =>
  queryOptions({
    queryKey: ['device', deviceId, 'snapshot', cameraKey],
    queryFn: () => getSnapshot(api, deviceId, cameraKey),
    enabled: deviceId !== '' && cameraKey !== '',
    staleTime: Infinity,
  });

export function useSnapshot(deviceId: string, cameraKey: string) {
  return useQuery(snapshotQuery(useApi(), deviceId, cameraKey));
}
