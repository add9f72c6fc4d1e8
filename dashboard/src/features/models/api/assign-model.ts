import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import { fleetQuery } from './get-fleet';

/**
 * `PATCH /api/cameras/:id {modelId}` for each camera: a model is assigned per camera (the cloud sends the box a
 * config naming it); "a device" means all of its cameras. `null` goes back to the box's default model.
 */
export async function assignModel(
  api: ApiClient,
  cameraIds: string[],
  modelId: string | null,
): Promise<void> {
  for (const id of cameraIds) {
    await api.json(`/cameras/${id}`, { method: 'PATCH', body: { modelId } });
  }
}

export function useAssignModel() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { cameraIds: string[]; modelId: string | null }) =>
      assignModel(api, v.cameraIds, v.modelId),
    onSettled: () => client.invalidateQueries({ queryKey: fleetQuery(api).queryKey }),
  });
}
