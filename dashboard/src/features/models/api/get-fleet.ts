import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Camera, Device } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

export interface Fleet {
  devices: Device[];
  cameras: Camera[];
}

/**
 * `GET /api/devices` and `GET /api/cameras` of every visible site: which boxes run which model (their heartbeat)
 * and which camera is assigned which.
 */
export const getFleet = async (api: ApiClient): Promise<Fleet> => {
  const [devices, cameras] = await Promise.all([
    api.json<Device[]>('/devices'),
    api.json<Camera[]>('/cameras'),
  ]);
  return { devices, cameras };
};

export const fleetQuery = (api: ApiClient) =>
  queryOptions({ queryKey: ['models', 'fleet'], queryFn: () => getFleet(api) });

export function useFleet() {
  return useQuery(fleetQuery(useApi()));
}
