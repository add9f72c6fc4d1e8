import type { ClaimCode } from '@tally/proto';
import { CopyButton } from './copy-button';
import { formatCountdown, provisionCommand } from './provision-command';
import { QrCode } from './qr-code';
import { useCountdown } from './use-countdown';

/**
 * A claim code just made: shown this once (the cloud keeps only its hash), with the command to run on the box, a
 * QR code of that command for a phone at the box, and the time left before it expires.
 */
export function NewClaimCode({
  claim,
  name,
  cloudUrl,
  onDone,
}: {
  claim: ClaimCode;
  name: string;
  cloudUrl: string;
  onDone: () => void;
}) {
  const left = useCountdown(Date.parse(claim.expiresAt));
  const command = provisionCommand({ cloudUrl, code: claim.code, name });
  return (
    <section className="card once" aria-labelledby="new-code-title" data-testid="new-claim-code">
      <header>
        <h2 id="new-code-title">Claim code for {name}</h2>
        <span className={`pill ${left === 0 ? 'revoked' : 'online'}`} data-testid="countdown">
          {left === 0 ? 'expired' : `expires in ${formatCountdown(left)}`}
        </span>
      </header>
      <p className="code-big mono" data-testid="claim-code">
        {claim.code}
      </p>
      <p className="notice">Shown only now: copy it or scan it before leaving this page.</p>
      {left === 0 ? (
        <p className="field-error" role="alert">
          This code has expired: create a new one.
        </p>
      ) : (
        <>
          <label className="command-label" htmlFor="provision-command">
            Run this on the box:
          </label>
          <textarea
            id="provision-command"
            className="command mono"
            readOnly
            rows={3}
            value={command}
            data-testid="provision-command"
            onFocus={(e) => e.currentTarget.select()}
          />
          <div className="buttons">
            <CopyButton text={command} label="Copy command" />
            <CopyButton text={claim.code} label="Copy code" />
          </div>
          <QrCode text={command} label={`QR code of the provisioning command for ${name}`} />
        </>
      )}
      <div className="buttons">
        <button type="button" className="button" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}
