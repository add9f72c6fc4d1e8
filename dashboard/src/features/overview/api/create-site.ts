import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateSiteBody, Site } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';
import { OVERVIEW_KEY } from './get-overview';

/** `POST /api/sites` (owners and admins): the cloud checks the time zone against PostgreSQL's list. */
export const createSite = (api: ApiClient, body: CreateSiteBody) =>
  api.json<Site>('/sites', { method: 'POST', body });

export function useCreateSite() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSiteBody) => createSite(api, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: OVERVIEW_KEY }),
  });
}
