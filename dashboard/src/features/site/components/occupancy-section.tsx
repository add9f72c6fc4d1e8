import type { Site } from '@tally/proto';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { DataTable } from '../../../components/data-table';
import { EmptyState, QueryView } from '../../../components/states';
import { formatCount, formatDuration, formatInZone } from '../../../lib/format';
import { isoRange, presetRange } from '../../../lib/time-range';
import { useDwell } from '../api/get-dwell';
import { useOccupancy } from '../api/get-occupancy';
import { ruleIdentity, type NamedRule } from '../api/get-rules';
import { OccupancyChart } from './occupancy-chart';

interface ZoneRow {
  zone: string;
  now: string;
  nowAt: string;
  peak: number;
  peakAt: string;
  visits: number;
  mean: string;
  p50: string;
  p95: string;
  max: string;
}

const col = createColumnHelper<ZoneRow>();
const columns = [
  col.accessor('zone', { header: 'Zone' }),
  col.accessor('now', { header: 'Inside now' }),
  col.accessor('nowAt', { header: 'As of' }),
  col.accessor('peak', { header: 'Peak today', cell: (c) => formatCount(c.getValue()) }),
  col.accessor('peakAt', { header: 'Peak at' }),
  col.accessor('visits', { header: 'Visits', cell: (c) => formatCount(c.getValue()) }),
  col.accessor('mean', { header: 'Mean dwell' }),
  col.accessor('p50', { header: 'Median' }),
  col.accessor('p95', { header: '95th pct' }),
  col.accessor('max', { header: 'Longest' }),
];

/** Today's occupancy and dwell per zone, with the zone's name, times in the site's zone. */
export function OccupancySection({ site, rules }: { site: Site; rules: NamedRule[] }) {
  const [range] = useState(() => {
    const today = presetRange('today', site.timezone, Date.now());
    return isoRange({ fromMs: today.fromMs, toMs: Date.now() + 3_600_000 });
  });
  const occupancy = useOccupancy(site.id, { ...range, bucket: 'hour' });
  const dwell = useDwell(site.id, range);
  const name = (d: string, c: string, z: string) =>
    rules.find((r) => r.id === ruleIdentity(d, c, z))?.name ?? z;
  const at = (iso: string | null) => (iso ? formatInZone(Date.parse(iso), site.timezone, 'HH:mm') : '—');

  return (
    <section aria-labelledby="occupancy-heading" className="section">
      <h2 id="occupancy-heading">Occupancy and dwell today</h2>
      <QueryView query={occupancy} loadingLabel="Loading occupancy…">
        {(occ) => {
          const rows: ZoneRow[] = occ.zones.map((z) => {
            const d = dwell.data?.zones.find(
              (x) => x.deviceId === z.deviceId && x.cameraId === z.cameraId && x.zoneId === z.zoneId,
            );
            const dur = (ms: number | undefined) =>
              d && d.visits > 0 && ms !== undefined ? formatDuration(ms) : '—';
            return {
              zone: name(z.deviceId, z.cameraId, z.zoneId),
              // A stale value is the last one a box that went quiet sent: shown, but marked with its age.
              now: z.stale
                ? `${formatCount(z.now)} (stale${z.ageMs !== null ? `, ${formatDuration(z.ageMs)} old` : ''})`
                : formatCount(z.now),
              nowAt: at(z.nowAt),
              peak: z.peak,
              peakAt: at(z.peakAt),
              visits: d?.visits ?? 0,
              mean: dur(d?.meanMs),
              p50: dur(d?.p50Ms),
              p95: dur(d?.p95Ms),
              max: dur(d?.maxMs),
            };
          });
          return rows.length === 0 ? (
            <EmptyState>No zone has reported occupancy today.</EmptyState>
          ) : (
            <div className="chart-and-table">
              <OccupancyChart report={occ} zoneName={(i) => rows[i]!.zone} />
              <DataTable
                columns={columns}
                data={rows}
                caption="Occupancy and dwell per zone"
                testId="occupancy-table"
              />
            </div>
          );
        }}
      </QueryView>
    </section>
  );
}
