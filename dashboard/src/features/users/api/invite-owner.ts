import { useMutation } from '@tanstack/react-query';
import type { Invitation } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/**
 * `POST /api/invitations` (owners): consent for someone to become an owner of this organisation. The code is
 * returned once; the invitee redeems it with `pnpm cloud create-owner --invitation`.
 */
export const inviteOwner = (api: ApiClient, email: string) =>
  api.json<Invitation>('/invitations', { method: 'POST', body: { email } });

export function useInviteOwner() {
  const api = useApi();
  return useMutation({ mutationFn: (email: string) => inviteOwner(api, email) });
}
