import { useParams } from 'react-router';
import { ErrorState, Loading } from '../../../components/states';
import { useLiveRefresh } from '../../../lib/use-live-refresh';
import { useCameras } from '../api/get-cameras';
import { useSiteRules } from '../api/get-rules';
import { useSite } from '../../../lib/api/get-site';
import { CountsSection } from '../components/counts-section';
import { LiveCounters } from '../components/live-counters';
import { OccupancySection } from '../components/occupancy-section';

/** `/sites/:siteId`: live counters, counts over a chosen range, occupancy and dwell. */
export function SiteRoute() {
  const { siteId = '' } = useParams();
  const site = useSite(siteId);
  const cameras = useCameras(siteId);
  const rules = useSiteRules(siteId, cameras.data);
  useLiveRefresh([siteId]);

  if (site.isPending) return <Loading label="Loading the site…" />;
  if (site.isError) return <ErrorState error={site.error} onRetry={() => void site.refetch()} />;
  return (
    <section className="page">
      <h1>{site.data.name}</h1>
      <p className="muted">Times in {site.data.timezone}</p>
      <section aria-labelledby="live-heading" className="section">
        <h2 id="live-heading">Live today</h2>
        {cameras.isError || rules.error ? (
          <ErrorState error={cameras.error ?? rules.error} onRetry={() => void cameras.refetch()} />
        ) : rules.pending ? (
          <Loading label="Loading lines and zones…" />
        ) : (
          <LiveCounters site={site.data} rules={rules.rules} />
        )}
      </section>
      <CountsSection site={site.data} rules={rules.rules} />
      <OccupancySection site={site.data} rules={rules.rules} />
    </section>
  );
}
