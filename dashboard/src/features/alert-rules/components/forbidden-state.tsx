import { Lock } from 'lucide-react';

/** The cloud refused this page to the user's role: say so, and who can help. */
export function ForbiddenState({ message }: { message: string }) {
  return (
    <p className="state error" role="alert" data-testid="forbidden">
      <Lock aria-hidden size={18} /> You cannot see this site’s alert rules ({message}). Ask an admin for
      access.
    </p>
  );
}
