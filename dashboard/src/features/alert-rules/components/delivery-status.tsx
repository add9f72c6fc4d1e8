import type { DeliveryStatus } from '@tally/proto';
import { formatInZone } from '../../../lib/format';

/** A channel's last delivery: delivered/failed/skipped, when, HTTP status and attempts, and the error. */
export function DeliveryStatusLine({
  channel,
  status,
  timezone,
}: {
  channel: string;
  status: DeliveryStatus | null;
  timezone: string;
}) {
  if (!status) return <span className="muted">{channel}: not sent yet</span>;
  const details = [
    formatInZone(Date.parse(status.at), timezone, 'd MMM HH:mm'),
    status.httpStatus !== null ? `HTTP ${status.httpStatus}` : null,
    status.attempts > 1 ? `${status.attempts} attempts` : null,
    status.test ? 'test' : null,
  ].filter(Boolean);
  return (
    <span className="delivery" data-testid={`delivery-${channel}`}>
      {channel}: <span className={`pill ${status.status}`}>{status.status}</span> {details.join(' · ')}
      {status.error && <span className="delivery-error"> — {status.error}</span>}
    </span>
  );
}
