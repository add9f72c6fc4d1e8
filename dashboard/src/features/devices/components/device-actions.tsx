import type { Device } from '@tally/proto';
import { Ban, RotateCcwKey } from 'lucide-react';
import { useState } from 'react';
import { useRevokeDevice } from '../api/revoke-device';
import { useRotateCredentials } from '../api/rotate-credentials';
import { ConfirmByName } from './confirm-by-name';
import { NewCredentials } from './new-credentials';

type Step = 'idle' | 'rotate' | 'revoke';

/** Rotate a box's credentials or revoke it, each behind a confirmation that names it. */
export function DeviceActions({ device, timezone }: { device: Device; timezone: string }) {
  const [step, setStep] = useState<Step>('idle');
  const rotate = useRotateCredentials(device.siteId);
  const revoke = useRevokeDevice(device.siteId);
  const failed = rotate.error ?? revoke.error;
  if (rotate.data) {
    return <NewCredentials credentials={rotate.data} timezone={timezone} onDone={() => rotate.reset()} />;
  }
  if (device.revoked) return null;
  const cancel = () => setStep('idle');
  return (
    <div className="device-actions">
      {failed && (
        <p className="field-error" role="alert">
          {failed.message}
        </p>
      )}
      {step === 'idle' && (
        <div className="buttons">
          <button type="button" className="button small" onClick={() => setStep('rotate')}>
            <RotateCcwKey size={14} aria-hidden /> Rotate credentials
          </button>
          <button type="button" className="button small danger" onClick={() => setStep('revoke')}>
            <Ban size={14} aria-hidden /> Revoke
          </button>
        </div>
      )}
      {step === 'rotate' && (
        <ConfirmByName
          title={`Rotate the credentials of “${device.name}”?`}
          name={device.name}
          confirmLabel="Rotate credentials"
          pending={rotate.isPending}
          onCancel={cancel}
          onConfirm={() => rotate.mutate(device.id, { onSuccess: cancel })}
        >
          A new MQTT password is made and shown once. A box that is online receives it and switches by itself;
          the old password keeps working for 7 days.
        </ConfirmByName>
      )}
      {step === 'revoke' && (
        <ConfirmByName
          title={`Revoke “${device.name}”?`}
          name={device.name}
          confirmLabel={`Revoke ${device.name}`}
          pending={revoke.isPending}
          onCancel={cancel}
          onConfirm={() => revoke.mutate(device.id, { onSuccess: cancel })}
        >
          The box is disconnected now and can never sign in again; its counts so far stay. To use it again,
          provision it with a new claim code.
        </ConfirmByName>
      )}
    </div>
  );
}
