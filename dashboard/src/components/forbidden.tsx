import { ShieldOff } from 'lucide-react';
import { Link } from 'react-router';

/**
 * What a page shows to a signed-in user whose role may not use it (reached by a link or a typed URL): why, and the
 * way back. The cloud refuses the same requests with 403, so hiding the page is convenience, not the protection.
 */
export function Forbidden({ what }: { what: string }) {
  return (
    <section className="page" data-testid="forbidden">
      <h1>Not available</h1>
      <div className="state error" role="alert">
        <ShieldOff aria-hidden size={18} />
        <span>Your role cannot open {what}. Ask an owner or admin of your organisation if you need it.</span>
      </div>
      <p>
        <Link to="/">Back to the overview</Link>
      </p>
    </section>
  );
}
