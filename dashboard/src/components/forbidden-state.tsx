import { Lock } from 'lucide-react';
import { ApiError } from '../lib/api-client';

/** Whether an API error means "not for you" (403), as opposed to a failure worth retrying. */
export const isForbidden = (error: unknown): boolean => error instanceof ApiError && error.status === 403;

/** What a page shows to a role that may not use it: what is missing and whom to ask, never a blank page. */
export function ForbiddenState({ what }: { what: string }) {
  return (
    <div className="state error" role="alert">
      <Lock aria-hidden size={18} />{' '}
      <span>You do not have access to {what}: ask an administrator of your organisation.</span>
    </div>
  );
}
