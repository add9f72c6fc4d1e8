import type { Device } from '@tally/proto';
import { formatAge, formatInZone } from '../../../lib/format';

/** A box, read-only: status, last heartbeat, config applied / pending / rejected with the device's message. */
export function DeviceCard({ device, timezone }: { device: Device; timezone: string }) {
  const status = device.revoked ? 'revoked' : (device.status ?? 'never seen');
  const seen = device.lastSeenAt ? Date.parse(device.lastSeenAt) : null;
  const config = device.config;
  return (
    <article className="card" data-testid={`device-${device.id}`}>
      <header>
        <h2>{device.name}</h2>
        <span className={`pill ${status.replace(' ', '-')}`}>{status}</span>
      </header>
      <dl className="facts">
        <dt>Last heartbeat</dt>
        <dd>
          {seen ? `${formatInZone(seen, timezone, 'd MMM HH:mm:ss')} (${formatAge(seen)} ago)` : 'never'}
        </dd>
        <dt>Config</dt>
        <dd>
          {config.status === 'none'
            ? 'none issued yet'
            : `version ${config.version}: ${config.status}` +
              (config.appliedVersion !== null && config.appliedVersion !== config.version
                ? ` (running ${config.appliedVersion})`
                : '')}
        </dd>
        <dt>Device id</dt>
        <dd className="mono">{device.id}</dd>
      </dl>
      {config.status === 'rejected' && config.errors && (
        <ul className="field-error" aria-label="Why the device rejected its config">
          {config.errors.map((e, i) => (
            <li key={i}>
              {e.path}: {e.message}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
