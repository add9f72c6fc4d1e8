import type { Device, Site } from '@tally/proto';
import { Activity, BellRing, Cpu } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { Sparkline } from '../../../components/sparkline';
import { ErrorState, Loading } from '../../../components/states';
import { formatAge, formatCount } from '../../../lib/format';
import { isoRange, presetRange } from '../../../lib/time-range';
import { useOpenAlerts } from '../api/get-alerts';
import { useCounts } from '../api/get-counts';
import { useDevices } from '../api/get-devices';
import { useOccupancy } from '../api/get-occupancy';

const HOUR = 3_600_000;

/** Line crossings only: zone entries, exits and dwells are other kinds and are never added to in/out. */
const CROSSINGS = { kind: 'line_cross', groupBy: 'none' } as const;

/** One site at a glance: today's in and out (site time zone), occupancy now, the last 24 h, boxes, alerts. */
export function SiteCard({ site }: { site: Site }) {
  // Ranges fixed when the card mounts; live messages refetch the same keys.
  const [ranges] = useState(() => {
    const now = Date.now();
    const hourStart = Math.floor(now / HOUR) * HOUR;
    return {
      today: isoRange(presetRange('today', site.timezone, now)),
      last24h: isoRange({ fromMs: hourStart - 23 * HOUR, toMs: hourStart + HOUR }),
      sinceToday: isoRange({ fromMs: presetRange('today', site.timezone, now).fromMs, toMs: now + HOUR }),
    };
  });
  const today = useCounts(site.id, { ...ranges.today, bucket: 'day', ...CROSSINGS });
  const spark = useCounts(site.id, { ...ranges.last24h, bucket: 'hour', ...CROSSINGS });
  const occupancy = useOccupancy(site.id, ranges.sinceToday);
  const devices = useDevices(site.id);
  const alerts = useOpenAlerts(site.id);

  return (
    <article className="card site-card" data-testid={`site-card-${site.id}`}>
      <header>
        <h2>
          <Link to={`/sites/${site.id}`}>{site.name}</Link>
        </h2>
        <span className="muted">{site.timezone}</span>
      </header>
      {today.isPending ? (
        <Loading label="Loading today's counts…" />
      ) : today.isError ? (
        <ErrorState error={today.error} onRetry={() => void today.refetch()} />
      ) : (
        <dl className="figures">
          <div>
            <dt>In today</dt>
            <dd data-testid="today-in">{formatCount(today.data.byKind.line_cross.in)}</dd>
          </div>
          <div>
            <dt>Out today</dt>
            <dd data-testid="today-out">{formatCount(today.data.byKind.line_cross.out)}</dd>
          </div>
          <div>
            <dt>Inside now</dt>
            <dd data-testid="occupancy-now">{occupancy.data ? formatCount(occupancy.data.now) : '…'}</dd>
          </div>
        </dl>
      )}
      <div className="spark-row">
        <Activity size={16} aria-hidden />
        <Sparkline
          values={
            spark.data?.series.find((s) => s.key.kind === 'line_cross')?.points.map((p) => p.total) ?? []
          }
          label="Line crossings per hour over the last 24 hours"
        />
        <span className="muted">last 24 h</span>
      </div>
      <p className="health">
        <Cpu size={16} aria-hidden />{' '}
        {devices.data ? deviceSummary(devices.data) : devices.isError ? 'devices unavailable' : '…'}
      </p>
      <p className="health">
        <BellRing size={16} aria-hidden />{' '}
        {alerts.data ? (
          alerts.data.length === 0 ? (
            'No open alerts'
          ) : (
            <Link to={`/sites/${site.id}/alerts`} className="alert-link">
              {formatCount(alerts.data.length)} open alert{alerts.data.length === 1 ? '' : 's'}
            </Link>
          )
        ) : (
          '…'
        )}
      </p>
    </article>
  );
}

/** "2 online" or "1 online · Gate box offline for 5 minutes · Gate box: camera gate-cam stalled". */
export function deviceSummary(devices: Device[], now = Date.now()): string {
  const live = devices.filter((d) => !d.revoked);
  if (live.length === 0) return 'No devices yet';
  const online = live.filter((d) => d.status === 'online').length;
  const offline = live
    .filter((d) => d.status !== 'online')
    .map((d) => {
      const since = d.statusSince ?? d.lastSeenAt;
      if (d.statusReason === 'never_seen' || !since) return `${d.name} never seen`;
      return `${d.name} offline for ${formatAge(Date.parse(since), now)}`;
    });
  // A camera that is not live on a box that is: the box talks, but counts nothing there.
  const stalled = live
    .filter((d) => d.status === 'online')
    .flatMap((d) =>
      (d.health?.cameras ?? [])
        .filter((c) => c.state !== 'live' && c.state !== 'stopped')
        .map((c) => `${d.name}: camera ${c.cameraId} ${c.state}`),
    );
  return [`${formatCount(online)} online`, ...offline, ...stalled].join(' · ');
}
