import { EmptyState, QueryView } from '../../../components/states';
import { useLiveRefresh } from '../../../lib/use-live-refresh';
import { useSites } from '../api/get-sites';
import { SiteCard } from '../components/site-card';

/** Every site the user may see, refreshed as live counts, occupancy, device status and alerts arrive. */
export function OverviewRoute() {
  const sites = useSites();
  useLiveRefresh('all');
  return (
    <section className="page">
      <h1>Overview</h1>
      <QueryView query={sites} loadingLabel="Loading sites…">
        {(list) =>
          list.length === 0 ? (
            <EmptyState>No sites yet. An admin creates sites and installs devices.</EmptyState>
          ) : (
            <div className="card-grid">
              {list.map((s) => (
                <SiteCard key={s.id} site={s} />
              ))}
            </div>
          )
        }
      </QueryView>
    </section>
  );
}
