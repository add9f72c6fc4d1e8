import type { Device } from '@tally/proto';
import type { ReactNode } from 'react';
import { formatAge, formatCount, formatDecimal, formatInZone } from '../../../lib/format';

const REASON: Record<NonNullable<Device['statusReason']>, string> = {
  disconnected: 'disconnected',
  silent: 'silent (no heartbeat)',
  never_seen: 'never connected',
};

/**
 * A box: status (and why offline, since when), last heartbeat, software, backlog, each camera's state,
 * fps, drops and detector latency, and the config applied / pending / rejected with the device's message; `children` are the actions the
 * user may take on it.
 */
export function DeviceCard({
  device,
  timezone,
  children,
}: {
  device: Device;
  timezone: string;
  children?: ReactNode;
}) {
  const status = device.revoked ? 'revoked' : device.status;
  const at = (iso: string) =>
    `${formatInZone(Date.parse(iso), timezone, 'd MMM HH:mm:ss')} (${formatAge(Date.parse(iso))} ago)`;
  const config = device.config;
  const health = device.health;
  return (
    <article className="card" data-testid={`device-${device.id}`}>
      <header>
        <h2>{device.name}</h2>
        <span className={`pill ${status}`}>{status}</span>
      </header>
      <dl className="facts">
        {device.status === 'offline' && device.statusReason && (
          <>
            <dt>Why</dt>
            <dd>
              {REASON[device.statusReason]}
              {device.statusSince ? ` since ${at(device.statusSince)}` : ''}
            </dd>
          </>
        )}
        <dt>Last heartbeat</dt>
        <dd>{health ? at(health.heartbeatAt) : device.lastSeenAt ? at(device.lastSeenAt) : 'never'}</dd>
        {health && (
          <>
            <dt>Software</dt>
            <dd>
              agent {health.agentVersion}
              {health.modelVersion ? ` · model ${health.modelVersion}` : ''}
            </dd>
            <dt>Backlog</dt>
            <dd>{formatCount(health.backlog)} events not yet synced</dd>
          </>
        )}
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
      {health && health.cameras.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={`Cameras of ${device.name}`}>
          <table>
            <thead>
              <tr>
                <th scope="col">Camera</th>
                <th scope="col">State</th>
                <th scope="col">fps</th>
                <th scope="col">Dropped</th>
                <th scope="col">Detector p50 / p95</th>
              </tr>
            </thead>
            <tbody>
              {health.cameras.map((c) => (
                <tr key={c.cameraId}>
                  <td>{c.cameraId}</td>
                  <td>
                    <span className={`pill ${c.state}`}>{c.state}</span>
                    {c.reason ? ` ${c.reason}` : ''}
                  </td>
                  <td>{formatDecimal(c.fps)}</td>
                  <td>{formatCount(c.framesDropped)}</td>
                  <td>
                    {formatCount(c.detectorLatencyMs.p50)} / {formatCount(c.detectorLatencyMs.p95)} ms
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {children}
    </article>
  );
}
