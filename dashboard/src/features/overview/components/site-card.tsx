import type { SiteOverview } from '@tally/proto';
import { Activity, BellRing, Cpu } from 'lucide-react';
import { Link } from 'react-router';
import { Sparkline } from '../../../components/sparkline';
import { formatAge, formatCount } from '../../../lib/format';

/** One site at a glance: today's in and out (site time zone), occupancy now, the last 24 h, boxes, alerts. */
export function SiteCard({ site }: { site: SiteOverview }) {
  const { crossings } = site.today;
  return (
    <article className="card site-card" data-testid={`site-card-${site.siteId}`}>
      <header>
        <h2>
          <Link to={`/sites/${site.siteId}`}>{site.name}</Link>
        </h2>
        <span className="muted">{site.timezone}</span>
      </header>
      <dl className="figures">
        <div>
          <dt>In today</dt>
          <dd data-testid="today-in">{formatCount(crossings.in)}</dd>
        </div>
        <div>
          <dt>Out today</dt>
          <dd data-testid="today-out">{formatCount(crossings.out)}</dd>
        </div>
        <div>
          <dt>Inside now</dt>
          <dd data-testid="occupancy-now">
            {formatCount(site.occupancy.now)}
            {site.occupancy.staleZones > 0 && (
              <span className="muted">
                {' '}
                ({formatCount(site.occupancy.staleZones)} zone{site.occupancy.staleZones === 1 ? '' : 's'}{' '}
                stale)
              </span>
            )}
          </dd>
        </div>
      </dl>
      <div className="spark-row">
        <Activity size={16} aria-hidden />
        <Sparkline
          values={site.spark.map((p) => p.total)}
          label="Line crossings per hour over the last 24 hours"
        />
        <span className="muted">last 24 h</span>
      </div>
      <p className="health">
        <Cpu size={16} aria-hidden /> {deviceSummary(site.devices)}
      </p>
      <p className="health">
        <BellRing size={16} aria-hidden />{' '}
        {site.openAlerts === 0 ? (
          'No open alerts'
        ) : (
          <Link to={`/sites/${site.siteId}/alerts`} className="alert-link">
            {formatCount(site.openAlerts)} open alert{site.openAlerts === 1 ? '' : 's'}
          </Link>
        )}
      </p>
    </article>
  );
}

/** "2 online" or "1 online · Gate box offline for 5 minutes · camera gate-cam stalled". */
export function deviceSummary(devices: SiteOverview['devices'], now = Date.now()): string {
  if (devices.total === 0) return 'No devices yet';
  const offline = devices.offline.map((d) =>
    d.reason === 'never_seen' || !d.since
      ? `${d.name} never seen`
      : `${d.name} offline for ${formatAge(Date.parse(d.since), now)}`,
  );
  // A camera that is not live on a box that is: the box talks, but counts nothing there.
  const down = devices.camerasDown.map((c) => `camera ${c.cameraId} ${c.state}`);
  return [`${formatCount(devices.online)} online`, ...offline, ...down].join(' · ');
}
