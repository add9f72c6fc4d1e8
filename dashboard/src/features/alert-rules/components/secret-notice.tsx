import { Copy, KeyRound } from 'lucide-react';
import { useRef, useState } from 'react';

/**
 * A webhook signing secret, shown this once (the cloud never answers it again), with a copy button and what to do
 * with it.
 */
export function SecretNotice({
  ruleName,
  secret,
  onDone,
}: {
  ruleName: string;
  secret: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState(false);
  const code = useRef<HTMLElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      // No clipboard API (plain http on a LAN address is not a secure context): select the text instead, so that
      // the system's copy (or a long press on a phone) takes it.
      const range = document.createRange();
      if (code.current) range.selectNodeContents(code.current);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      setCopied(document.execCommand?.('copy') ?? false);
    }
  };
  return (
    <div className="notice secret" role="status" data-testid="secret-notice">
      <p>
        <KeyRound size={16} aria-hidden /> Webhook secret of <strong>{ruleName}</strong>. Copy it now into the
        receiver: it is not shown again (rotate it to get a new one). It signs each delivery
        (docs/WEBHOOKS.md).
      </p>
      <code className="secret-value" data-testid="webhook-secret" ref={code}>
        {secret}
      </code>
      <div className="buttons">
        <button type="button" className="button small" onClick={() => void copy()}>
          <Copy size={14} aria-hidden /> {copied ? 'Copied' : 'Copy secret'}
        </button>
        <button type="button" className="button small" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </div>
  );
}
