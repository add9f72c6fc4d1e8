import { useParams } from 'react-router';
import { EmptyState, ErrorState, Loading } from '../../../components/states';
import { useLiveRefresh } from '../../../lib/use-live-refresh';
import { useDevices } from '../api/get-devices';
import { useSite } from '../../../lib/api/get-site';
import { DeviceCard } from '../components/device-card';

/** `/sites/:siteId/devices`: the site's boxes, read-only (installers and admins manage them in part 2). */
export function DevicesRoute() {
  const { siteId = '' } = useParams();
  const site = useSite(siteId);
  const devices = useDevices(siteId);
  useLiveRefresh([siteId]);
  if (site.isPending || devices.isPending) return <Loading label="Loading devices…" />;
  const failed = site.error ?? devices.error;
  if (failed) return <ErrorState error={failed} onRetry={() => void devices.refetch()} />;
  return (
    <section className="page">
      <h1>Devices · {site.data!.name}</h1>
      {devices.data!.length === 0 ? (
        <EmptyState>No devices on this site yet.</EmptyState>
      ) : (
        <div className="card-grid wide">
          {devices.data!.map((d) => (
            <DeviceCard key={d.id} device={d} timezone={site.data!.timezone} />
          ))}
        </div>
      )}
    </section>
  );
}
