import { EmptyState, QueryView } from '../../../components/states';
import { useLiveRefresh } from '../../../lib/use-live-refresh';
import { OVERVIEW_KEY, useOverview } from '../api/get-overview';
import { SiteCard } from '../components/site-card';

/** Every site the user may see, refreshed as live counts, occupancy, device status and alerts arrive. */
export function OverviewRoute() {
  const overview = useOverview();
  useLiveRefresh('all', [OVERVIEW_KEY]);
  return (
    <section className="page">
      <h1>Overview</h1>
      <QueryView query={overview} loadingLabel="Loading sites…">
        {({ sites }) =>
          sites.length === 0 ? (
            <EmptyState>No sites yet. An admin creates sites and installs devices.</EmptyState>
          ) : (
            <div className="card-grid">
              {sites.map((s) => (
                <SiteCard key={s.siteId} site={s} />
              ))}
            </div>
          )
        }
      </QueryView>
    </section>
  );
}
