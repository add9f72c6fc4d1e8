import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import { modelsQuery } from './get-models';

/** `DELETE /api/models/:id`: the catalogue entry and its file. */
export const deleteModel = (api: ApiClient, id: string) =>
  api.json<void>(`/models/${id}`, { method: 'DELETE' });

export function useDeleteModel() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteModel(api, id),
    onSettled: () => client.invalidateQueries({ queryKey: modelsQuery(api).queryKey }),
  });
}
