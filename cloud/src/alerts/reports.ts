import type { SiteReport } from '@tally/proto';
import type { Database } from '../db/client';
import { countsReport, occupancyReport } from '../db/queries/analytics';
import { formatLocal } from '../analytics/site-time';
import type { Deliverer } from './delivery';
import { lastCompletePeriod } from './report-period';

type Query = Pick<Database, 'query'>;

interface ScheduleRow {
  id: string;
  org_id: string;
  site_id: string;
  period: 'daily' | 'weekly';
  webhook_url: string | null;
  email_to: string | null;
  last_period_start: string | null;
  timezone: string;
  site_name: string;
}

/** A site's summary for [fromMs, toMs): totals, the busiest hour or day, occupancy peak, previous period. */
export async function buildSiteReport(
  db: Query,
  site: { siteId: string; timezone: string; name: string },
  period: 'daily' | 'weekly',
  fromMs: number,
  toMs: number,
): Promise<SiteReport> {
  const ref = { siteId: site.siteId, timezone: site.timezone };
  const counts = await countsReport(db, ref, {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    bucket: period === 'daily' ? 'hour' : 'day',
    // The report's in/out/net are line crossings: other kinds are never added into them.
    kind: 'line_cross',
    compare: true,
  });
  const points = counts.series[0]?.points ?? [];
  const busiest = points.reduce<(typeof points)[number] | null>(
    (b, p) => (!b || p.total > b.total ? p : b),
    null,
  );
  const occupancy = await occupancyReport(db, ref, fromMs, toMs);
  const peakZone = occupancy.zones.reduce<(typeof occupancy.zones)[number] | null>(
    (b, z) => (z.peakAt && (!b || z.peak > b.peak) ? z : b),
    null,
  );
  return {
    type: 'report',
    siteId: site.siteId,
    siteName: site.name,
    period,
    from: formatLocal(fromMs, site.timezone),
    to: formatLocal(toMs, site.timezone),
    totals: counts.byKind.line_cross,
    previousTotals: counts.previous!.byKind.line_cross,
    change: counts.previous!.change.line_cross.total,
    peak: busiest ? { start: busiest.start, total: busiest.total } : null,
    occupancyPeak: peakZone ? { zoneId: peakZone.zoneId, count: peakZone.peak, at: peakZone.peakAt! } : null,
  };
}

export function reportText(r: SiteReport): string {
  const pct = r.change === null ? 'n/a' : `${(r.change * 100).toFixed(1)}%`;
  return [
    `${r.period === 'daily' ? 'Daily' : 'Weekly'} report for ${r.siteName}, ${r.from} to ${r.to}`,
    `In ${r.totals.in}, out ${r.totals.out}, total ${r.totals.total}, net ${r.totals.net}`,
    `Previous period: total ${r.previousTotals.total} (change ${pct})`,
    r.peak
      ? `Busiest ${r.period === 'daily' ? 'hour' : 'day'}: ${r.peak.start} with ${r.peak.total}`
      : 'No counts',
    r.occupancyPeak
      ? `Occupancy peak: ${r.occupancyPeak.count} in ${r.occupancyPeak.zoneId} at ${r.occupancyPeak.at}`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Sends every report whose last complete period has not been sent yet. Each schedule is claimed with a
 * conditional UPDATE before sending, so several instances (or a restart) send each period once.
 */
export async function sendDueReports(db: Query, deliverer: Deliverer, now: number): Promise<number> {
  const schedules = await db.query<ScheduleRow>(
    `SELECT r.id, r.org_id, r.site_id, r.period, r.webhook_url, r.email_to, r.last_period_start,
            s.timezone, s.name AS site_name
       FROM report_schedules r JOIN sites s ON s.id = r.site_id`,
  );
  let sent = 0;
  for (const s of schedules) {
    const p = lastCompletePeriod(now, s.timezone, s.period);
    if (s.last_period_start === p.from) continue;
    const claimed = await db.query(
      `UPDATE report_schedules SET last_period_start = $2
        WHERE id = $1 AND last_period_start IS DISTINCT FROM $2 RETURNING id`,
      [s.id, p.from],
    );
    if (claimed.length === 0) continue;
    const report = await buildSiteReport(
      db,
      { siteId: s.site_id, timezone: s.timezone, name: s.site_name },
      s.period,
      p.fromMs,
      p.toMs,
    );
    await deliverer.deliver(
      { orgId: s.org_id, webhookUrl: s.webhook_url, emailTo: s.email_to, reportId: s.id },
      {
        subject: `[Tally] ${s.period} report: ${s.site_name} (${p.from})`,
        text: reportText(report),
        body: report,
      },
    );
    sent += 1;
  }
  return sent;
}
