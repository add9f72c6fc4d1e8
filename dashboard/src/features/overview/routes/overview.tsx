import { EmptyState, QueryView } from '../../../components/states';
import { useSession } from '../../../lib/api-context';
import { may } from '../../../lib/permissions';
import { useLiveRefresh } from '../../../lib/use-live-refresh';
import { OVERVIEW_KEY, useOverview } from '../api/get-overview';
import { CreateSiteForm } from '../components/create-site-form';
import { SiteCard } from '../components/site-card';

/** Every site the user may see, refreshed as live counts, occupancy, device status and alerts arrive. */
export function OverviewRoute() {
  const overview = useOverview();
  useLiveRefresh('all', [OVERVIEW_KEY]);
  const canCreate = may(useSession().user, 'site.create');
  return (
    <section className="page">
      <h1>Overview</h1>
      <QueryView query={overview} loadingLabel="Loading sites…">
        {({ sites }) =>
          sites.length === 0 ? (
            <EmptyState>
              {canCreate
                ? 'No sites yet. Create the first one below, then add its devices from its Devices page.'
                : 'No sites yet. An admin creates sites and installs devices.'}
            </EmptyState>
          ) : (
            <div className="card-grid">
              {sites.map((s) => (
                <SiteCard key={s.siteId} site={s} />
              ))}
            </div>
          )
        }
      </QueryView>
      {canCreate && (
        <details className="section new-site" open={overview.data?.sites.length === 0}>
          <summary>New site</summary>
          <CreateSiteForm />
        </details>
      )}
    </section>
  );
}
