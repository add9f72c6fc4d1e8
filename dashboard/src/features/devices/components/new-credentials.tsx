import type { DeviceCredentials } from '@tally/proto';
import { formatInZone } from '../../../lib/format';
import { CopyButton } from './copy-button';

/** The new MQTT password after a rotation: shown this once; says whether the box switched by itself. */
export function NewCredentials({
  credentials,
  timezone,
  onDone,
}: {
  credentials: DeviceCredentials;
  timezone: string;
  onDone: () => void;
}) {
  const { mqtt, previousValidUntil, handedOver } = credentials;
  return (
    <div className="confirm once" role="region" aria-label="New credentials" data-testid="new-credentials">
      <h3>New credentials</h3>
      <p className="notice">Shown only now: the cloud keeps only a hash.</p>
      <dl className="facts">
        <dt>Broker</dt>
        <dd className="mono">{mqtt.url}</dd>
        <dt>Username</dt>
        <dd className="mono">{mqtt.username}</dd>
        <dt>Password</dt>
        <dd className="mono secret" data-testid="new-password">
          {mqtt.password}
        </dd>
      </dl>
      <p>
        {handedOver
          ? 'The box was online and received its new password: it switches by itself.'
          : 'The box was not reachable: enter this password on the box (or provision it again).'}{' '}
        {previousValidUntil
          ? `The old password keeps working until ${formatInZone(Date.parse(previousValidUntil), timezone, 'd MMM HH:mm')}.`
          : 'The old password no longer works.'}
      </p>
      <div className="buttons">
        <CopyButton text={mqtt.password} label="Copy password" />
        <button type="button" className="button" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
