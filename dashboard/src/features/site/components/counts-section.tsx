import type { Site } from '@tally/proto';
import { Download } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { EmptyState, ErrorState, Loading } from '../../../components/states';
import { useSession } from '../../../lib/api-context';
import { formatChange, formatCount } from '../../../lib/format';
import { may } from '../../../lib/permissions';
import { useExportCounts, type ExportFormat } from '../api/export-counts';
import { useCounts } from '../api/get-counts';
import { ruleIdentity, type NamedRule } from '../api/get-rules';
import { chartData, seriesLabeller } from './chart-data';
import { readSettings, resolveSettings, writeSettings, type ChartSettings } from './chart-settings';
import { CountsChart } from './counts-chart';
import { CountsTable } from './counts-table';
import { RangeControls } from './range-controls';

/** Counts over a chosen range and bucket, with the previous period, a table of the same numbers, and export. */
export function CountsSection({ site, rules }: { site: Site; rules: NamedRule[] }) {
  const [params, setParams] = useSearchParams();
  const settings = readSettings(params);
  const [now] = useState(() => Date.now());
  const resolved = resolveSettings(settings, site.timezone, now);
  const current = useCounts(site.id, resolved?.query ?? { from: '', to: '' }, 'site', resolved !== null);
  const previous = useCounts(
    site.id,
    resolved?.previousQuery ?? { from: '', to: '' },
    'site',
    resolved !== null,
  );
  const { user } = useSession();
  const exporter = useExportCounts(site.id);
  // Two quick changes (range, then bucket) must both stick: each builds on the last one made, not on this render's
  // settings (react-router's functional setSearchParams also sees this render's params).
  const latest = useRef(settings);
  useEffect(() => {
    latest.current = settings;
  });
  const change = (patch: Partial<ChartSettings>) => {
    latest.current = { ...latest.current, ...patch };
    setParams(writeSettings(latest.current), { replace: true });
  };

  const names = new Map(rules.map((r) => [r.id, r.name]));
  const labelOf = seriesLabeller(settings.groupBy, (d, c, r) => names.get(ruleIdentity(d, c, r)));
  const exportAs = (format: ExportFormat) => resolved && exporter.mutate({ query: resolved.query, format });

  return (
    <section aria-labelledby="counts-heading" className="section">
      <div className="section-head">
        <h2 id="counts-heading">Counts</h2>
        {may(user, 'data.export') && (
          <div className="buttons">
            <button
              type="button"
              className="button small"
              onClick={() => exportAs('csv')}
              disabled={!resolved}
            >
              <Download size={14} aria-hidden /> Export CSV
            </button>
            <button
              type="button"
              className="button small"
              onClick={() => exportAs('json')}
              disabled={!resolved}
            >
              <Download size={14} aria-hidden /> Export JSON
            </button>
          </div>
        )}
      </div>
      <RangeControls settings={settings} onChange={change} />
      {exporter.isError && <ErrorState error={exporter.error} />}
      {!resolved ? (
        <EmptyState>Choose a start and end date (the end on or after the start).</EmptyState>
      ) : current.isPending ? (
        <Loading label="Loading counts…" />
      ) : current.isError ? (
        <ErrorState error={current.error} onRetry={() => void current.refetch()} />
      ) : (
        <>
          <dl className="figures totals" data-testid="counts-totals">
            {settings.kind === 'line_cross' && (
              <>
                <div>
                  <dt>In</dt>
                  <dd data-testid="total-in">{formatCount(current.data.byKind[settings.kind].in)}</dd>
                </div>
                <div>
                  <dt>Out</dt>
                  <dd data-testid="total-out">{formatCount(current.data.byKind[settings.kind].out)}</dd>
                </div>
              </>
            )}
            <div>
              <dt>Total</dt>
              <dd data-testid="total-all">{formatCount(current.data.byKind[settings.kind].total)}</dd>
            </div>
            {COMPARISONS.map(({ key, label }) => {
              const period = current.data[key];
              return (
                <div key={key}>
                  <dt>{label}</dt>
                  <dd data-testid={`change-${key}`}>
                    {period ? (
                      <>
                        {formatChange(period.change[settings.kind].total)}
                        <span className="muted"> ({formatCount(period.byKind[settings.kind].total)})</span>
                      </>
                    ) : (
                      '—'
                    )}
                  </dd>
                </div>
              );
            })}
          </dl>
          {current.data.series.length === 0 ? (
            <EmptyState>Nothing counted in this range.</EmptyState>
          ) : (
            <div className="chart-and-table">
              <CountsChart data={chartData(current.data, previous.data, labelOf, settings.kind)} />
              <CountsTable data={chartData(current.data, previous.data, labelOf, settings.kind)} />
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** The comparisons the API computes with `compare=true`, each shown as a percent change and the earlier total. */
const COMPARISONS = [
  { key: 'previous', label: 'vs previous period' },
  { key: 'lastWeek', label: 'vs a week earlier' },
  { key: 'lastYear', label: 'vs a year earlier' },
] as const;
