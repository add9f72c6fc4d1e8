import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Model } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/models`: the organisation's detector model catalogue. */
export const getModels = (api: ApiClient) => api.json<Model[]>('/models');

export const modelsQuery = (api: ApiClient) =>
  queryOptions({ queryKey: ['models'], queryFn: () => getModels(api) });

export function useModels() {
  return useQuery(modelsQuery(useApi()));
}
