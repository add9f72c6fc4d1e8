import { Copy } from 'lucide-react';
import { useState } from 'react';

/** A password shown once, with a copy button: it is not stored anywhere the dashboard can show it again. */
export function OneTimeSecret({
  title,
  who,
  secret,
  onDone,
  instructions,
}: {
  title: string;
  who: string;
  secret: string;
  onDone: () => void;
  /** What the recipient does with it; by default, sign in and change the password. */
  instructions?: string;
}) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(secret).catch(() => {});
    setCopied(true);
  };
  return (
    <div className="notice secret" role="status" data-testid="one-time-secret">
      <strong>{title}</strong>
      <p>
        {instructions ??
          `Give this password to ${who}. It is shown only now; they can change it on their account page after signing in.`}
      </p>
      <p className="buttons">
        <code className="mono" data-testid="secret-value">
          {secret}
        </code>
        <button type="button" className="button small" onClick={() => void copy()}>
          <Copy size={14} aria-hidden /> {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="button small" onClick={onDone}>
          Done
        </button>
      </p>
    </div>
  );
}
