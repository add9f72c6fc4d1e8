import { useQueryClient } from '@tanstack/react-query';
import { Camera as CameraIcon, RotateCcw } from 'lucide-react';
import { useEffect, useState } from 'react';
import { COMMAND_TIMEOUT_MS } from '@tally/proto';
import { formatAge } from '../../../lib/format';
import { useCommand, useSendCommand } from '../api/send-command';

/**
 * "Fresh snapshot": asks the box for a new picture of the camera and follows the command until the box answers,
 * with a progress bar over the time it has. Until then (or if it fails) the last snapshot stays, with its age.
 */
export function SnapshotControls({
  deviceId,
  cameraKey,
  takenAt,
  hasSnapshot,
}: {
  deviceId: string;
  cameraKey: string;
  takenAt: number | null;
  hasSnapshot: boolean;
}) {
  const queryClient = useQueryClient();
  const send = useSendCommand(deviceId);
  const [commandId, setCommandId] = useState<string | null>(null);
  const command = useCommand(deviceId, commandId);
  const status = command.data?.status;
  const now = useNow(status === 'pending' || send.isPending ? 250 : 30_000);

  useEffect(() => {
    if (status === 'succeeded') {
      void queryClient.invalidateQueries({ queryKey: ['device', deviceId, 'snapshot', cameraKey] });
    }
  }, [status, deviceId, cameraKey, queryClient]);

  const busy = send.isPending || status === 'pending';
  const elapsed = command.data ? now - Date.parse(command.data.issuedAt) : 0;
  const request = () =>
    send.mutate({ type: 'snapshot', cameraId: cameraKey }, { onSuccess: (c) => setCommandId(c.commandId) });

  return (
    <div className="snapshot-controls">
      <button type="button" className="button" disabled={busy} onClick={request}>
        <CameraIcon size={16} aria-hidden /> {busy ? 'Taking snapshot…' : 'Fresh snapshot'}
      </button>
      <span className="muted" data-testid="snapshot-age">
        {hasSnapshot
          ? takenAt !== null
            ? `Snapshot taken ${formatAge(takenAt, Math.max(now, takenAt))} ago`
            : 'Last snapshot'
          : 'No snapshot yet: ask the device for one'}
      </span>
      {busy && (
        <span className="progress" role="status">
          <progress
            max={COMMAND_TIMEOUT_MS}
            value={Math.min(elapsed, COMMAND_TIMEOUT_MS)}
            aria-label="Waiting for the device"
          />{' '}
          Waiting for the device… {Math.round(elapsed / 1000)} s
        </span>
      )}
      {send.isError && (
        <p className="field-error" role="alert">
          Could not send the request: {send.error.message}
        </p>
      )}
      {status === 'failed' && (
        <p className="field-error" role="alert">
          The device could not take a snapshot: {command.data!.error}{' '}
          <button type="button" className="button small" onClick={request}>
            <RotateCcw size={14} aria-hidden /> Try again
          </button>
        </p>
      )}
      {status === 'timed_out' && (
        <p className="field-error" role="alert">
          The device did not answer within {COMMAND_TIMEOUT_MS / 1000} s: is it online? The last snapshot is
          shown.
        </p>
      )}
    </div>
  );
}

/** The clock, ticking every `ms` (fast while something is in progress). */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}
